"""Pages of the JP ledger: thin views over hours.services and hours.selectors."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required, sees_all_agencies
from accounts.roles import Role
from hours import charts, exports, rules
from hours.access import (
    DASHBOARD_ROLES,
    LEDGER_MANAGERS,
    NOMINATORS,
    RULE_EDITORS,
    can_add_for,
    can_manage,
    entries_visible_to,
    entry_for_user,
)
from hours.forms import ExternalEntryForm, ReasonForm, RequirementForm, ShareForm
from hours.models import MINUTES_PER_JP, ConversionShare, JPRequirement, LedgerEntry, RuleRecompute
from hours.selectors import (
    BUCKETS,
    DIMENSIONS,
    DashboardFilters,
    at_risk,
    dashboard_breakdown,
    dashboard_people,
    dashboard_summary,
    dashboard_trend,
    open_events,
    pending_entries,
    person_year,
    suggestions_for,
    totals_years,
)
from hours.services import (
    entry_add_external,
    entry_approve,
    entry_reject,
    entry_void,
    requirement_set,
    share_set,
)
from people.access import can_see_full_identity, person_for_user
from people.models import Agency, EmploymentType, Position, PositionLevel, Region
from web.files import file_response
from web.pagination import paginate

SIASN_EXPORTERS = frozenset({Role.CENTRE_ADMIN, Role.AGENCY_ADMIN})


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _current_year(request) -> int:
    person = getattr(request.user, "person", None)
    return rules.today_in(person.time_zone if person else "Asia/Jakarta").year


def filters_from(request) -> DashboardFilters:
    g = request.GET
    year = _int(g.get("year")) or _current_year(request)
    agency = _int(g.get("agency"))
    if not sees_all_agencies(request.user):
        agency = request.user.agency_id
    compliant = {"1": True, "0": False}.get(g.get("compliant", ""))
    return DashboardFilters(
        year=year, agency=agency, province=g.get("province", "")[:2], position=_int(g.get("position")),
        level=_int(g.get("level")), compliant=compliant,
        employment_type=g.get("employment_type", "") if g.get("employment_type") in EmploymentType.values else "",
    )


def _filter_choices(request) -> dict:
    return {
        "agencies": Agency.objects.all() if sees_all_agencies(request.user)
        else Agency.objects.filter(pk=request.user.agency_id),
        "provinces": Region.objects.filter(level=1),
        "positions": Position.objects.all(),
        "levels": PositionLevel.objects.select_related("position"),
        "employment_types": EmploymentType.choices,
        "years": totals_years(request.user) or [_current_year(request)],
    }


def _drill_key(dimension: str) -> str:
    return dimension  # the filter parameter has the dimension's name


# --- my hours / a person's ledger ---------------------------------------------------------------

def mine(request):
    if not request.user.person_id:
        raise Http404
    return _person_page(request, request.user.person_id, template="hours/mine.html")


def person_ledger(request, person_id: int):
    return _person_page(request, person_id, template="hours/person_ledger.html")


def _person_page(request, person_id: int, *, template: str):
    person = person_for_user(request.user, person_id)
    year = _int(request.GET.get("year")) or rules.today_in(person.time_zone).year
    total, entries = person_year(person=person, year=year)
    required = total.required_minutes if total else rules.required_minutes(year, person.employment_type)
    approved = total.approved_minutes if total else 0
    if request.GET.get("format") in ("csv", "xlsx"):
        header, rows = exports.entries_table(entries)
        return exports.respond(request.GET["format"], f"jp-{person.pk}-{year}", header, rows)
    target = required or 20 * MINUTES_PER_JP
    return render(request, template, {
        "person": person, "year": year, "total": total, "entries": entries, "required": required,
        "approved": approved, "pending": total.pending_minutes if total else 0,
        "gap": max(0, required - approved), "progress": charts.progress_bar(approved, target, label=_(
            "%(got)s dari %(need)s JP") % {"got": round(approved / 45, 1), "need": round(target / 45, 1)}),
        "days_left": rules.days_left_in_year(person.time_zone) if year == rules.today_in(person.time_zone).year
        else None,
        "can_add": can_add_for(request.user, person), "can_manage": can_manage(request.user, person),
        "years": list(range(rules.today_in(person.time_zone).year, rules.today_in(person.time_zone).year - 5, -1)),
    })


def entry_add(request, person_id: int):
    person = person_for_user(request.user, person_id)
    if not can_add_for(request.user, person):
        raise PermissionDenied
    form = ExternalEntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_add_external(person=person, data=form.to_input(), evidence=form.cleaned_data["evidence"],
                                       by=request.user)
        except ValidationError as exc:
            for fieldname, errors in (exc.message_dict.items() if hasattr(exc, "error_dict")
                                      else [(None, exc.messages)]):
                for error in errors:
                    form.add_error(fieldname if fieldname in form.fields else None, error)
        else:
            messages.success(request, _("Catatan dikirim dan menunggu verifikasi admin instansi."))
            return redirect("hours:entry", entry_id=entry.pk)
    return render(request, "hours/entry_form.html", {"form": form, "person": person})


def entry_detail(request, entry_id: int):
    entry = entry_for_user(request.user, entry_id)
    return render(request, "hours/entry_detail.html", {
        "entry": entry, "can_manage": can_manage(request.user, entry.person), "reason_form": ReasonForm(),
        "jp_share": rules.share_percent(entry.year, entry.entry_type),
    })


def evidence(request, entry_id: int):
    entry = entry_for_user(request.user, entry_id)
    if not entry.evidence:
        raise Http404
    content_type = mimetypes.guess_type(entry.evidence.name)[0] or "application/octet-stream"
    return file_response(entry.evidence, filename=f"bukti-{entry.pk}", content_type=content_type, attachment=False,
                         headers={"Content-Security-Policy": "default-src 'none'; sandbox"})


def _decide(request, entry_id: int, action: str):
    entry = entry_for_user(request.user, entry_id)
    if not can_manage(request.user, entry.person):
        raise PermissionDenied
    reason = request.POST.get("reason", "")
    try:
        if action == "approve":
            entry_approve(entry=entry, by=request.user)
            messages.success(request, _("Catatan disetujui; JP sudah dihitung."))
        elif action == "reject":
            entry_reject(entry=entry, reason=reason, by=request.user)
            messages.success(request, _("Catatan ditolak; pengaju dapat melihat alasannya."))
        else:
            entry_void(entry=entry, reason=reason, by=request.user)
            messages.success(request, _("Catatan dibatalkan; riwayatnya tetap tersimpan."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/jp/")
                    else reverse("hours:entry", kwargs={"entry_id": entry.pk}))


@require_POST
@role_required(*LEDGER_MANAGERS)
def entry_approve_view(request, entry_id: int):
    return _decide(request, entry_id, "approve")


@require_POST
@role_required(*LEDGER_MANAGERS)
def entry_reject_view(request, entry_id: int):
    return _decide(request, entry_id, "reject")


@require_POST
@role_required(*LEDGER_MANAGERS)
def entry_void_view(request, entry_id: int):
    return _decide(request, entry_id, "void")


@role_required(*LEDGER_MANAGERS)
def pending(request):
    page = paginate(request, pending_entries(user=request.user))
    return render(request, "hours/pending.html", {"page": page, "reason_form": ReasonForm()})


# --- dashboard ----------------------------------------------------------------------------------

@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    filters = filters_from(request)
    dimension = request.GET.get("by", "agency")
    if dimension not in DIMENSIONS:
        dimension = "agency"
    rows = dashboard_breakdown(user=request.user, filters=filters, dimension=dimension)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        header, body = exports.breakdown_table(rows, dimension_label=str(DIMENSIONS[dimension][1]))
        return exports.respond(fmt, f"kepatuhan-jp-{filters.year}-{dimension}", header, body)
    summary = dashboard_summary(user=request.user, filters=filters)
    trend = dashboard_trend(user=request.user, filters=filters)
    people_url = reverse("hours:dashboard_people")
    drill = {row.key: f"{people_url}?{filters.query(**{_drill_key(dimension): row.key})}" for row in rows}
    province_rows = rows if dimension == "province" else dashboard_breakdown(
        user=request.user, filters=filters, dimension="province")
    province_links = {r.key: f"{people_url}?{filters.query(province=r.key)}" for r in province_rows}
    context = {
        "filters": filters, "dimension": dimension, "dimensions": [(k, v[1]) for k, v in DIMENSIONS.items()],
        "rows": rows, "summary": summary, "trend": trend, "drill": [(row, drill[row.key]) for row in rows],
        "buckets": [label for label, *_r in BUCKETS],
        "summary_buckets": list(zip([label for label, *_r in BUCKETS], summary.buckets, strict=False)),
        "bar": charts.bar_chart([(r.label, r.rate, drill[r.key]) for r in rows[:40]],
                                title=_("Tingkat kepatuhan per %(dim)s") % {"dim": DIMENSIONS[dimension][1]}),
        "histogram": charts.histogram([label for label, *_r in BUCKETS], summary.buckets,
                                      title=_("Sebaran JP per orang")),
        "line": charts.line_chart([(str(r.key), r.rate) for r in trend], title=_("Kepatuhan per tahun")),
        "map": charts.province_map({r.key: r.rate for r in province_rows}, hrefs=province_links,
                                   title=_("Peta kepatuhan per provinsi")),
        "province_rows": province_rows,
        "query": filters.query(), "pdf_agency": filters.agency,
        **_filter_choices(request),
    }
    return render(request, "hours/dashboard.html", context)


@role_required(*DASHBOARD_ROLES)
def dashboard_people_view(request):
    filters = filters_from(request)
    qs = dashboard_people(user=request.user, filters=filters)
    full = can_see_full_identity(request.user)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        header, rows = exports.people_table(qs.iterator(chunk_size=2000), full_identity=full)
        return exports.respond(fmt, f"orang-jp-{filters.year}", header, rows)
    page = paginate(request, qs)
    return render(request, "hours/dashboard_people.html", {
        "page": page, "filters": filters, "full_identity": full, "query": filters.query(), **_filter_choices(request),
    })


@role_required(*DASHBOARD_ROLES)
def agency_pdf(request, agency_id: int):
    if not sees_all_agencies(request.user) and request.user.agency_id != agency_id:
        raise Http404
    agency = get_object_or_404(Agency, pk=agency_id)
    filters = DashboardFilters(year=_int(request.GET.get("year")) or _current_year(request), agency=agency.pk)
    summary = dashboard_summary(user=request.user, filters=filters)
    pdf = exports.agency_pdf(
        agency=agency, year=filters.year, summary=summary,
        by_province=dashboard_breakdown(user=request.user, filters=filters, dimension="province"),
        by_level=dashboard_breakdown(user=request.user, filters=filters, dimension="level"),
        at_risk_count=summary.people - summary.compliant,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ringkasan-jp-{agency.code}-{filters.year}.pdf"'
    return response


@role_required(*SIASN_EXPORTERS)
def siasn_export(request):
    filters = filters_from(request)
    qs = entries_visible_to(request.user).filter(year=filters.year)
    if filters.agency:
        qs = qs.filter(person__agency_id=filters.agency)
    fmt = request.GET.get("format", "csv")
    return exports.respond("xlsx" if fmt == "xlsx" else "csv", f"siasn-riwayat-kursus-{filters.year}",
                           exports.SIASN_COLUMNS, exports.siasn_rows(exports.siasn_entries(qs).iterator()))


# --- at risk ------------------------------------------------------------------------------------

@role_required(*DASHBOARD_ROLES)
def at_risk_view(request):
    filters = filters_from(request)
    qs = at_risk(user=request.user, filters=filters)
    full = can_see_full_identity(request.user)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        header, rows = exports.people_table(qs.iterator(chunk_size=2000), full_identity=full)
        return exports.respond(fmt, f"berisiko-jp-{filters.year}", header, rows)
    page = paginate(request, qs, per_page=25)
    today = rules.today_in("Asia/Jakarta")
    events = open_events(today) if filters.year == today.year else []
    items = [{"total": t, "days_left": rules.days_left_in_year(t.person.time_zone) if filters.year == today.year
              else 0, "suggestions": suggestions_for(t, events)} for t in page.items]
    return render(request, "hours/at_risk.html", {
        "page": page, "items": items, "filters": filters, "full_identity": full, "query": filters.query(),
        "can_nominate": request.user.is_superuser or request.user.role in NOMINATORS, **_filter_choices(request),
    })


@require_POST
@role_required(*NOMINATORS)
def nominate(request):
    from hours.enrolment_bridge import nominate_from_at_risk
    from training.models import Event

    person = person_for_user(request.user, _int(request.POST.get("person_id")))
    event = get_object_or_404(Event, pk=_int(request.POST.get("event_id")))
    try:
        nominate_from_at_risk(event=event, person=person, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s diusulkan ke %(event)s.") % {"name": person.display_name,
                                                                          "event": event.name})
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/jp/") else "hours:at_risk")


# --- rules --------------------------------------------------------------------------------------

@role_required(*DASHBOARD_ROLES)
def rules_view(request):
    year = _int(request.GET.get("year")) or _current_year(request)
    can_edit = request.user.is_superuser or request.user.role in RULE_EDITORS
    return render(request, "hours/rules.html", {
        "year": year, "requirements": JPRequirement.objects.filter(year=year),
        "shares": ConversionShare.objects.filter(year=year), "can_edit": can_edit,
        "years": sorted(set(JPRequirement.objects.values_list("year", flat=True)), reverse=True),
        "jobs": RuleRecompute.objects.all()[:5],
        "requirement_form": RequirementForm(initial={"year": year}), "share_form": ShareForm(initial={"year": year}),
    })


def _rule_post(request, form_class, apply):
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian aturan: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("hours:rules")
    try:
        _row, job = apply(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("hours:rules")
    if job.status == RuleRecompute.Status.DONE:
        messages.success(request, _("Aturan disimpan; %(n)d total dihitung ulang.") % {"n": job.done})
    else:
        messages.info(request, _("Aturan disimpan; %(n)d total sedang dihitung ulang di latar belakang.")
                      % {"n": job.total})
    return redirect(f"{reverse('hours:rules')}?year={form.cleaned_data['year']}")


@require_POST
@role_required(*RULE_EDITORS)
def rule_requirement(request):
    return _rule_post(request, RequirementForm, lambda d: requirement_set(
        year=d["year"], employment_type=d["employment_type"], minimum_minutes=d["minimum_jp"] * MINUTES_PER_JP,
        legal_source=d["legal_source"], needs_check=d["needs_check"], by=request.user))


@require_POST
@role_required(*RULE_EDITORS)
def rule_share(request):
    return _rule_post(request, ShareForm, lambda d: share_set(
        year=d["year"], entry_type=d["entry_type"], percent=d["percent"], legal_source=d["legal_source"],
        needs_check=d["needs_check"], by=request.user))


@role_required(*DASHBOARD_ROLES)
def recompute_status(request, job_id: int):
    job = get_object_or_404(RuleRecompute, pk=job_id)
    return render(request, "hours/_recompute_status.html", {"job": job})


__all__ = ["LedgerEntry"]
