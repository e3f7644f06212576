from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required, scoped_get, user_has_role
from certification import selectors
from certification.access import (
    CREDENTIAL_VERIFIERS,
    CREDENTIAL_WRITERS,
    REPORT_READERS,
    RULE_EDITORS,
    RULE_READERS,
    can_add_credential,
    can_verify,
    credential_for_user,
    record_person_for_user,
    require_add_credential,
    requirement_set_for_user,
)
from certification.evaluation import evaluate_people
from certification.forms import CredentialForm, RejectForm, RequirementForm, RequirementSetForm
from certification.models import Credential, CredentialKind, Requirement, RequirementSet
from certification.record import render_sections
from certification.services import (
    RequirementSetInput,
    credential_create,
    credential_reject,
    credential_verify,
    requirement_add,
    requirement_remove,
    requirement_set_create,
    requirement_set_update,
)
from certification.validity import mark_states, quarter_bounds
from people.access import can_see_full_identity
from people.identity import mask_identity
from people.models import Agency
from web.exports import csv_response, xlsx_response
from web.files import file_response
from web.pagination import paginate


def _int_or_none(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _agencies_for(user):
    return Agency.objects.all() if user.is_centre else Agency.objects.filter(pk=user.agency_id)


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def my_record(request):
    if not request.user.person_id:
        raise Http404
    return redirect("certification:record", person_id=request.user.person_id)


@role_required(*REPORT_READERS)
def credential_list(request):
    p = request.GET
    filters = selectors.CredentialFilters(
        kind=p.get("kind", "") if p.get("kind") in CredentialKind.values else "",
        status=p.get("status", "") if p.get("status") in Credential.Status.values else "",
        state=p.get("state", "") if p.get("state") in {"expired", "expiring", "valid"} else "",
        agency=_int_or_none(p.get("agency")), q=p.get("q", "").strip()[:60])
    page = paginate(request, selectors.credential_list(user=request.user, filters=filters,
                                                       today=timezone.localdate()))
    mark_states(page.items)
    return render(request, "certification/credential_list.html", {
        "page": page, "filters": filters, "kinds": CredentialKind.choices, "statuses": Credential.Status.choices,
        "agencies": _agencies_for(request.user), "can_verify": can_verify(request.user),
    })


_EXPORT_HEADER = ["Nama", "NIP/NIK", "Instansi", "Jenis", "Nomor", "Penerbit", "Berlaku sampai", "Sisa hari",
                  "Status verifikasi"]


@role_required(*REPORT_READERS)
def expiring_report(request):
    start, end = quarter_bounds(timezone.localdate())
    qs = selectors.expiring_between(user=request.user, start=start, end=end)
    export = request.GET.get("format")
    full = can_see_full_identity(request.user)
    if export in {"csv", "xlsx"}:
        def rows():
            for batch_start in range(0, 1_000_000, 2000):
                batch = mark_states(list(qs[batch_start: batch_start + 2000]))
                if not batch:
                    return
                for c in batch:
                    number = c.person.identity_number
                    yield [c.person.display_name, number if full else mask_identity(number), str(c.person.agency),
                           c.label, c.number, c.issuer or (str(c.region) if c.region else c.get_certifying_body_display()),
                           c.valid_until, c.days_left, c.get_status_display()]
        name = f"kredensial-berakhir-{start:%Y}-q{(start.month - 1) // 3 + 1}.{export}"
        if export == "csv":
            return csv_response(name, _EXPORT_HEADER, rows())
        return xlsx_response(name, _EXPORT_HEADER, rows(), sheet="Kredensial")
    page = paginate(request, qs)
    mark_states(page.items)
    return render(request, "certification/expiring.html", {"page": page, "start": start, "end": end,
                                                           "full_identity": full})


@role_required(*REPORT_READERS)
def gaps(request):
    sets = list(RequirementSet.objects.filter(is_active=True).select_related("position", "level")
                .prefetch_related("requirements"))
    chosen = next((s for s in sets if str(s.pk) == request.GET.get("set")), None)
    agency = _int_or_none(request.GET.get("agency"))
    q = request.GET.get("q", "").strip()[:60]
    page = paginate(request, selectors.people_with_rules(user=request.user, agency=agency,
                                                         requirement_set=chosen, q=q), per_page=25)
    results = evaluate_people(page.items, sets=[chosen] if chosen else sets)
    rows = [{"person": person, "results": results.get(person.pk, [])} for person in page.items]
    return render(request, "certification/gaps.html", {
        "page": page, "rows": rows, "sets": sets, "chosen": chosen, "agency": agency, "q": q,
        "agencies": _agencies_for(request.user), "full_identity": can_see_full_identity(request.user),
    })


def _position_note(person) -> str:
    if person.position:
        current = f"{person.position}{' · ' + person.level.name if person.level else ''}"
    else:
        current = _("belum tercatat")
    return _("Jabatan saat ini: %(current)s.") % {"current": current}


def build_record(person, user) -> dict:
    credentials = mark_states(selectors.person_credentials(person))
    number = person.identity_number
    return {
        "person": person,
        "identity": number if can_see_full_identity(user) else mask_identity(number) if number else "",
        "qualifications": evaluate_people([person]).get(person.pk, []),
        "credentials": credentials,
        "trainings": selectors.person_trainings(person),
        "sections": render_sections(person=person, user=user),
        "position_note": _position_note(person),
    }


def record(request, person_id: int):
    person = record_person_for_user(request.user, person_id)
    context = build_record(person, request.user)
    context["can_add"] = can_add_credential(request.user, person)
    context["can_verify"] = can_verify(request.user)
    return render(request, "certification/record.html", context)


def record_pdf(request, person_id: int):
    from certification.pdf import record_pdf as render_pdf

    person = record_person_for_user(request.user, person_id)
    response = HttpResponse(render_pdf(build_record(person, request.user)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="riwayat-{person.pk}.pdf"'
    return response


@role_required(*CREDENTIAL_WRITERS)
def credential_create_view(request, person_id: int):
    person = record_person_for_user(request.user, person_id)
    require_add_credential(request.user, person)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in CredentialKind.values else None
    form = CredentialForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            credential = credential_create(person=person, data=form.to_input(), document=form.cleaned_data["document"],
                                           by=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(label)s dicatat dan menunggu verifikasi Pusbangprof.")
                             % {"label": credential.label})
            return redirect("certification:record", person_id=person.pk)
    return render(request, "certification/credential_form.html", {"form": form, "person": person})


def credential_detail(request, credential_id: int):
    credential = credential_for_user(request.user, credential_id)
    mark_states([credential])
    return render(request, "certification/credential_detail.html", {
        "c": credential, "can_verify": can_verify(request.user), "reject_form": RejectForm()})


@require_POST
@role_required(*CREDENTIAL_VERIFIERS)
def credential_verify_view(request, credential_id: int):
    credential = credential_for_user(request.user, credential_id)
    try:
        credential_verify(credential=credential, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(label)s %(name)s terverifikasi.")
                         % {"label": credential.label, "name": credential.person.display_name})
    return _back(request, credential)


def _back(request, credential):
    target = request.POST.get("next", "")
    if target.startswith("/kualifikasi/") and "//" not in target:
        return redirect(target)
    return redirect("certification:credential", credential_id=credential.pk)


@require_POST
@role_required(*CREDENTIAL_VERIFIERS)
def credential_reject_view(request, credential_id: int):
    credential = credential_for_user(request.user, credential_id)
    try:
        credential_reject(credential=credential, reason=request.POST.get("reason", ""), by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(label)s ditolak; pemilik dapat membaca alasannya.") % {"label": credential.label})
    return _back(request, credential)


def credential_document(request, credential_id: int):
    """Stream a scan after the access check (scans are never served from MEDIA_URL)."""
    credential = credential_for_user(request.user, credential_id)
    if not credential.document:
        raise Http404
    content_type = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}.get(
        credential.document_kind) or mimetypes.guess_type(credential.document.name)[0] or "application/octet-stream"
    extension = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}.get(credential.document_kind, "bin")
    return file_response(credential.document, filename=f"{credential.kind}-{credential.pk}.{extension}",
                         content_type=content_type, attachment=False)


@role_required(*RULE_READERS)
def rule_list(request):
    can_edit = user_has_role(request.user, RULE_EDITORS)
    form = RequirementSetForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                rule_set = requirement_set_create(by=request.user, data=RequirementSetInput(
                    code=d["code"], name=d["name"], source=d["source"], position=d["position"], level=d["level"],
                    met_label=d["met_label"], unmet_label=d["unmet_label"]))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Perangkat persyaratan dibuat; tambahkan persyaratannya."))
                return redirect("certification:rule_set", set_id=rule_set.pk)
    sets = RequirementSet.objects.select_related("position", "level").prefetch_related("requirements")
    return render(request, "certification/rule_list.html", {"sets": sets, "can_edit": can_edit, "form": form})


@role_required(*RULE_READERS)
def rule_set_detail(request, set_id: int):
    rule_set = requirement_set_for_user(request.user, set_id)
    can_edit = user_has_role(request.user, RULE_EDITORS)
    form = RequirementForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "add" and form.is_valid():
                d = form.cleaned_data
                requirement_add(requirement_set=rule_set, kind=d["kind"], credential_kind=d["credential_kind"],
                                code=d["code"], label=d["label"], order=d["order"] or 100, by=request.user)
                messages.success(request, _("Persyaratan ditambahkan."))
                return redirect("certification:rule_set", set_id=rule_set.pk)
            if action == "remove":
                requirement = scoped_get(Requirement.objects.filter(requirement_set=rule_set),
                                         pk=request.POST.get("requirement"))
                requirement_remove(requirement=requirement, by=request.user)
                messages.success(request, _("Persyaratan dihapus."))
                return redirect("certification:rule_set", set_id=rule_set.pk)
            if action == "toggle":
                data = RequirementSetInput(**{name: getattr(rule_set, name) for name in [
                    "code", "name", "source", "description", "position", "level", "met_label", "unmet_label",
                    "order"]}, is_active=not rule_set.is_active)
                requirement_set_update(requirement_set=rule_set, data=data, by=request.user)
                messages.success(request, _("Perangkat diaktifkan.") if data.is_active else _("Perangkat dinonaktifkan."))
                return redirect("certification:rule_set", set_id=rule_set.pk)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                _errors(request, exc)
    return render(request, "certification/rule_set.html", {"rule_set": rule_set, "can_edit": can_edit, "form": form,
                                                           "requirements": rule_set.requirements.all()})
