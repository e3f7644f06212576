from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("baru/", views.person_create_view, name="create"),
    path("ekspor/<str:fmt>/", views.person_export_view, name="export"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/ubah/", views.person_edit_view, name="edit"),
]
