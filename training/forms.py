"""Forms of the training pages (input parsing only; rules live in the services)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from curriculum.models import ModuleVersion
from people.models import Agency, EmploymentType, Position, PositionLevel, Region
from training.models import Event, Programme
from training.services_event import CityPlan, EventInput, SessionInput
from training.services_programme import ProgrammeInput

CURRICULUM_SLOTS = 8
CITY_SLOTS = 6


def _approved_versions():
    return ModuleVersion.objects.filter(status=ModuleVersion.Status.APPROVED).select_related("module").order_by(
        "module__code", "-number")


class ProgrammeForm(forms.Form):
    code = forms.SlugField(label=_("Kode program"), max_length=40, help_text=_("huruf kecil, angka dan tanda -"))
    title = forms.CharField(label=_("Judul"), max_length=250)
    description = forms.CharField(label=_("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    delivery = forms.ChoiceField(label=_("Jenis penyelenggaraan"), choices=Programme.Delivery.choices)
    target_positions = forms.ModelMultipleChoiceField(label=_("Jabatan sasaran"), required=False,
                                                      queryset=Position.objects.all(),
                                                      widget=forms.CheckboxSelectMultiple)
    target_levels = forms.ModelMultipleChoiceField(label=_("Jenjang sasaran"), required=False,
                                                   queryset=PositionLevel.objects.select_related("position"),
                                                   widget=forms.SelectMultiple(attrs={"size": 6}))
    target_employment_types = forms.MultipleChoiceField(label=_("Status kepegawaian sasaran"), required=False,
                                                        choices=EmploymentType.choices,
                                                        widget=forms.CheckboxSelectMultiple)
    min_attendance_percent = forms.IntegerField(label=_("Kehadiran minimal (% JP)"), initial=90, min_value=0,
                                                max_value=100)
    require_post_test = forms.BooleanField(label=_("Wajib lulus post-test"), required=False, initial=True)
    pass_mark = forms.IntegerField(label=_("Nilai lulus post-test"), required=False, min_value=0, max_value=100,
                                   help_text=_("kosongkan untuk memakai nilai lulus tertinggi dari modul"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versions = _approved_versions()
        for i in range(1, CURRICULUM_SLOTS + 1):
            self.fields[f"module_{i}"] = forms.ModelChoiceField(
                label=_("Modul ke-%(n)s") % {"n": i}, queryset=versions, required=i == 1,
                empty_label=_("— tidak ada —"))

    def module_fields(self):
        return [self[f"module_{i}"] for i in range(1, CURRICULUM_SLOTS + 1)]

    def to_input(self, organiser) -> ProgrammeInput:
        d = self.cleaned_data
        versions = [d[f"module_{i}"] for i in range(1, CURRICULUM_SLOTS + 1) if d.get(f"module_{i}")]
        return ProgrammeInput(code=d["code"], title=d["title"], description=d["description"],
                              delivery=d["delivery"], module_versions=versions,
                              target_positions=list(d["target_positions"]), target_levels=list(d["target_levels"]),
                              target_employment_types=d["target_employment_types"], organiser=organiser,
                              min_attendance_percent=d["min_attendance_percent"],
                              require_post_test=d["require_post_test"], pass_mark=d["pass_mark"])


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class EventsForm(forms.Form):
    """The events of one programme in several cities at once."""

    start_date = forms.DateField(label=_("Tanggal mulai"), widget=DateInput)
    end_date = forms.DateField(label=_("Tanggal selesai"), widget=DateInput)
    cap_percent = forms.IntegerField(label=_("Batas protokol kesehatan (% kapasitas)"), initial=100, min_value=1,
                                     max_value=100)
    mode = forms.ChoiceField(label=_("Moda"), choices=Event.Mode.choices)
    registration_opens = forms.DateTimeField(label=_("Pendaftaran dibuka"), required=False, widget=DateTimeInput)
    registration_closes = forms.DateTimeField(label=_("Pendaftaran ditutup"), required=False, widget=DateTimeInput)
    self_registration = forms.BooleanField(label=_("Peserta boleh mendaftar sendiri"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = Region.objects.filter(level=2).order_by("name")
        for i in range(1, CITY_SLOTS + 1):
            self.fields[f"city_{i}"] = forms.ModelChoiceField(label=_("Kota ke-%(n)s") % {"n": i}, queryset=cities,
                                                              required=i == 1, empty_label=_("— pilih —"))
            self.fields[f"venue_{i}"] = forms.CharField(label=_("Tempat ke-%(n)s") % {"n": i}, max_length=200,
                                                        required=False)
            self.fields[f"capacity_{i}"] = forms.IntegerField(label=_("Kapasitas tempat ke-%(n)s") % {"n": i},
                                                              required=False, min_value=1)

    def city_rows(self):
        return [(self[f"city_{i}"], self[f"venue_{i}"], self[f"capacity_{i}"]) for i in range(1, CITY_SLOTS + 1)]

    def clean(self):
        data = super().clean()
        for i in range(1, CITY_SLOTS + 1):
            if data.get(f"city_{i}") and not data.get(f"capacity_{i}"):
                self.add_error(f"capacity_{i}", _("Isi kapasitas tempat untuk kota ini."))
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data

    def plans(self) -> list[CityPlan]:
        d = self.cleaned_data
        return [CityPlan(city=d[f"city_{i}"], venue=d[f"venue_{i}"], venue_capacity=d[f"capacity_{i}"])
                for i in range(1, CITY_SLOTS + 1) if d.get(f"city_{i}")]

    def to_input(self) -> EventInput:
        d = self.cleaned_data
        return EventInput(start_date=d["start_date"], end_date=d["end_date"], cap_percent=d["cap_percent"],
                          mode=d["mode"], registration_opens=d["registration_opens"],
                          registration_closes=d["registration_closes"], self_registration=d["self_registration"])


class SessionForm(forms.Form):
    module_version = forms.ModelChoiceField(label=_("Modul"), queryset=ModuleVersion.objects.none())
    title = forms.CharField(label=_("Judul sesi"), max_length=200, required=False)
    day = forms.DateField(label=_("Tanggal"), widget=DateInput)
    starts = forms.TimeField(label=_("Mulai"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Selesai"), widget=forms.TimeInput(attrs={"type": "time"}))
    jp = forms.IntegerField(label=_("JP"), min_value=1, max_value=20)
    trainer = forms.ModelChoiceField(label=_("Pengajar"), required=False,
                                     queryset=User.objects.filter(role=Role.TRAINER, is_active=True))

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["module_version"].queryset = ModuleVersion.objects.filter(
            programme_items__programme=event.programme).select_related("module")

    def to_input(self) -> SessionInput:
        d = self.cleaned_data
        zone = zoneinfo.ZoneInfo(self.event.time_zone)
        return SessionInput(module_version=d["module_version"], title=d["title"], jp=d["jp"], trainer=d["trainer"],
                            starts_at=dt.datetime.combine(d["day"], d["starts"], tzinfo=zone),
                            ends_at=dt.datetime.combine(d["day"], d["ends"], tzinfo=zone))


class QuotaForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Instansi"), queryset=Agency.objects.all())
    seats = forms.IntegerField(label=_("Kuota kursi"), min_value=0)


class SheetForm(forms.Form):
    sheet = forms.FileField(label=_("Lembar kerja (XLSX, ODS, XLS atau CSV) dengan kolom NIP/NIK"))
