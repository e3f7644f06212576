"""Programmes: a curriculum of approved module versions, in order, with its total JP."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_record, snapshot
from curriculum.models import ModuleVersion
from people.models import EmploymentType, Position, PositionLevel
from training.access import require_manager
from training.models import Programme, ProgrammeModule


@dataclass
class ProgrammeInput:
    code: str
    title: str
    module_versions: Sequence[ModuleVersion]
    description: str = ""
    delivery: str = Programme.Delivery.CLASSROOM
    target_positions: Sequence[Position] = field(default_factory=list)
    target_levels: Sequence[PositionLevel] = field(default_factory=list)
    target_employment_types: Sequence[str] = field(default_factory=list)
    organiser: object | None = None
    min_attendance_percent: int = 90
    require_post_test: bool = True
    pass_mark: int | None = None


def _check_curriculum(versions: Sequence[ModuleVersion]) -> None:
    if not versions:
        raise ValidationError({"module_versions": [_("Pilih sedikitnya satu versi modul yang sudah disahkan.")]})
    refused = [str(v) for v in versions if v.status != ModuleVersion.Status.APPROVED]
    if refused:
        raise ValidationError({"module_versions": [
            _("Hanya versi modul yang sudah disahkan yang dapat dipakai: %(list)s belum disahkan.")
            % {"list": ", ".join(refused)}]})
    if len({v.pk for v in versions}) != len(versions):
        raise ValidationError({"module_versions": [_("Satu versi modul hanya boleh muncul sekali.")]})
    if len({v.module_id for v in versions}) != len(versions):
        raise ValidationError({"module_versions": [_("Satu modul hanya boleh dipakai dengan satu versi.")]})


def _check_targets(data: ProgrammeInput) -> None:
    bad = [t for t in data.target_employment_types if t not in EmploymentType.values]
    if bad:
        raise ValidationError({"target_employment_types": [
            _("Status kepegawaian tidak dikenal: %(list)s.") % {"list": ", ".join(bad)}]})
    positions = {p.pk for p in data.target_positions}
    stray = [lvl.name for lvl in data.target_levels if positions and lvl.position_id not in positions]
    if stray:
        raise ValidationError({"target_levels": [
            _("Jenjang %(list)s bukan jenjang jabatan sasaran.") % {"list": ", ".join(stray)}]})


@transaction.atomic
def programme_create(*, data: ProgrammeInput, by) -> Programme:
    require_manager(by)
    _check_curriculum(data.module_versions)
    _check_targets(data)
    programme = Programme(
        code=data.code, title=data.title.strip(), description=data.description, delivery=data.delivery,
        target_employment_types=list(data.target_employment_types), organiser=data.organiser,
        min_attendance_percent=data.min_attendance_percent, require_post_test=data.require_post_test,
        pass_mark=data.pass_mark, total_minutes=sum(v.total_minutes for v in data.module_versions),
    )
    programme.full_clean()
    programme.save()
    ProgrammeModule.objects.bulk_create(
        ProgrammeModule(programme=programme, module_version=v, order=i)
        for i, v in enumerate(data.module_versions, start=1)
    )
    programme.target_positions.set(data.target_positions)
    programme.target_levels.set(data.target_levels)
    after = snapshot(programme) | {"module_versions": [v.pk for v in data.module_versions],
                                   "target_positions": [p.pk for p in data.target_positions],
                                   "target_levels": [lvl.pk for lvl in data.target_levels]}
    audit_record(actor=by, action="programme.create", target=programme, after=after)
    return programme


@transaction.atomic
def programme_set_curriculum(*, programme: Programme, module_versions: Sequence[ModuleVersion], by) -> Programme:
    """Replace the curriculum (only while no event has started) and recompute the total JP."""
    require_manager(by)
    _check_curriculum(module_versions)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.events.exclude(status__in=["planned", "open", "cancelled"]).exists():
        raise ValidationError(_("Kurikulum tidak dapat diubah setelah ada angkatan yang berjalan."))
    before = {"module_versions": list(programme.items.values_list("module_version_id", flat=True)),
              "total_minutes": programme.total_minutes}
    programme.items.all().delete()
    ProgrammeModule.objects.bulk_create(
        ProgrammeModule(programme=programme, module_version=v, order=i) for i, v in enumerate(module_versions, 1)
    )
    programme.total_minutes = sum(v.total_minutes for v in module_versions)
    programme.full_clean()
    programme.save(update_fields=["total_minutes"])
    audit_record(actor=by, action="programme.set_curriculum", target=programme, before=before,
                 after={"module_versions": [v.pk for v in module_versions], "total_minutes": programme.total_minutes})
    return programme


def programme_pass_mark(programme: Programme) -> int:
    """The post-test pass mark of the completion rule."""
    if programme.pass_mark is not None:
        return programme.pass_mark
    marks = [item.module_version.pass_mark for item in programme.items.select_related("module_version")]
    return max(marks) if marks else 70
