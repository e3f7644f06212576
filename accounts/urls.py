from django.urls import path

from accounts import views, views_two_factor

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("masuk/", views.login_view, name="login"),
    path("masuk/kode/", views_two_factor.login_code, name="login_code"),
    path("masuk/aktifkan-2fa/", views_two_factor.login_enrol, name="login_enrol"),
    path("2fa/aktifkan/", views_two_factor.two_factor_setup, name="two_factor_setup"),
    path("2fa/matikan/", views_two_factor.two_factor_disable_view, name="two_factor_disable"),
    path("2fa/kode-pemulihan/", views_two_factor.recovery_codes_view, name="recovery_codes"),
    path("keluar/", views.logout_view, name="logout"),
    path("audit/", views.audit_list, name="audit"),
    path("token/", views.token_list, name="tokens"),
    path("token/<int:token_id>/cabut/", views.token_revoke_view, name="token_revoke"),
]
