from django.urls import path

from readiness import views

app_name = "readiness"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kesenjangan/<str:province>/", views.gap_detail, name="gap"),
    path("kejadian/", views.incident_list, name="incidents"),
    path("kejadian/baru/", views.incident_create, name="incident_create"),
    path("kejadian/<int:incident_id>/", views.incident_detail, name="incident"),
    path("kejadian/<int:incident_id>/status/", views.incident_transition, name="incident_transition"),
    path("kejadian/<int:incident_id>/permintaan/baru/", views.request_create, name="request_create"),
    path("permintaan/<int:request_id>/", views.request_detail, name="request"),
    path("permintaan/<int:request_id>/papan/", views.request_board, name="board"),
    path("permintaan/<int:request_id>/panggil/", views.request_call, name="request_call"),
    path("permintaan/<int:request_id>/tambah-manual/", views.request_override, name="request_override"),
    path("permintaan/<int:request_id>/tutup/", views.request_close, name="request_close"),
    path("panggilan/<int:callup_id>/konfirmasi/", views.callup_confirm, name="callup_confirm"),
    path("persetujuan/", views.consent_list, name="consents"),
    path("panggilan/<int:callup_id>/persetujuan/", views.callup_consent, name="callup_consent"),
    path("kebijakan-instansi/", views.agency_policy, name="policy"),
    path("penugasan/", views.deployment_list, name="deployments"),
    path("penugasan/<int:deployment_id>/lepas/", views.deployment_release, name="deployment_release"),
    path("tidak-bersedia/", views.unavailability_list, name="unavailability"),
    path("tidak-bersedia/<int:unavailability_id>/hapus/", views.unavailability_delete, name="unavailability_delete"),
    path("jawab/<str:token>/", views.reply, name="reply"),
]
