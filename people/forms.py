from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from people.access import agencies_writable_by
from people.models import EmploymentType, Person, Position, PositionLevel, Region, Sex
from people.services import PersonInput, person_clean


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150,
                                help_text=_("Gelar boleh ditulis di sini; Siaga memisahkannya."))
    title_prefix = forms.CharField(label=_("Gelar depan"), max_length=40, required=False)
    title_suffix = forms.CharField(label=_("Gelar belakang"), max_length=60, required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices)
    employment_type = forms.ChoiceField(label=_("Status kepegawaian"), choices=EmploymentType.choices)
    nip = forms.CharField(label=_("NIP"), max_length=30, required=False, help_text=_("18 digit, untuk PNS/PPPK."))
    nik = forms.CharField(label=_("NIK"), max_length=30, required=False, help_text=_("16 digit, untuk non-ASN."))
    birth_date = forms.DateField(label=_("Tanggal lahir"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=80, required=False)
    agency = forms.ModelChoiceField(label=_("Instansi"), queryset=None)
    work_unit = forms.CharField(label=_("Unit kerja"), max_length=200, required=False)
    position = forms.ModelChoiceField(label=_("Jabatan"), queryset=Position.objects.all(), required=False)
    level = forms.ModelChoiceField(label=_("Jenjang"), queryset=PositionLevel.objects.select_related("position"),
                                   required=False)
    rank_grade = forms.CharField(label=_("Pangkat/golongan"), max_length=60, required=False)
    region = forms.ModelChoiceField(label=_("Kabupaten/kota"), required=False,
                                    queryset=Region.objects.filter(level=2).select_related("province"))
    phone = forms.CharField(label=_("Nomor HP"), max_length=30, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)

    def __init__(self, *args, user, instance: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["agency"].queryset = agencies_writable_by(user)
        self.fields["level"].label_from_instance = lambda lvl: f"{lvl.position.name} – {lvl.name}"

    @classmethod
    def initial_from(cls, person: Person) -> dict:
        return {name: getattr(person, name) for name in cls.base_fields}

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(**{name: data.get(name) if data.get(name) is not None else "" for name in self.fields
                              if name not in {"agency", "position", "level", "region", "birth_date", "nip", "nik"}},
                           agency=data.get("agency"), position=data.get("position"), level=data.get("level"),
                           region=data.get("region"), birth_date=data.get("birth_date"),
                           nip=data.get("nip") or None, nik=data.get("nik") or None)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            # The form already fails (e.g. a required field is empty): run the registry's own
            # checks too, so the user sees every field's problem at once, not one round at a time.
            try:
                person_clean(self.to_input(), instance=self.instance)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    if field in self.fields and field not in self.errors:
                        for message in messages:
                            self.add_error(field, message)
        return cleaned

    def add_service_errors(self, error) -> None:
        for field, messages in error.message_dict.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
