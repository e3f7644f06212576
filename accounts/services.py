"""State changes of accounts: users and API tokens."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import ApiToken, User
from accounts.roles import Role


@transaction.atomic
def user_create(*, by, username: str, password: str | None, role: str, agency=None, person=None,
                first_name: str = "", last_name: str = "", email: str = "", institution_name: str = "") -> User:
    if role not in Role.values:
        raise ValidationError({"role": _("Peran tidak dikenal.")})
    if role == Role.AGENCY_ADMIN and agency is None:
        raise ValidationError({"agency": _("Admin SDM instansi harus terikat pada satu instansi.")})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("Nama pengguna %(name)s sudah dipakai.") % {"name": username}})
    user = User(username=username, role=role, agency=agency, person=person, first_name=first_name,
                last_name=last_name, email=email, institution_name=institution_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=by, action="user.create", target=user,
                 after={"username": username, "role": role, "agency": getattr(agency, "pk", None),
                        "person": getattr(person, "pk", None)})
    return user


@transaction.atomic
def token_create(*, by: User, name: str, scope: str = ApiToken.Scope.READ) -> tuple[ApiToken, str]:
    """Create a token for ``by``; return it and the secret, which is never stored or shown again."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Cakupan token harus 'read' atau 'write'.")})
    if not name.strip():
        raise ValidationError({"name": _("Beri nama token, misalnya nama aplikasi yang memakainya.")})
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(user=by, name=name.strip()[:100], prefix=secret[:12],
                                    digest=ApiToken.hash_secret(secret), scope=scope)
    audit_record(actor=by, action="token.create", target=token, after={"name": token.name, "scope": scope})
    return token, secret


@transaction.atomic
def token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="token.revoke", target=token)
    return token
