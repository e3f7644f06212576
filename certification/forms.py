from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certification.models import CertifyingBody, CredentialKind, Requirement
from certification.services import CredentialInput
from people.models import Region


class DateInput(forms.DateInput):
    input_type = "date"


class CredentialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=CredentialKind.choices)
    title = forms.CharField(label=_("Nama lisensi (untuk lisensi lain)"), required=False, max_length=200)
    number = forms.CharField(label=_("Nomor dokumen"), max_length=100)
    scheme = forms.CharField(label=_("Skema sertifikasi (sertifikat kompetensi)"), required=False, max_length=200)
    level = forms.CharField(label=_("Jenjang/kualifikasi"), required=False, max_length=100)
    certifying_body = forms.ChoiceField(label=_("Lembaga sertifikasi"), required=False,
                                        choices=[("", "—"), *CertifyingBody.choices])
    issuer = forms.CharField(label=_("Penerbit"), required=False, max_length=200,
                             help_text=_("STR: organisasi profesi; SIPPS: dinas penerbit; lembaga lain."))
    region = forms.ModelChoiceField(label=_("Daerah penerbit (SIPPS)"), required=False,
                                    queryset=Region.objects.order_by("code"))
    issued_on = forms.DateField(label=_("Tanggal terbit"), widget=DateInput)
    valid_until = forms.DateField(label=_("Berlaku sampai"), required=False, widget=DateInput,
                                  help_text=_("Hari terakhir masa berlaku (termasuk). Kosongkan bila seumur hidup."))
    document = forms.FileField(label=_("Pindaian dokumen (PDF, PNG atau JPEG, paling besar 10 MB)"))

    def to_input(self) -> CredentialInput:
        d = self.cleaned_data
        return CredentialInput(kind=d["kind"], number=d["number"], issued_on=d["issued_on"],
                               valid_until=d.get("valid_until"), title=d.get("title", ""),
                               scheme=d.get("scheme", ""), level=d.get("level", ""),
                               certifying_body=d.get("certifying_body", ""), issuer=d.get("issuer", ""),
                               region=d.get("region"))

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RequirementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis persyaratan"), choices=Requirement.Kind.choices)
    credential_kind = forms.ChoiceField(label=_("Jenis kredensial"), required=False,
                                        choices=[("", "—"), *CredentialKind.choices])
    code = forms.SlugField(label=_("Kode program/modul"), required=False, max_length=60)
    label = forms.CharField(label=_("Nama yang ditampilkan"), max_length=200)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=999, initial=100)


class RequirementSetForm(forms.Form):
    code = forms.SlugField(label=_("Kode"), max_length=60)
    name = forms.CharField(label=_("Nama"), max_length=200)
    source = forms.CharField(label=_("Dasar hukum"), required=False, max_length=300)
    position = forms.ModelChoiceField(label=_("Jabatan"), required=False, queryset=None)
    level = forms.ModelChoiceField(label=_("Jenjang"), required=False, queryset=None)
    met_label = forms.CharField(label=_("Label bila terpenuhi"), required=False, max_length=80)
    unmet_label = forms.CharField(label=_("Label bila belum terpenuhi"), required=False, max_length=80)

    def __init__(self, *args, **kwargs):
        from people.models import Position, PositionLevel

        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.all()
        self.fields["level"].queryset = PositionLevel.objects.select_related("position")
        self.fields["level"].label_from_instance = lambda level: f"{level.position} · {level.name}"
