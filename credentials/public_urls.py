"""Short public addresses under /v/: what a certificate's QR code opens. No login."""

from django.urls import path

from credentials import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_form, name="form"),
    path("kunci.json", views.public_keys, name="keys"),
    path("penerbit", views.issuer_profile, name="issuer"),
    path("<str:code>", views.verify_code, name="code"),
    path("<str:code>/badge.json", views.public_badge, name="badge"),
    path("<str:code>/<str:signed>", views.verify_code, name="signed"),
]
