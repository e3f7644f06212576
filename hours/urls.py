from django.urls import path

from hours import views

app_name = "hours"

urlpatterns = [
    path("saya/", views.mine, name="mine"),
    path("orang/<int:person_id>/", views.person_ledger, name="person"),
    path("orang/<int:person_id>/tambah/", views.entry_add, name="entry_add"),
    path("catatan/<int:entry_id>/", views.entry_detail, name="entry"),
    path("catatan/<int:entry_id>/bukti/", views.evidence, name="evidence"),
    path("catatan/<int:entry_id>/setujui/", views.entry_approve_view, name="entry_approve"),
    path("catatan/<int:entry_id>/tolak/", views.entry_reject_view, name="entry_reject"),
    path("catatan/<int:entry_id>/batalkan/", views.entry_void_view, name="entry_void"),
    path("verifikasi/", views.pending, name="pending"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/orang/", views.dashboard_people_view, name="dashboard_people"),
    path("dasbor/instansi/<int:agency_id>/pdf/", views.agency_pdf, name="agency_pdf"),
    path("ekspor/siasn/", views.siasn_export, name="siasn_export"),
    path("berisiko/", views.at_risk_view, name="at_risk"),
    path("berisiko/usulkan/", views.nominate, name="nominate"),
    path("aturan/", views.rules_view, name="rules"),
    path("aturan/minimal/", views.rule_requirement, name="rule_requirement"),
    path("aturan/konversi/", views.rule_share, name="rule_share"),
    path("aturan/hitung-ulang/<int:job_id>/", views.recompute_status, name="recompute_status"),
]
