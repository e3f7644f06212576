from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("orang/<int:person_id>/ekspor/", views.person_export, name="person_export"),
]
