from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ApiToken, AuditLog, User
from accounts.services_two_factor import two_factor_reset


@login_not_required
def admin_login(request, extra_context=None):
    """Django admin has no login of its own: it uses Siaga's (password, then the two-factor code),
    so the admin is reached only by a session that passed it (``TwoFactorMiddleware``)."""
    if request.user.is_authenticated:
        raise PermissionDenied  # logged in, but not staff
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("accounts:login"))


admin.site.login = admin_login


@admin.register(User)
class SiagaUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Siaga", {"fields": ("role", "agency", "person", "institution_name",
                                                             "totp_enabled_at")}))
    readonly_fields = ("totp_enabled_at",)
    list_display = ("username", "first_name", "last_name", "role", "agency", "is_active", "totp_enabled_at")
    list_filter = ("role", "is_active")
    raw_id_fields = ("person",)
    actions = ["reset_two_factor"]

    @admin.action(description=gettext_lazy("Atur ulang verifikasi dua langkah (ponsel dan kode pemulihan hilang)"))
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor_reset(user=user, by=request.user, reason=_("Diatur ulang lewat admin Django."))
        self.message_user(request, _("Verifikasi dua langkah diatur ulang."), messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "scope", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest", "prefix")


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "target_type", "target_id")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
