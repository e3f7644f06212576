"""Participants, nominations (list or sheet), self-registration, cancellation, "my trainings"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import ALL_ROLES, Role
from people.access import can_see_full_identity, people_visible_to
from people.selectors import PersonFilters, person_search
from training import selectors
from training.access import NOMINATORS, PARTICIPANT_READERS, enrolment_for_user, event_for_user, is_manager
from training.forms import SheetForm
from training.models import Enrolment, Event
from training.nomination_sheet import read_sheet
from training.services_enrolment import (
    enrolment_cancel,
    enrolment_confirm,
    enrolment_nominate,
    enrolment_register,
)
from training.views import error_messages
from web.pagination import paginate


@role_required(*PARTICIPANT_READERS)
def participants(request, event_id: int):
    event = event_for_user(request.user, event_id)
    status = request.GET.get("status", "")
    status = status if status in Enrolment.Status.values else ""
    if request.method == "POST":
        _bulk(request, event)
        return redirect(request.get_full_path())
    page = paginate(request, selectors.participants(event=event, user=request.user, status=status,
                                                    q=request.GET.get("q", "").strip()[:60]), per_page=100)
    return render(request, "training/participants.html", {
        "event": event, "page": page, "status": status, "statuses": Enrolment.Status.choices,
        "counts": selectors.status_counts(event, request.user), "can_manage": is_manager(request.user),
        "can_cancel": request.user.role in NOMINATORS or request.user.is_superuser,
        "full_identity": can_see_full_identity(request.user),
    })


def _bulk(request, event: Event) -> None:
    if not (request.user.is_superuser or request.user.role in NOMINATORS):
        raise PermissionDenied
    action = request.POST.get("action")
    ids = [int(x) for x in request.POST.getlist("enrolment") if x.isdigit()]
    done, failed = 0, []
    for enrolment in selectors.participants(event=event, user=request.user).filter(pk__in=ids):
        try:
            if action == "confirm":
                enrolment_confirm(enrolment=enrolment, by=request.user)
            elif action == "cancel":
                enrolment_cancel(enrolment=enrolment, by=request.user, reason=_("dibatalkan oleh %(u)s")
                                 % {"u": request.user.display_name()})
            else:
                raise ValidationError(_("Tindakan tidak dikenal."))
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            failed.append(f"{enrolment.person.display_name}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
    if done:
        messages.success(request, _("%(n)s peserta diproses.") % {"n": number_format(done)})
    for line in failed[:20]:
        messages.error(request, line)


@role_required(*NOMINATORS)
def nominate(request, event_id: int):
    event = event_for_user(request.user, event_id)
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("person") if x.isdigit()]
        people = list(people_visible_to(request.user).filter(pk__in=ids).select_related("agency"))
        _nominate_all(request, event, people, confirm=request.POST.get("confirm") == "1")
        return redirect("training:participants", event_id=event.pk)
    filters = PersonFilters(q=request.GET.get("q", "").strip()[:100])
    already = set(event.enrolments.exclude(status="cancelled").values_list("person_id", flat=True))
    page = paginate(request, person_search(user=request.user, filters=filters), per_page=50)
    return render(request, "training/nominate.html", {
        "event": event, "page": page, "filters": filters, "already": already, "sheet_form": SheetForm(),
        "can_confirm": is_manager(request.user), "full_identity": can_see_full_identity(request.user),
    })


def _nominate_all(request, event: Event, people, *, confirm: bool) -> None:
    done, refused = 0, []
    for person in people:
        try:
            enrolment_nominate(event=event, person=person, by=request.user, confirm=confirm and is_manager(request.user))
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            refused.append(" ".join(getattr(exc, "messages", [str(exc)])) or person.display_name)
    if done:
        messages.success(request, _("%(n)s orang diusulkan.") % {"n": number_format(done)})
    for line in refused[:20]:
        messages.error(request, line)
    if len(refused) > 20:
        messages.error(request, _("… dan %(n)s penolakan lain.") % {"n": number_format(len(refused) - 20)})


@require_POST
@role_required(*NOMINATORS)
def nominate_sheet(request, event_id: int):
    """TEMPORARY sheet nomination (see training.nomination_sheet): move onto imports/ later."""
    event = event_for_user(request.user, event_id)
    form = SheetForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas lembar kerja untuk diunggah."))
        return redirect("training:nominate", event_id=event.pk)
    try:
        result = read_sheet(form.cleaned_data["sheet"], user=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("training:nominate", event_id=event.pk)
    for row in result.problems[:20]:
        messages.error(request, _("Baris %(line)s (%(number)s): %(problem)s.")
                       % {"line": row.line, "number": row.number or "—", "problem": row.problem})
    _nominate_all(request, event, [r.person for r in result.matched], confirm=False)
    return redirect("training:participants", event_id=event.pk)


@require_POST
@role_required(Role.PARTICIPANT)
def register(request, event_id: int):
    event = event_for_user(request.user, event_id)
    try:
        enrolment = enrolment_register(event_id=event.pk, by=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        if enrolment.status == Enrolment.Status.CONFIRMED:
            messages.success(request, _("Anda terdaftar; kursi Anda terkonfirmasi."))
        else:
            messages.warning(request, _("Kursi penuh: Anda masuk daftar tunggu nomor %(n)s.")
                             % {"n": enrolment.waitlist_position})
    return redirect("training:event", event_id=event.pk)


@require_POST
@role_required(*ALL_ROLES)
def cancel(request, enrolment_id: int):
    enrolment = enrolment_for_user(request.user, enrolment_id)
    try:
        enrolment_cancel(enrolment=enrolment, by=request.user, reason=request.POST.get("reason", "")[:255])
        messages.success(request, _("Keikutsertaan dibatalkan."))
    except ValidationError as exc:
        error_messages(request, exc)
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(reverse("training:event", kwargs={"event_id": enrolment.event_id}))


@role_required(*ALL_ROLES)
def my_trainings(request):
    return render(request, "training/my_trainings.html", {
        "enrolments": selectors.my_enrolments(request.user.person_id),
        "open_events": selectors.open_events_for_self_registration()[:20] if request.user.person_id else [],
    })
