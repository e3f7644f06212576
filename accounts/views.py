from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.forms import ThrottledAuthenticationForm
from accounts.models import ApiToken, AuditLog, RecoveryCode
from accounts.roles import AUDIT_READERS
from accounts.services import token_create, token_revoke
from accounts.two_factor import has_two_factor, offers_two_factor, requires_two_factor
from accounts.views_two_factor import start_second_step
from web.pagination import paginate


class ThrottledLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = ThrottledAuthenticationForm

    def form_valid(self, form):
        user = form.get_user()
        if has_two_factor(user) or requires_two_factor(user):
            return start_second_step(self.request, user, next_url=self.get_success_url())
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
        return response


@login_not_required
def login_view(request, *args, **kwargs):
    return ThrottledLoginView.as_view()(request, *args, **kwargs)


logout_view = require_POST(auth_views.LogoutView.as_view())


def account(request):
    """The user's own account: who they are, two-factor sign-in, API tokens and their own data."""
    user = request.user
    enabled = has_two_factor(user)
    return render(request, "accounts/account.html", {
        "offers_two_factor": offers_two_factor(user),
        "two_factor": enabled,
        "two_factor_required": requires_two_factor(user),
        "recovery_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() if enabled else 0,
        "active_tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True).count(),
    })


@role_required(*AUDIT_READERS)
def audit_list(request):
    qs = AuditLog.objects.select_related("actor").order_by("-at", "-id")
    action = request.GET.get("action", "").strip()
    target = request.GET.get("target", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    if target:
        qs = qs.filter(target_type=target)
    if actor:
        qs = qs.filter(actor_label=actor)
    page = paginate(request, qs)
    return render(request, "accounts/audit_list.html",
                  {"page": page, "filters": {"action": action, "target": target, "actor": actor}})


def token_list(request):
    if request.method == "POST":
        try:
            _token, secret = token_create(by=request.user, name=request.POST.get("name", ""),
                                          scope=request.POST.get("scope", ApiToken.Scope.READ))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("accounts:tokens")
        return render(request, "accounts/token_created.html", {"secret": secret})
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/token_list.html", {"tokens": tokens, "scopes": ApiToken.Scope.choices})


@require_POST
def token_revoke_view(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token_revoke(by=request.user, token=token)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("accounts:tokens")
