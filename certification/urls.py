from django.urls import path

from certification import views

app_name = "certification"

urlpatterns = [
    path("", views.credential_list, name="credentials"),
    path("saya/", views.my_record, name="me"),
    path("berakhir/", views.expiring_report, name="expiring"),
    path("kesenjangan/", views.gaps, name="gaps"),
    path("aturan/", views.rule_list, name="rules"),
    path("aturan/<int:set_id>/", views.rule_set_detail, name="rule_set"),
    path("orang/<int:person_id>/", views.record, name="record"),
    path("orang/<int:person_id>/pdf/", views.record_pdf, name="record_pdf"),
    path("orang/<int:person_id>/kredensial/baru/", views.credential_create_view, name="credential_create"),
    path("kredensial/<int:credential_id>/", views.credential_detail, name="credential"),
    path("kredensial/<int:credential_id>/verifikasi/", views.credential_verify_view, name="credential_verify"),
    path("kredensial/<int:credential_id>/tolak/", views.credential_reject_view, name="credential_reject"),
    path("kredensial/<int:credential_id>/dokumen/", views.credential_document, name="credential_document"),
]
