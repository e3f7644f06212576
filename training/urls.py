from django.urls import path

from training import views, views_attendance, views_enrolment

app_name = "training"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("program/baru/", views.programme_create_view, name="programme_create"),
    path("program/<int:programme_id>/", views.programme_detail, name="programme"),
    path("program/<int:programme_id>/angkatan/", views.events_create, name="events_create"),
    path("angkatan/", views.event_list, name="events"),
    path("angkatan/<int:event_id>/", views.event_detail, name="event"),
    path("angkatan/<int:event_id>/status/", views.event_transition, name="event_transition"),
    path("angkatan/<int:event_id>/selesai/", views.event_finish_view, name="event_finish"),
    path("angkatan/<int:event_id>/sesi/", views.session_add_view, name="session_add"),
    path("angkatan/<int:event_id>/kuota/", views.quota_set_view, name="quota_set"),
    path("angkatan/<int:event_id>/peserta/", views_enrolment.participants, name="participants"),
    path("angkatan/<int:event_id>/usul/", views_enrolment.nominate, name="nominate"),
    path("angkatan/<int:event_id>/usul/unggah/", views_enrolment.nominate_sheet, name="nominate_sheet"),
    path("angkatan/<int:event_id>/daftar/", views_enrolment.register, name="register"),
    path("angkatan/<int:event_id>/nilai/", views_attendance.scores, name="scores"),
    path("peserta/<int:enrolment_id>/batal/", views_enrolment.cancel, name="cancel"),
    path("sesi/<int:session_id>/kehadiran/", views_attendance.attendance_list, name="attendance"),
    path("sesi/<int:session_id>/kehadiran/<int:enrolment_id>/", views_attendance.attendance_mark_one,
         name="attendance_mark"),
    path("sesi/<int:session_id>/qr/", views_attendance.session_qr, name="session_qr"),
    path("sesi/<int:session_id>/qr/kode/", views_attendance.session_qr_svg, name="session_qr_svg"),
    path("sesi/<int:session_id>/hadir/", views_attendance.session_checkin, name="session_checkin"),
    path("sesi/<int:session_id>/daftar-hadir.pdf", views_attendance.attendance_pdf, name="attendance_pdf"),
    path("saya/", views_enrolment.my_trainings, name="mine"),
]
