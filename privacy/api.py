from __future__ import annotations

from ninja import Router, Schema

from privacy.access import person_for_data_export
from privacy.export import person_data_json

router = Router(tags=["privacy"])


class PersonDataOut(Schema):
    person_id: int
    generated_at: str
    #: Section name → rows (see privacy.export.SECTIONS).
    sections: dict[str, list[dict]]
    #: Stored files (certificate PDFs, evidence, scans): in the ZIP of the page, not here.
    files: list[str]


@router.get("/people/{person_id}", response=PersonDataOut,
            summary="Semua data yang disimpan Siaga tentang satu orang (tercatat di audit)")
def privacy_person_data(request, person_id: int):
    person = person_for_data_export(request.auth, person_id)
    return person_data_json(person=person, by=request.auth)
