"""Pages of readiness: thin views over readiness.services, .selectors and .matching."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required, scoped_get, sees_all_agencies
from accounts.roles import Role
from people.models import Agency, Position, Region
from readiness import access, conf, selectors, services
from readiness.forms import IncidentForm, RequestForm, UnavailabilityForm
from readiness.matching import EXCLUDED_REASONS, Filters, match_request
from readiness.models import AgencyReadinessPolicy, CallUp, Deployment, Incident, Service
from web.maps import province_map_svg
from web.pagination import paginate


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _float_or_none(value) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or number > 0 else None


def roster_filters(user, params) -> Filters:
    province = params.get("province", "").strip()[:2]
    return Filters(province=province if province.isdigit() else "", position_id=_int_or_none(params.get("position")),
                   max_km=_float_or_none(params.get("max_km")), agency_id=access.roster_agency(user))


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# ---------------------------------------------------------------- dashboard and gaps

@role_required(*access.READERS)
def dashboard(request):
    agency_id = None if sees_all_agencies(request.user) else request.user.agency_id
    counts = selectors.readiness_by_province(agency_id=agency_id)
    service = request.GET.get("service", conf.gap_service())
    if service not in Service.values:
        service = conf.gap_service()
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    shown = counts.get(service, {})
    top = max(shown.values(), default=0)
    values = {p.code: (shown.get(p.code, 0) / top if top else 0.0) for p in provinces}
    labels = {p.code: _("%(name)s: %(n)s orang siap") % {"name": p.name, "n": number_format(shown.get(p.code, 0))} for p in provinces}
    rows = [{"province": p, "cells": [counts.get(s, {}).get(p.code, 0) for s in Service.values]} for p in provinces]
    totals = [sum(counts.get(s, {}).values()) for s in Service.values]
    gaps = selectors.readiness_gaps(counts)
    svg = province_map_svg(values, labels=labels, title=_("Kesiapan %(service)s per provinsi")
                           % {"service": Service(service).label},
                           link=reverse("readiness:gap", kwargs={"province": "0"}).replace("/0/", "/{code}/"))
    return render(request, "readiness/dashboard.html", {
        "rows": rows, "services": Service.choices, "totals": totals, "service": service,
        "service_label": Service(service).label, "map_svg": svg, "gaps": gaps,
        "gap_minimum": conf.gap_min_qualified(), "gap_service": Service(conf.gap_service()).label,
        "active_incidents": Incident.objects.filter(status=Incident.Status.ACTIVE).count(),
    })


@role_required(*access.READERS)
def gap_detail(request, province: str):
    region = scoped_get(Region.objects.filter(level=Region.Level.PROVINCE), code=province)
    agency_id = None if sees_all_agencies(request.user) else request.user.agency_id
    counts = selectors.readiness_by_province(agency_id=agency_id)
    service = conf.gap_service()
    events = selectors.events_near(
        selectors.upcoming_events(selectors._service_competencies().get(service, []), today=timezone.localdate()),
        region)
    return render(request, "readiness/gap_detail.html", {
        "province": region, "qualified": counts.get(service, {}).get(region.code, 0),
        "minimum": conf.gap_min_qualified(), "service_label": Service(service).label, "events": events[:20],
    })


# ---------------------------------------------------------------- incidents

@role_required(*access.READERS)
def incident_list(request):
    status = request.GET.get("status", "")
    status = status if status in Incident.Status.values else ""
    page = paginate(request, selectors.incident_list(status=status))
    return render(request, "readiness/incident_list.html", {
        "page": page, "status": status, "statuses": Incident.Status.choices,
        "can_manage": access.can_manage(request.user)})


@role_required(*access.MANAGERS)
def incident_create(request):
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_create(
                by=request.user, title=data["title"], type=data["type"],
                regency_codes=[r.code for r in data["regencies"]], start_date=data["start_date"],
                services=data["services"], description=data["description"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Kejadian %(title)s dicatat.") % {"title": incident.title})
            return redirect("readiness:incident", incident_id=incident.pk)
    return render(request, "readiness/incident_form.html", {"form": form})


@role_required(*access.READERS)
def incident_detail(request, incident_id: int):
    incident = access.incident_for_user(request.user, incident_id)
    return render(request, "readiness/incident_detail.html", {
        "incident": incident, "regencies": incident.regencies.order_by("code"),
        "requests": selectors.requests_of(incident), "can_manage": access.can_manage(request.user)})


@require_POST
@role_required(*access.MANAGERS)
def incident_transition(request, incident_id: int):
    incident = access.incident_for_user(request.user, incident_id)
    action = request.POST.get("action")
    moves = {"recovery": services.incident_start_recovery, "close": services.incident_close}
    if action not in moves:
        raise Http404
    try:
        incident = moves[action](incident=incident, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Status kejadian: %(status)s.") % {"status": incident.get_status_display()})
    return redirect("readiness:incident", incident_id=incident.pk)


# ---------------------------------------------------------------- requests, roster and board

@role_required(*access.MANAGERS)
def request_create(request, incident_id: int):
    incident = access.incident_for_user(request.user, incident_id)
    form = RequestForm(request.POST or None, incident=incident)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.request_create(
                by=request.user, incident=incident, service=data["service"], role=data["role"],
                people_needed=data["people_needed"], competency_codes=form.competency_codes(),
                credential_kinds=data["credential_kinds"], start_date=data["start_date"], end_date=data["end_date"],
                assembly_point_code=data["assembly_point"].code,
                preferred_position_codes=[p.code for p in data["preferred_positions"]],
                max_version_age_months=data.get("max_version_age_months"))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Permintaan penugasan dibuat. Pilih orang dari daftar di bawah."))
            return redirect("readiness:request", request_id=req.pk)
    return render(request, "readiness/request_form.html", {"form": form, "incident": incident})


@role_required(*access.READERS)
def request_detail(request, request_id: int):
    req = access.request_for_user(request.user, request_id)
    filters = roster_filters(request.user, request.GET)
    result = match_request(req, filters=filters, limit=max(50, req.people_needed * 3))
    return render(request, "readiness/request_detail.html", {
        "req": req, "result": result, "filters": filters, "filter_query": request.GET.urlencode(),
        "excluded": [(str(EXCLUDED_REASONS[k]), n) for k, n in result.excluded_counts().items()],
        "provinces": Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"),
        "positions": Position.objects.all(), "can_manage": access.can_manage(request.user),
        "competencies": req.competencies.all(), "callups": selectors.board_callups(request.user, req),
        "counts": selectors.board_counts(request.user, req), "credential_labels": req.credential_kinds,
    })


@role_required(*access.READERS)
def request_board(request, request_id: int):
    req = access.request_for_user(request.user, request_id)
    return render(request, "readiness/_request_board.html", {
        "req": req, "callups": selectors.board_callups(request.user, req),
        "counts": selectors.board_counts(request.user, req), "can_manage": access.can_manage(request.user)})


@require_POST
@role_required(*access.MANAGERS)
def request_call(request, request_id: int):
    req = access.request_for_user(request.user, request_id)
    ids = [i for i in (_int_or_none(v) for v in request.POST.getlist("person")) if i]
    if not ids:
        messages.error(request, _("Centang minimal satu orang dari daftar."))
        return redirect("readiness:request", request_id=req.pk)
    result = match_request(req, filters=roster_filters(request.user, request.POST), limit=max(200, len(ids) * 3))
    ranking = {c.person.pk: (c.rank, c.explanation) for c in result.candidates}
    try:
        callups = services.callup_send(request=req, person_ids=ids, by=request.user, ranking=ranking)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        waiting = sum(1 for c in callups if c.status == CallUp.Status.AWAITING_CONSENT)
        messages.success(request, _("Panggilan dikirim ke %(n)s orang; %(w)s menunggu persetujuan instansi.")
                         % {"n": number_format(len(callups) - waiting), "w": number_format(waiting)})
    return redirect("readiness:request", request_id=req.pk)


@require_POST
@role_required(*access.MANAGERS)
def request_override(request, request_id: int):
    req = access.request_for_user(request.user, request_id)
    from people.models import Person

    person = Person.objects.filter(pk=_int_or_none(request.POST.get("person_id"))).first()
    if person is None:
        messages.error(request, _("ID SDM tidak ditemukan."))
        return redirect("readiness:request", request_id=req.pk)
    try:
        services.callup_add_override(request=req, person=person, reason=request.POST.get("reason", ""),
                                     by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(name)s ditambahkan manual dan dipanggil.") % {"name": person.display_name})
    return redirect("readiness:request", request_id=req.pk)


@require_POST
@role_required(*access.MANAGERS)
def request_close(request, request_id: int):
    req = access.request_for_user(request.user, request_id)
    try:
        services.request_close(request=req, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Permintaan ditutup."))
    return redirect("readiness:request", request_id=req.pk)


@require_POST
@role_required(*access.MANAGERS)
def callup_confirm(request, callup_id: int):
    callup = access.callup_for_manager(request.user, callup_id)
    try:
        deployment = services.callup_confirm(callup=callup, by=request.user, team=request.POST.get("team", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(name)s dikonfirmasi bertugas.") % {"name": deployment.person.display_name})
    return redirect("readiness:request", request_id=callup.request_id)


# ---------------------------------------------------------------- agency consent and policy

@role_required(Role.AGENCY_ADMIN)
def consent_list(request):
    return render(request, "readiness/consent_list.html", {"callups": selectors.consents_waiting(request.user)})


@require_POST
@role_required(Role.AGENCY_ADMIN)
def callup_consent(request, callup_id: int):
    callup = access.callup_for_consent(request.user, callup_id)
    approve = request.POST.get("decision") == "approve"
    try:
        services.callup_consent(callup=callup, approve=approve, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Panggilan disetujui dan dikirim.") if approve else _("Panggilan tidak disetujui."))
    return redirect("readiness:consents")


@role_required(Role.CENTRE_ADMIN, Role.AGENCY_ADMIN)
def agency_policy(request):
    agencies = Agency.objects.all() if sees_all_agencies(request.user) else Agency.objects.filter(
        pk=request.user.agency_id)
    if request.method == "POST":
        agency = scoped_get(agencies, pk=_int_or_none(request.POST.get("agency")))
        services.agency_policy_set(agency=agency, consent_required=request.POST.get("consent_required") == "1",
                                   by=request.user)
        messages.success(request, _("Kebijakan %(agency)s disimpan.") % {"agency": agency})
        return redirect("readiness:policy")
    required = set(AgencyReadinessPolicy.objects.filter(consent_required=True).values_list("agency_id", flat=True))
    return render(request, "readiness/agency_policy.html", {
        "rows": [(a, a.pk in required) for a in agencies.order_by("name")]})


# ---------------------------------------------------------------- deployments and unavailability

@role_required(*access.DEPLOYMENT_READERS)
def deployment_list(request):
    status = request.GET.get("status", "")
    status = status if status in Deployment.Status.values else ""
    page = paginate(request, selectors.deployment_list(request.user, status=status))
    return render(request, "readiness/deployment_list.html", {
        "page": page, "status": status, "statuses": Deployment.Status.choices,
        "can_manage": access.can_manage(request.user)})


@require_POST
@role_required(*access.MANAGERS)
def deployment_release(request, deployment_id: int):
    deployment = access.deployment_for_manager(request.user, deployment_id)
    try:
        services.deployment_release(deployment=deployment, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Penugasan %(name)s selesai.") % {"name": deployment.person.display_name})
    return redirect("readiness:deployments")


@role_required(*access.UNAVAILABILITY_WRITERS)
def unavailability_list(request):
    people = access.unavailability_people(request.user)
    own = request.user.person if request.user.role == Role.PARTICIPANT else None
    if request.user.role == Role.PARTICIPANT and own is None:
        raise PermissionDenied
    form = UnavailabilityForm(request.POST or None, people=people, own_person=own)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.unavailability_create(person=data["person"], start_date=data["start_date"],
                                           end_date=data["end_date"], reason=data["reason"], by=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Masa tidak bersedia dicatat."))
            return redirect("readiness:unavailability")
    page = paginate(request, access.unavailability_visible_to(request.user).select_related("person"))
    return render(request, "readiness/unavailability_list.html", {"form": form, "page": page, "own": own})


@require_POST
@role_required(*access.UNAVAILABILITY_WRITERS)
def unavailability_delete(request, unavailability_id: int):
    item = access.unavailability_for_user(request.user, unavailability_id)
    services.unavailability_delete(item=item, by=request.user)
    messages.success(request, _("Masa tidak bersedia dihapus."))
    return redirect("readiness:unavailability")


# ---------------------------------------------------------------- the public reply link

@login_not_required
def reply(request, token: str):
    """Accept or decline a call through the signed link in the message (no login). Works once."""
    try:
        callup = services.read_reply_token(token)
    except services.ReplyLinkError as exc:
        return _reply_error(request, exc)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in {"accept", "decline"}:
            return render(request, "readiness/reply.html", {"callup": callup, "token": token,
                                                            "error": _("Pilih bersedia atau tidak bersedia.")},
                          status=400)
        try:
            callup = services.callup_reply(token=token, accept=answer == "accept", note=request.POST.get("note", ""))
        except services.ReplyLinkError as exc:
            return _reply_error(request, exc)
        return render(request, "readiness/reply_done.html", {"callup": callup})
    return render(request, "readiness/reply.html", {"callup": callup, "token": token})


def _reply_error(request, exc: services.ReplyLinkError):
    titles = {
        "expired": _("Tautan sudah kedaluwarsa"),
        "invalid": _("Tautan tidak sah"),
        "used": _("Tautan sudah dipakai"),
    }
    texts = {
        "expired": _("Tautan jawaban ini sudah lewat batas waktunya. Hubungi koordinator tanggap bencana bila Anda "
                     "masih ingin bertugas."),
        "invalid": _("Tautan ini rusak atau telah diubah. Buka tautan persis seperti yang Anda terima."),
        "used": _("Jawaban untuk panggilan ini sudah tercatat. Setiap tautan hanya dapat dipakai sekali."),
    }
    status = {"expired": 410, "invalid": 400, "used": 410}[exc.kind]
    return render(request, "readiness/reply_error.html", {
        "title": titles[exc.kind], "text": texts[exc.kind], "kind": exc.kind, "callup": exc.callup}, status=status)
