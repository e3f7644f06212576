from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
