"""Training answers curriculum's question "who was trained on these module versions?"
(for the refresher list shown when a new version is approved)."""

from __future__ import annotations

from curriculum.hooks import TrainedPerson
from training.models import Enrolment


def trained_on_versions(*, versions) -> list[TrainedPerson]:
    version_ids = [v.pk if hasattr(v, "pk") else v for v in versions]
    rows = (
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED,
                                 event__programme__items__module_version_id__in=version_ids)
        .select_related("person", "agency", "event")
        .values_list("person_id", "person__full_name", "event__programme__items__module_version_id",
                     "agency__short_name", "completed_at", "event__name")
        .distinct()
    )
    return [TrainedPerson(person_id=pid, name=name, version_id=vid, agency=agency or "", completed_at=done,
                          source=event) for pid, name, vid, agency, done, event in rows]
