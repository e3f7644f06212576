"""The people list as a spreadsheet: the page's filters and order, through ``web.exports``.

NIP/NIK are masked unless the user may see them in full (UU 27/2022 on personal data), and every
export writes an audit row naming its filters and how many rows left the system."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from people.access import can_see_full_identity
from people.identity import mask_identity
from people.models import EmploymentType, Sex
from people.selectors import PersonFilters, person_search
from web.exports import csv_response, xlsx_response

EXPORT_FORMATS = ("csv", "xlsx")
#: An XLSX workbook is built in memory; larger lists go out as CSV, which streams.
XLSX_MAX_ROWS = 100_000
_CHUNK = 2000


def export_header() -> list[str]:
    return [_("Nama"), _("Gelar depan"), _("Nama lengkap"), _("Gelar belakang"), _("NIP"), _("NIK"),
            _("Jenis kelamin"), _("Tanggal lahir"), _("Status kepegawaian"), _("Jabatan"), _("Jenjang"),
            _("Pangkat/golongan"), _("Instansi"), _("Unit kerja"), _("Kabupaten/kota"), _("Provinsi"),
            _("Nomor HP"), _("Email"), _("Status")]


def export_rows(people, *, full: bool) -> Iterator[list]:
    # A CSV streams after the view has returned: translate every label now, in the request's language.
    sexes = {value: str(label) for value, label in Sex.choices}
    types = {value: str(label) for value, label in EmploymentType.choices}
    active, inactive = _("aktif"), _("tidak aktif")
    return _rows(people, full=full, sexes=sexes, types=types, active=active, inactive=inactive)


def _rows(people, *, full: bool, sexes: dict, types: dict, active: str, inactive: str) -> Iterator[list]:
    def shown(number: str | None) -> str:
        if not number:
            return ""
        return number if full else mask_identity(number)

    for person in people:
        yield [person.display_name, person.title_prefix, person.full_name, person.title_suffix, shown(person.nip),
               shown(person.nik), sexes.get(person.sex, person.sex), person.birth_date, types.get(person.employment_type, person.employment_type),
               person.position.name if person.position else "", person.level.name if person.level else "",
               person.rank_grade, person.agency.name, person.work_unit, person.region.name if person.region else "",
               person.province.name if person.province else "", person.phone, person.email,
               active if person.is_active else inactive]


def people_export(*, user, filters: PersonFilters, fmt: str):
    """A CSV (streamed) or XLSX response of the people ``user`` sees under ``filters``."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(_("Format ekspor %(fmt)s tidak dikenal.") % {"fmt": fmt})
    queryset = person_search(user=user, filters=filters)
    rows = queryset.order_by().count()
    if fmt == "xlsx" and rows > XLSX_MAX_ROWS:
        raise ValidationError(
            _("Daftar ini berisi %(rows)s orang; XLSX dibatasi %(max)s baris. Persempit saringan atau unduh CSV.")
            % {"rows": f"{rows:,}".replace(",", "."), "max": f"{XLSX_MAX_ROWS:,}".replace(",", ".")})
    full = can_see_full_identity(user)
    with transaction.atomic():
        audit_record(actor=user, action="person.export", target_type="people.person",
                     after={"format": fmt, "filters": filters.as_dict(), "rows": rows, "full_identity": full})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"sdm-kesos-{stamp}.{fmt}"
    people = queryset.iterator(chunk_size=_CHUNK)
    if fmt == "csv":
        return csv_response(filename, export_header(), export_rows(people, full=full))
    return xlsx_response(filename, export_header(), export_rows(people, full=full), sheet="SDM Kesos")


