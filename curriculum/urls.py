from django.urls import path

from curriculum import views

app_name = "curriculum"

V = "<int:module_id>/v<int:number>/"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("baru/", views.module_create, name="module_create"),
    path("dalam-proses/", views.board, name="board"),
    path("kompetensi/", views.competencies, name="competencies"),
    path("kompetensi/bidang/baru/", views.area_create, name="area_create"),
    path("kompetensi/baru/", views.competency_edit, name="competency_create"),
    path("kompetensi/<int:competency_id>/ubah/", views.competency_edit, name="competency_edit"),
    path("lembaga/", views.institutions, name="institutions"),
    path("lembaga/<int:institution_id>/", views.institution_detail, name="institution_detail"),
    path("lembaga/<int:institution_id>/anggota/<int:member_id>/hapus/", views.member_remove, name="member_remove"),
    path("bahan/<int:material_id>/unduh/", views.material_download, name="material_download"),
    path("<int:module_id>/", views.module_detail, name="module_detail"),
    path("<int:module_id>/ubah/", views.module_edit, name="module_edit"),
    path("<int:module_id>/versi-baru/", views.version_new, name="version_new"),
    path("<int:module_id>/banding/", views.version_compare, name="version_compare"),
    path(V, views.version_detail, name="version_detail"),
    path(V + "ubah/", views.version_edit, name="version_edit"),
    path(V + "sesi/", views.session_add, name="session_add"),
    path(V + "sesi/<int:session_id>/hapus/", views.session_remove, name="session_remove"),
    path(V + "bahan/", views.material_add, name="material_add"),
    path(V + "bahan/<int:material_id>/hapus/", views.material_remove, name="material_remove"),
    path(V + "ajukan/", views.version_submit, name="version_submit"),
    path(V + "telaah/", views.review_decide, name="review_decide"),
    path(V + "sahkan/", views.version_approve, name="version_approve"),
    path(V + "pensiunkan/", views.version_retire, name="version_retire"),
    path(V + "pdf/", views.version_pdf_view, name="version_pdf"),
    path(V + "penyegaran/", views.refresher_list, name="refresher_list"),
]
