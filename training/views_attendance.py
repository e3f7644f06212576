"""Attendance (the organiser's tick list, the projector QR, the phone check-in), the printable
sheet and test scores."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from people.access import can_see_full_identity
from training import qr, selectors
from training.access import ATTENDANCE_TAKERS, MANAGERS, event_for_user, session_for_user
from training.forms import SheetForm
from training.models import Attendance, Enrolment
from training.nomination_sheet import read_sheet
from training.services_attendance import attendance_check_in, attendance_mark, scores_record
from training.views import error_messages


@role_required(*ATTENDANCE_TAKERS)
def attendance_list(request, session_id: int):
    session = session_for_user(request.user, session_id)
    if request.method == "POST":
        status = request.POST.get("status", "")
        ids = [int(x) for x in request.POST.getlist("enrolment") if x.isdigit()]
        try:
            n = attendance_mark(session=session, marks=dict.fromkeys(ids, status), by=request.user)
            messages.success(request, _("Kehadiran %(n)s peserta dicatat.") % {"n": number_format(n)})
        except ValidationError as exc:
            error_messages(request, exc)
        return redirect("training:attendance", session_id=session.pk)
    return render(request, "training/attendance.html", {
        "session": session, "event": session.event, "rows": selectors.attendance_sheet(session),
        "statuses": Attendance.Status.choices, "full_identity": can_see_full_identity(request.user),
    })


@require_POST
@role_required(*ATTENDANCE_TAKERS)
def attendance_mark_one(request, session_id: int, enrolment_id: int):
    """htmx: one row of the tick list."""
    session = session_for_user(request.user, session_id)
    status = request.POST.get("status", "")
    try:
        attendance_mark(session=session, marks={enrolment_id: status}, by=request.user)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=422)
    enrolment = Enrolment.objects.select_related("person", "agency").get(pk=enrolment_id)
    mark = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    return render(request, "training/_attendance_row.html", {
        "session": session, "enrolment": enrolment, "mark": mark, "statuses": Attendance.Status.choices,
        "full_identity": can_see_full_identity(request.user),
    })


@role_required(*ATTENDANCE_TAKERS)
def session_qr(request, session_id: int):
    session = session_for_user(request.user, session_id)
    return render(request, "training/session_qr.html", {"session": session, "event": session.event,
                                                        "svg": qr.qr_svg(qr.checkin_url(session.pk)),
                                                        "window": qr.WINDOW_SECONDS})


@role_required(*ATTENDANCE_TAKERS)
def session_qr_svg(request, session_id: int):
    """htmx: the current code (the page polls it every few seconds)."""
    session = session_for_user(request.user, session_id)
    response = render(request, "training/_session_qr.html", {"svg": qr.qr_svg(qr.checkin_url(session.pk)),
                                                             "session": session})
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.PARTICIPANT)
def session_checkin(request, session_id: int):
    session = session_for_user(request.user, session_id)
    code = request.POST.get("k") or request.GET.get("k", "")
    result = error = None
    if request.method == "POST":
        try:
            result = attendance_check_in(session=session, code=code, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [])) or str(exc) or _("Anda tidak dapat mengisi kehadiran.")
    elif not qr.code_is_valid(session.pk, code):
        error = _("Kode QR sudah kedaluwarsa atau bukan untuk sesi ini. Pindai ulang kode di layar.")
    return render(request, "training/checkin.html", {"session": session, "event": session.event, "code": code,
                                                     "result": result, "error": error})


@role_required(*ATTENDANCE_TAKERS)
def attendance_pdf(request, session_id: int):
    from training.pdf import attendance_sheet_pdf  # ReportLab is loaded only when a sheet is printed

    session = session_for_user(request.user, session_id)
    data = attendance_sheet_pdf(session, selectors.attendance_sheet(session),
                                full_identity=can_see_full_identity(request.user))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="daftar-hadir-{session.event.code}-{session.pk}.pdf"'
    return response


def _score(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(round(float(value.replace(",", "."))))
    except ValueError as exc:
        raise ValidationError(_("Nilai \"%(v)s\" bukan angka.") % {"v": value}) from exc


@role_required(*MANAGERS)
def scores(request, event_id: int):
    event = event_for_user(request.user, event_id)
    enrolments = list(Enrolment.objects.filter(event=event, status__in=["confirmed", "attended", "completed",
                                                                        "not_completed"])
                      .select_related("person", "agency").order_by("person__sort_name", "id"))
    if request.method == "POST":
        try:
            if request.FILES.get("sheet"):
                result = read_sheet(request.FILES["sheet"], user=request.user, scores=True)
                for row in result.problems[:20]:
                    messages.error(request, _("Baris %(line)s (%(number)s): %(problem)s.")
                                   % {"line": row.line, "number": row.number or "—", "problem": row.problem})
                by_person = {e.person_id: e.pk for e in enrolments}
                values = {by_person[r.person.pk]: (r.pre, r.post) for r in result.matched if r.person.pk in by_person}
                stray = [r for r in result.matched if r.person.pk not in by_person]
                for row in stray[:20]:
                    messages.error(request, _("Baris %(line)s (%(number)s): bukan peserta angkatan ini.")
                                   % {"line": row.line, "number": row.number})
            else:
                values = {}
                for e in enrolments:
                    pre, post = _score(request.POST.get(f"pre_{e.pk}")), _score(request.POST.get(f"post_{e.pk}"))
                    if (pre, post) != (None, None) and (pre, post) != (e.pre_test_score, e.post_test_score):
                        values[e.pk] = (pre, post)
            n = scores_record(event=event, scores=values, by=request.user) if values else 0
            messages.success(request, _("Nilai %(n)s peserta disimpan.") % {"n": number_format(n)})
        except ValidationError as exc:
            error_messages(request, exc)
        return redirect("training:scores", event_id=event.pk)
    return render(request, "training/scores.html", {"event": event, "enrolments": enrolments,
                                                    "sheet_form": SheetForm(),
                                                    "full_identity": can_see_full_identity(request.user)})
