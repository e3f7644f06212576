"""Forms of readiness pages: parse and validate input, the services do the rest."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from curriculum.models import Competency
from people.models import Position, Region
from readiness import conf
from readiness.models import CredentialKind, IncidentType, Service


def _regencies():
    return Region.objects.filter(level=Region.Level.REGENCY).order_by("code")


class _ServiceErrors:
    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


class IncidentForm(_ServiceErrors, forms.Form):
    title = forms.CharField(label=_("Nama kejadian"), max_length=200)
    type = forms.ChoiceField(label=_("Jenis bencana"), choices=IncidentType.choices)
    regencies = forms.ModelMultipleChoiceField(label=_("Kabupaten/kota terdampak"), queryset=_regencies(),
                                               to_field_name="code",
                                               help_text=_("Tahan Ctrl/Cmd untuk memilih lebih dari satu."))
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    services = forms.MultipleChoiceField(label=_("Layanan yang dibutuhkan"), choices=Service.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False)
    description = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RequestForm(_ServiceErrors, forms.Form):
    service = forms.ChoiceField(label=_("Layanan"), choices=Service.choices)
    role = forms.CharField(label=_("Peran"), max_length=120)
    people_needed = forms.IntegerField(label=_("Jumlah orang"), min_value=1, max_value=1000)
    competencies = forms.ModelMultipleChoiceField(
        label=_("Kompetensi wajib"), queryset=Competency.objects.order_by("name"), to_field_name="code",
        required=False, help_text=_("Kosongkan untuk memakai kompetensi baku layanan ini."))
    credential_kinds = forms.MultipleChoiceField(label=_("Kredensial wajib (masih berlaku)"),
                                                 choices=CredentialKind.choices, required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    preferred_positions = forms.ModelMultipleChoiceField(label=_("Jabatan yang diutamakan"),
                                                         queryset=Position.objects.all(), to_field_name="code",
                                                         required=False)
    start_date = forms.DateField(label=_("Mulai tugas"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Selesai tugas"), widget=forms.DateInput(attrs={"type": "date"}))
    assembly_point = forms.ModelChoiceField(label=_("Titik kumpul (kabupaten/kota)"), queryset=_regencies(),
                                            to_field_name="code")
    max_version_age_months = forms.IntegerField(label=_("Umur maksimal versi modul lama (bulan)"), min_value=0,
                                                max_value=240, required=False)

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["max_version_age_months"].initial = conf.module_version_max_age_months()
        if incident is not None:
            first = incident.regencies.order_by("code").first()
            if first:
                self.fields["assembly_point"].initial = first.code

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Tanggal selesai sebelum tanggal mulai."))
        return data

    def competency_codes(self) -> list[str]:
        chosen = [c.code for c in self.cleaned_data.get("competencies") or []]
        return chosen or list(conf.service_competencies().get(self.cleaned_data["service"], []))


class UnavailabilityForm(_ServiceErrors, forms.Form):
    person = forms.ModelChoiceField(label=_("SDM"), queryset=None)
    start_date = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Selesai"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Alasan"), max_length=200)

    def __init__(self, *args, people=None, own_person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        if own_person is not None:
            self.fields["person"].initial = own_person.pk
            self.fields["person"].widget = forms.HiddenInput()
        else:
            # A million people do not fit a drop-down: the person's number (ID SDM) from their record.
            self.fields["person"].widget = forms.NumberInput()
            self.fields["person"].label = _("ID SDM")
            self.fields["person"].help_text = _("Nomor ID pada halaman data SDM.")

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Tanggal selesai sebelum tanggal mulai."))
        return data
