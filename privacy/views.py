from django.http import FileResponse

from privacy.access import person_for_data_export
from privacy.export import person_data_export
from web.files import PRIVATE_HEADERS


def person_export(request, person_id: int):
    """Download everything Siaga holds on one person as a ZIP (audited)."""
    person = person_for_data_export(request.user, person_id)
    export = person_data_export(person=person, by=request.user)
    response = FileResponse(export.handle, as_attachment=True, filename=export.filename,
                            content_type="application/zip")
    for key, value in PRIVATE_HEADERS.items():
        response[key] = value
    return response
