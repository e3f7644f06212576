from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hours.models import EntryType
from hours.services import ExternalInput
from people.models import EmploymentType


class ExternalEntryForm(forms.Form):
    title = forms.CharField(label=_("Nama kegiatan"), max_length=250)
    entry_type = forms.ChoiceField(label=_("Jenis"), choices=EntryType.choices)
    date = forms.DateField(label=_("Tanggal (selesai)"), widget=forms.DateInput(attrs={"type": "date"}))
    start_date = forms.DateField(label=_("Tanggal mulai"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.IntegerField(label=_("Durasi: jam"), min_value=0, max_value=150, initial=0)
    minutes = forms.IntegerField(label=_("Durasi: menit"), min_value=0, max_value=59, initial=0)
    organiser = forms.CharField(label=_("Penyelenggara"), max_length=200, required=False)
    location = forms.CharField(label=_("Lokasi"), max_length=200, required=False)
    certificate_number = forms.CharField(label=_("Nomor sertifikat"), max_length=100, required=False)
    evidence = forms.FileField(label=_("Bukti (PDF, PNG atau JPEG)"))

    def clean(self):
        data = super().clean()
        if (data.get("hours") or 0) * 60 + (data.get("minutes") or 0) <= 0:
            self.add_error("hours", _("Isi durasi kegiatan (jam dan/atau menit)."))
        return data

    def to_input(self) -> ExternalInput:
        d = self.cleaned_data
        return ExternalInput(date=d["date"], minutes=d["hours"] * 60 + d["minutes"], entry_type=d["entry_type"],
                             title=d["title"], organiser=d["organiser"], location=d["location"],
                             certificate_number=d["certificate_number"], start_date=d["start_date"] or d["date"],
                             end_date=d["date"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=500)


class RequirementForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    employment_type = forms.ChoiceField(label=_("Status kepegawaian"), choices=EmploymentType.choices)
    minimum_jp = forms.IntegerField(label=_("Minimal JP"), min_value=0, max_value=500)
    legal_source = forms.CharField(label=_("Dasar hukum"), widget=forms.Textarea(attrs={"rows": 2}))
    needs_check = forms.BooleanField(label=_("Perlu dicek ke naskah resmi"), required=False)


class ShareForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    entry_type = forms.ChoiceField(label=_("Jenis"), choices=EntryType.choices)
    percent = forms.IntegerField(label=_("Persentase diakui"), min_value=0, max_value=100)
    legal_source = forms.CharField(label=_("Dasar hukum"), widget=forms.Textarea(attrs={"rows": 2}))
    needs_check = forms.BooleanField(label=_("Perlu dicek ke naskah resmi"), required=False)
