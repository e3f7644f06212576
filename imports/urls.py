from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.run_list_view, name="list"),
    path("unggah/", views.upload_view, name="upload"),
    path("<int:run_id>/", views.run_detail_view, name="detail"),
    path("<int:run_id>/kemajuan/", views.run_progress_view, name="progress"),
    path("<int:run_id>/pemetaan/", views.run_mapping_view, name="mapping"),
    path("<int:run_id>/impor/", views.run_commit_view, name="commit"),
    path("<int:run_id>/laporan-galat.xlsx", views.run_error_report_view, name="error_report"),
]
