from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from curriculum.access import is_manager
from curriculum.models import (
    Competency,
    CompetencyArea,
    Institution,
    InstitutionMember,
    Module,
    ModuleSession,
    ReviewAssignment,
)
from curriculum.services import ModuleInput
from people.models import Position, PositionLevel


class ServiceErrorsMixin:
    def add_service_errors(self, error) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class ModuleForm(ServiceErrorsMixin, forms.Form):
    code = forms.SlugField(label=_("Kode modul"), max_length=40, help_text=_("Huruf kecil, angka dan tanda minus, "
                                                                             "misalnya ldp-covid19."))
    title = forms.CharField(label=_("Judul"), max_length=200)
    summary = forms.CharField(label=_("Ringkasan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label=_("Lembaga pemilik (penyusun)"), queryset=Institution.objects.none())
    competencies = forms.ModelMultipleChoiceField(label=_("Kompetensi"), required=False,
                                                  queryset=Competency.objects.select_related("area"))
    target_positions = forms.ModelMultipleChoiceField(label=_("Jabatan sasaran"), required=False,
                                                      queryset=Position.objects.all())
    target_levels = forms.ModelMultipleChoiceField(label=_("Jenjang sasaran"), required=False,
                                                   queryset=PositionLevel.objects.select_related("position"))
    review_days = forms.IntegerField(label=_("Lama telaah (hari)"), min_value=1, max_value=90, initial=14,
                                     help_text=_("Jalur cepat: 14 hari untuk seluruh modul."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = Institution.objects.all()
        if not is_manager(user):
            owners = owners.filter(members__user=user, members__role=InstitutionMember.Role.AUTHOR).distinct()
        self.fields["owner"].queryset = owners
        self.fields["competencies"].label_from_instance = lambda c: f"{c.area.name} – {c.name}"
        self.fields["target_levels"].label_from_instance = lambda lvl: f"{lvl.position.name} – {lvl.name}"

    @staticmethod
    def initial_from(module: Module) -> dict:
        return {"code": module.code, "title": module.title, "summary": module.summary, "owner": module.owner,
                "competencies": list(module.competencies.all()),
                "target_positions": list(module.target_positions.all()),
                "target_levels": list(module.target_levels.all()), "review_days": module.review_days}

    def to_input(self) -> ModuleInput:
        d = self.cleaned_data
        return ModuleInput(code=d["code"], title=d["title"], summary=d["summary"], owner=d["owner"],
                           competencies=d["competencies"], target_positions=d["target_positions"],
                           target_levels=d["target_levels"], review_days=d["review_days"])


class VersionForm(ServiceErrorsMixin, forms.Form):
    objectives = forms.CharField(label=_("Tujuan pembelajaran"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 5}),
                                 help_text=_("Satu tujuan per baris."))
    pass_mark = forms.IntegerField(label=_("Nilai lulus post-test"), min_value=0, max_value=100)
    change_note = forms.CharField(label=_("Catatan perubahan"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class SessionForm(ServiceErrorsMixin, forms.Form):
    topic = forms.CharField(label=_("Topik sesi"), max_length=200)
    method = forms.ChoiceField(label=_("Metode"), choices=ModuleSession.Method.choices)
    jp = forms.IntegerField(label=_("JP"), min_value=1, max_value=100, help_text=_("1 JP = 45 menit."))


class MaterialFileForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Judul bahan"), max_length=200, required=False)
    file = forms.FileField(label=_("Berkas (PDF, DOCX, PPTX, XLSX)"))


class MaterialLinkForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Judul video"), max_length=200, required=False)
    url = forms.CharField(label=_("Tautan video"), max_length=500)


class SubmitForm(ServiceErrorsMixin, forms.Form):
    reviewers = forms.ModelMultipleChoiceField(label=_("Penelaah"), queryset=User.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    due_date = forms.DateField(label=_("Batas telaah"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Kosongkan untuk memakai lama telaah modul."))

    def __init__(self, *args, reviewers, labels: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers
        self.fields["reviewers"].label_from_instance = lambda u: labels.get(u.pk, u.username)


class DecisionForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), widget=forms.RadioSelect, choices=[
        (ReviewAssignment.Decision.APPROVED, ReviewAssignment.Decision.APPROVED.label),
        (ReviewAssignment.Decision.CHANGES_REQUESTED, ReviewAssignment.Decision.CHANGES_REQUESTED.label)])
    comment = forms.CharField(label=_("Komentar"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000)


class AreaForm(ServiceErrorsMixin, forms.Form):
    code = forms.SlugField(label=_("Kode bidang"), max_length=40)
    name = forms.CharField(label=_("Nama bidang"), max_length=120)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=999, initial=50)


class CompetencyForm(ServiceErrorsMixin, forms.Form):
    area = forms.ModelChoiceField(label=_("Bidang"), queryset=CompetencyArea.objects.all())
    code = forms.SlugField(label=_("Kode kompetensi"), max_length=40)
    name = forms.CharField(label=_("Nama kompetensi"), max_length=160)
    description = forms.CharField(label=_("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InstitutionForm(ServiceErrorsMixin, forms.Form):
    code = forms.SlugField(label=_("Kode lembaga"), max_length=40)
    name = forms.CharField(label=_("Nama lembaga"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Institution.Kind.choices)


class MemberForm(ServiceErrorsMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Pengguna"), queryset=User.objects.filter(
        role__in=[Role.AUTHOR, Role.REVIEWER, Role.CENTRE_ADMIN], is_active=True).order_by("username"))
    role = forms.ChoiceField(label=_("Peran di lembaga"), choices=InstitutionMember.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name()} ({u.username}, {u.get_role_display()})"
