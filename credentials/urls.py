from django.urls import path

from credentials import views

app_name = "credentials"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("saya/", views.my_certificates, name="mine"),
    path("terbitkan/", views.certificate_issue_view, name="issue"),
    path("<int:certificate_id>/", views.certificate_detail, name="detail"),
    path("<int:certificate_id>/pdf/", views.certificate_pdf, name="pdf"),
    path("<int:certificate_id>/openbadge/", views.certificate_badge, name="badge"),
    path("<int:certificate_id>/cabut/", views.certificate_revoke_view, name="revoke"),
    path("<int:certificate_id>/terbit-ulang/", views.certificate_reissue_view, name="reissue"),
    path("templat/", views.template_list, name="templates"),
    path("templat/<int:programme_id>/", views.template_edit, name="template_edit"),
    path("massal/", views.job_list, name="jobs"),
    path("massal/<int:job_id>/", views.job_detail, name="job"),
    path("massal/<int:job_id>/progres/", views.job_progress, name="job_progress"),
    path("massal/<int:job_id>/unduh/", views.job_download, name="job_download"),
    path("kunci/", views.key_list, name="keys"),
    path("kunci/rotasi/", views.key_rotate, name="key_rotate"),
]
