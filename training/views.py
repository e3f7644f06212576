"""Programme and event pages (thin: parse, check access, call a service or selector, render)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required, user_has_role
from people.models import Region
from training import selectors
from training.access import (
    MANAGERS,
    NOMINATORS,
    PARTICIPANT_READERS,
    READERS,
    event_for_user,
    is_manager,
    programme_for_user,
)
from training.forms import EventsForm, ProgrammeForm, QuotaForm, SessionForm
from training.holidays import holiday_warnings
from training.models import Event
from training.services_completion import event_finish, finish_progress
from training.services_event import (
    event_cancel,
    event_open,
    event_set_quota,
    event_start,
    events_create_for_cities,
    session_add,
)
from training.services_programme import programme_create, programme_pass_mark
from training.tasks import INLINE_FINISH_LIMIT, finish_event_task
from web.pagination import paginate


def error_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@role_required(*READERS)
def programme_list(request):
    page = paginate(request, selectors.programme_list())
    return render(request, "training/programme_list.html", {"page": page, "can_manage": is_manager(request.user)})


@role_required(*MANAGERS)
def programme_create_view(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_create(data=form.to_input(request.user), by=request.user)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Program %(title)s dibuat. Sekarang buat angkatannya.")
                             % {"title": programme.title})
            return redirect("training:events_create", programme_id=programme.pk)
    return render(request, "training/programme_form.html", {"form": form})


@role_required(*READERS)
def programme_detail(request, programme_id: int):
    programme = programme_for_user(request.user, programme_id)
    programme = selectors.programme_detail(programme.pk)
    events = selectors.events_of_programme(programme)
    totals = {"seats": sum(e.seats for e in events), "taken": sum(e.seats_taken for e in events)}
    return render(request, "training/programme_detail.html", {
        "programme": programme, "events": events, "totals": totals, "can_manage": is_manager(request.user),
        "pass_mark": programme_pass_mark(programme),
    })


@role_required(*MANAGERS)
def events_create(request, programme_id: int):
    programme = programme_for_user(request.user, programme_id)
    form = EventsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = events_create_for_cities(programme=programme, plans=form.plans(), data=form.to_input(),
                                               by=request.user)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("%(n)s angkatan dibuat.") % {"n": len(created)})
            for warning in sorted({w for c in created for w in c.warnings}):
                messages.warning(request, warning)
            return redirect("training:programme", programme_id=programme.pk)
    cities = list(Region.objects.filter(level=2).order_by("name").values_list("code", "name"))
    return render(request, "training/events_form.html", {"form": form, "programme": programme, "cities": cities})


def _event_filters(params) -> selectors.EventFilters:
    status = params.get("status", "")
    try:
        programme = int(params.get("programme") or 0) or None
    except ValueError:
        programme = None
    return selectors.EventFilters(status=status if status in Event.Status.values else "", programme=programme,
                                  q=params.get("q", "").strip()[:100])


@role_required(*READERS)
def event_list(request):
    filters = _event_filters(request.GET)
    events = selectors.event_list(filters)
    context = {"filters": filters, "statuses": Event.Status.choices, "view": request.GET.get("view", "table")}
    if context["view"] == "calendar":
        today = timezone.localdate()
        try:
            year, month = (int(x) for x in request.GET.get("month", f"{today:%Y-%m}").split("-"))
            first = dt.date(year, month, 1)
        except ValueError:
            first = today.replace(day=1)
        context.update(month=first, weeks=selectors.month_calendar(year=first.year, month=first.month,
                                                                    events=events),
                       previous=(first - dt.timedelta(days=1)).strftime("%Y-%m"),
                       next=(first + dt.timedelta(days=32)).strftime("%Y-%m"))
    else:
        context["page"] = paginate(request, events)
    return render(request, "training/event_list.html", context)


@role_required(*READERS)
def event_detail(request, event_id: int):
    event = event_for_user(request.user, event_id)
    user = request.user
    manager = is_manager(user)
    mine = None
    if user.person_id:
        mine = event.enrolments.filter(person_id=user.person_id).first()
    context = {
        "event": event, "sessions": event.sessions.select_related("module_version__module", "trainer"),
        "quotas": event.quotas.select_related("agency"), "can_manage": manager,
        "can_nominate": user_has_role(user, NOMINATORS) and event.status == Event.Status.OPEN,
        "can_see_participants": user_has_role(user, PARTICIPANT_READERS),
        "can_register": user.role == "participant" and user.person_id and event.self_registration
        and event.status == Event.Status.OPEN and (mine is None or mine.status == "cancelled"),
        "mine": mine, "warnings": holiday_warnings(event.start_date, event.end_date) if manager else [],
        "counts": selectors.status_counts(event, user) if user_has_role(user, PARTICIPANT_READERS) else None,
        "progress": finish_progress(event),
    }
    if manager:
        context["session_form"] = SessionForm(event=event)
        context["quota_form"] = QuotaForm()
    return render(request, "training/event_detail.html", context)


@require_POST
@role_required(*MANAGERS)
def event_transition(request, event_id: int):
    event = event_for_user(request.user, event_id)
    action = request.POST.get("action")
    try:
        if action == "open":
            event_open(event=event, by=request.user)
            messages.success(request, _("Pendaftaran dibuka."))
        elif action == "start":
            event_start(event=event, by=request.user)
            messages.success(request, _("Angkatan dimulai."))
        elif action == "cancel":
            event_cancel(event=event, reason=request.POST.get("reason", "")[:255], by=request.user)
            messages.success(request, _("Angkatan dibatalkan; peserta diberi tahu."))
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except ValidationError as exc:
        error_messages(request, exc)
    return redirect("training:event", event_id=event.pk)


@require_POST
@role_required(*MANAGERS)
def event_finish_view(request, event_id: int):
    event = event_for_user(request.user, event_id)
    evaluated, total = finish_progress(event)
    if event.status != Event.Status.RUNNING:
        messages.error(request, _("Hanya angkatan yang sedang berlangsung yang dapat diselesaikan."))
    elif total - evaluated > INLINE_FINISH_LIMIT:
        finish_event_task.enqueue(event.pk, request.user.pk)
        messages.info(request, _("Penilaian kelulusan %(n)s peserta berjalan di latar belakang; kemajuan tampil "
                                 "di halaman ini.") % {"n": number_format(total - evaluated)})
    else:
        try:
            result = event_finish(event=event, by=request.user)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("Angkatan selesai: %(ok)s lulus, %(no)s tidak lulus.")
                             % {"ok": number_format(result.completed), "no": number_format(result.not_completed)})
            return redirect(f"{_participants_url(event)}?status=completed")
    return redirect("training:event", event_id=event.pk)


def _participants_url(event: Event) -> str:
    from django.urls import reverse

    return reverse("training:participants", kwargs={"event_id": event.pk})


@require_POST
@role_required(*MANAGERS)
def session_add_view(request, event_id: int):
    event = event_for_user(request.user, event_id)
    form = SessionForm(request.POST, event=event)
    if form.is_valid():
        try:
            session_add(event=event, data=form.to_input(), by=request.user)
            messages.success(request, _("Sesi ditambahkan."))
        except ValidationError as exc:
            error_messages(request, exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("training:event", event_id=event.pk)


@require_POST
@role_required(*MANAGERS)
def quota_set_view(request, event_id: int):
    event = event_for_user(request.user, event_id)
    form = QuotaForm(request.POST)
    if form.is_valid():
        try:
            event_set_quota(event=event, agency=form.cleaned_data["agency"], seats=form.cleaned_data["seats"],
                            by=request.user)
            messages.success(request, _("Kuota disimpan."))
        except ValidationError as exc:
            error_messages(request, exc)
    else:
        messages.error(request, _("Pilih instansi dan isi kuota."))
    return redirect("training:event", event_id=event.pk)
