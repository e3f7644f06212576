"""Certificate pages (under /sertifikat/) and the public verification pages (under /v/)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from credentials import badge, verification
from credentials.access import CERT_MANAGERS, CERT_READERS, KEY_MANAGERS, can_manage, certificate_for_user
from credentials.models import Certificate, CertificateJob, CertificateTemplate, SigningKey
from credentials.pdf import ensure_pdf
from credentials.selectors import (
    CertificateFilters,
    certificate_search,
    certificates_of_user,
    jobs_visible_to,
)
from credentials.services import (
    TEMPLATE_FIELDS,
    certificate_issue,
    certificate_job_start,
    certificate_reissue,
    certificate_revoke,
    certificate_template_update,
    signing_key_generate,
    template_for,
)
from people.access import can_see_full_identity
from training.models import Enrolment, Event, Programme
from web.files import file_response
from web.pagination import paginate


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Lists ------------------------------------------------------------------------------------------------

@role_required(*CERT_READERS)
def certificate_list(request):
    filters = CertificateFilters(
        q=request.GET.get("q", "").strip()[:100], programme=_int_or_none(request.GET.get("programme")),
        event=_int_or_none(request.GET.get("event")), status=request.GET.get("status", ""),
    )
    page = paginate(request, certificate_search(user=request.user, filters=filters))
    context = {"page": page, "filters": filters, "statuses": Certificate.Status.choices,
               "programmes": Programme.objects.order_by("title").only("pk", "title"),
               "events": (Event.objects.filter(programme_id=filters.programme).order_by("start_date")
                          if filters.programme else Event.objects.none()),
               "full_identity": can_see_full_identity(request.user), "can_manage": can_manage(request.user)}
    template = "credentials/_certificate_rows.html" if request.headers.get("HX-Request") else \
        "credentials/certificate_list.html"
    return render(request, template, context)


def my_certificates(request):
    certificates = list(certificates_of_user(request.user))
    return render(request, "credentials/mine.html", {"certificates": certificates})


# --- One certificate ------------------------------------------------------------------------------------

class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan pencabutan"), max_length=300, min_length=5,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class ReissueForm(forms.Form):
    person_name = forms.CharField(label=gettext_lazy("Nama pada sertifikat baru"), max_length=220, required=False,
                                  help_text=gettext_lazy("Kosongkan untuk memakai nama terkini dari data pegawai."))
    reason = forms.CharField(label=gettext_lazy("Alasan terbit ulang"), max_length=300, min_length=5)


def certificate_detail(request, certificate_id: int):
    cert = certificate_for_user(request.user, certificate_id)
    return render(request, "credentials/certificate_detail.html", {
        "cert": cert, "full_identity": can_see_full_identity(request.user), "can_manage": can_manage(request.user),
        "revoke_form": RevokeForm(prefix="revoke"),
        "reissue_form": ReissueForm(prefix="reissue", initial={"person_name": cert.person_name}),
        "replaces": Certificate.objects.filter(superseded_by=cert).first(),
    })


def certificate_pdf(request, certificate_id: int):
    """The PDF, for the person themself, their agency admin and centre staff only (others: 404)."""
    cert = certificate_for_user(request.user, certificate_id)
    cert = ensure_pdf(cert)
    return file_response(cert.pdf, filename=f"sertifikat-{cert.code}.pdf", content_type="application/pdf",
                         attachment=True)


def certificate_badge(request, certificate_id: int):
    cert = certificate_for_user(request.user, certificate_id)
    return _badge_response(cert, attachment=True)


def _badge_response(cert: Certificate, *, attachment: bool) -> HttpResponse:
    body = json.dumps(badge.signed_badge(cert), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="openbadge-{cert.code}.json"'
    return response


@role_required(*CERT_MANAGERS)
@require_POST
def certificate_revoke_view(request, certificate_id: int):
    cert = certificate_for_user(request.user, certificate_id)
    form = RevokeForm(request.POST, prefix="revoke")
    if not form.is_valid():
        messages.error(request, _("Tulis alasan pencabutan (paling sedikit 5 huruf)."))
        return redirect("credentials:detail", certificate_id=cert.pk)
    try:
        certificate_revoke(certificate=cert, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Sertifikat %(serial)s dicabut.") % {"serial": cert.serial})
    return redirect("credentials:detail", certificate_id=cert.pk)


@role_required(*CERT_MANAGERS)
@require_POST
def certificate_reissue_view(request, certificate_id: int):
    cert = certificate_for_user(request.user, certificate_id)
    form = ReissueForm(request.POST, prefix="reissue")
    if not form.is_valid():
        messages.error(request, _("Tulis alasan terbit ulang (paling sedikit 5 huruf)."))
        return redirect("credentials:detail", certificate_id=cert.pk)
    try:
        new = certificate_reissue(certificate=cert, reason=form.cleaned_data["reason"], by=request.user,
                                  person_name=form.cleaned_data["person_name"])
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("credentials:detail", certificate_id=cert.pk)
    messages.success(request, _("Sertifikat baru %(serial)s menggantikan %(old)s.")
                     % {"serial": new.serial, "old": cert.serial})
    return redirect("credentials:detail", certificate_id=new.pk)


# --- Manual issue ---------------------------------------------------------------------------------------

@role_required(*CERT_MANAGERS)
def certificate_issue_view(request):
    event = Event.objects.filter(pk=_int_or_none(request.GET.get("event") or request.POST.get("event"))).first()
    if request.method == "POST":
        enrolment = get_object_or_404(Enrolment, pk=_int_or_none(request.POST.get("enrolment")), event=event)
        try:
            cert = certificate_issue(enrolment=enrolment, by=request.user, kind=Certificate.Kind.MANUAL,
                                     reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            _errors(request, exc)
            return redirect(f"{request.path}?event={event.pk}")
        messages.success(request, _("Sertifikat %(serial)s diterbitkan.") % {"serial": cert.serial})
        return redirect("credentials:detail", certificate_id=cert.pk)
    enrolments = []
    if event is not None:
        enrolments = list(Enrolment.objects.filter(event=event).exclude(certificates__status="issued")
                          .filter(status__in=[Enrolment.Status.COMPLETED, Enrolment.Status.ATTENDED,
                                              Enrolment.Status.NOT_COMPLETED])
                          .select_related("person").order_by("person__sort_name")[:500])
    return render(request, "credentials/issue_form.html", {
        "events": Event.objects.select_related("programme").order_by("-start_date")[:300], "event": event,
        "enrolments": enrolments,
    })


# --- Templates ------------------------------------------------------------------------------------------

class TemplateForm(forms.ModelForm):
    logo_upload = forms.FileField(label=gettext_lazy("Logo baru (PNG/JPEG, paling besar 2 MB)"), required=False)
    remove_logo = forms.BooleanField(label=gettext_lazy("Hapus logo"), required=False)

    class Meta:
        model = CertificateTemplate
        fields = TEMPLATE_FIELDS
        widgets = {"primary_colour": forms.TextInput(attrs={"type": "color"}),
                   "accent_colour": forms.TextInput(attrs={"type": "color"})}


@role_required(*CERT_MANAGERS)
def template_list(request):
    programmes = Programme.objects.select_related("certificate_template").order_by("title")
    page = paginate(request, programmes)
    return render(request, "credentials/template_list.html", {"page": page})


@role_required(*CERT_MANAGERS)
def template_edit(request, programme_id: int):
    programme = get_object_or_404(Programme, pk=programme_id)
    template = template_for(programme)
    form = TemplateForm(request.POST or None, request.FILES or None, instance=template)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in TEMPLATE_FIELDS}
        try:
            certificate_template_update(programme=programme, data=data, logo=form.cleaned_data.get("logo_upload"),
                                        remove_logo=form.cleaned_data.get("remove_logo", False), by=request.user)
        except ValidationError as exc:
            form.add_error("logo_upload" if not hasattr(exc, "error_dict") else None, exc)
        else:
            messages.success(request, _("Templat sertifikat %(programme)s disimpan.") % {"programme": programme})
            return redirect("credentials:templates")
    return render(request, "credentials/template_form.html", {"form": form, "programme": programme,
                                                              "template": template})


# --- Bulk jobs ------------------------------------------------------------------------------------------

@role_required(*CERT_MANAGERS)
def job_list(request):
    if request.method == "POST":
        event = Event.objects.filter(pk=_int_or_none(request.POST.get("event"))).first()
        programme = None if event else Programme.objects.filter(pk=_int_or_none(request.POST.get("programme"))).first()
        try:
            job = certificate_job_start(action=request.POST.get("action", ""), event=event, programme=programme,
                                        by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("credentials:jobs")
        messages.success(request, _("Pekerjaan dimulai; kemajuannya tampil di bawah."))
        return redirect("credentials:job", job_id=job.pk)
    page = paginate(request, jobs_visible_to(request.user), per_page=25)
    return render(request, "credentials/jobs.html", {
        "page": page, "actions": CertificateJob.Action.choices,
        "events": Event.objects.select_related("programme").order_by("-start_date")[:300],
        "programmes": Programme.objects.order_by("title"),
    })


@role_required(*CERT_MANAGERS)
def job_detail(request, job_id: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=job_id)
    return render(request, "credentials/job_detail.html", {"job": job})


@role_required(*CERT_MANAGERS)
def job_progress(request, job_id: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=job_id)
    return render(request, "credentials/_job_progress.html", {"job": job})


@role_required(*CERT_MANAGERS)
def job_download(request, job_id: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=job_id)
    if not job.output:
        raise Http404
    suffix = job.output.name.rsplit(".", 1)[-1]
    return file_response(job.output, filename=f"sertifikat-{job.pk}.{suffix}", attachment=True,
                         content_type="application/pdf" if suffix == "pdf" else "application/zip")


# --- Signing keys ---------------------------------------------------------------------------------------

@role_required(*KEY_MANAGERS)
def key_list(request):
    return render(request, "credentials/keys.html", {"keys": SigningKey.objects.order_by("-created_at")})


@role_required(*KEY_MANAGERS)
@require_POST
def key_rotate(request):
    key = signing_key_generate(by=request.user)
    messages.success(request, _("Kunci baru %(key)s aktif; kunci lama tetap dipakai untuk memverifikasi.")
                     % {"key": key.key_id})
    return redirect("credentials:keys")


# --- Public verification (no login) ---------------------------------------------------------------------

def _too_many(request) -> HttpResponse:
    response = render(request, "credentials/verify.html", {"limited": True}, status=429)
    response["Retry-After"] = "60"
    return response


@login_not_required
@require_GET
def verify_form(request):
    query = request.GET.get("q", "").strip()
    result = None
    if query:
        if verification.rate_limited(request):
            return _too_many(request)
        result = verification.lookup(query)
    return render(request, "credentials/verify.html", _verify_context(result, query))


@login_not_required
@require_GET
def verify_code(request, code: str, signed: str = ""):
    if verification.rate_limited(request):
        return _too_many(request)
    text = f"{code}/{signed}" if signed else code
    result = verification.lookup(text)
    return render(request, "credentials/verify.html", _verify_context(result, code), status=200)


def _verify_context(result, query: str) -> dict:
    context = {"result": result, "query": query}
    if result is not None and result.certificate is not None:
        context["facts"] = verification.public_facts(result.certificate)
    return context


@login_not_required
@require_GET
def public_badge(request, code: str):
    if verification.rate_limited(request):
        return JsonResponse({"detail": _("Terlalu banyak pemeriksaan; coba lagi dalam satu menit.")}, status=429)
    cert = Certificate.objects.filter(code=verification.normalise_code(code)).first()
    if cert is None:
        raise Http404
    return _badge_response(cert, attachment=False)


@login_not_required
@require_GET
def public_keys(request):
    response = JsonResponse(badge.key_document(), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'inline; filename="kunci-sertifikat-siaga.json"'
    return response


@login_not_required
@require_GET
def issuer_profile(request):
    return JsonResponse({"@context": badge.CONTEXTS, "id": badge.issuer_id(), "type": ["Profile"],
                         "name": badge.ISSUER_NAME, "url": request.build_absolute_uri("/"),
                         "publicKeys": badge.key_document_url()})
