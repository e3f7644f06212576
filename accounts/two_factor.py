"""Two-factor sign-in policy and session state.

- Who: admin roles (``accounts.roles.TWO_FACTOR_ROLES``), superusers and Django-admin staff may enrol;
  with ``SIAGA_REQUIRE_2FA=true`` they must, and their next login goes through enrolment.
- Login: a right password for an account with two-factor leaves the session *pending* (not logged
  in) for at most five minutes; only a right code (or an unused recovery code) logs it in.
- A logged-in session remembers which enrolment it was verified against. ``TwoFactorMiddleware``
  logs out a session that does not satisfy the policy (e.g. one opened before two-factor was turned
  on, or before the setting required it), so every page, the session-authenticated API and the
  Django admin are reached only by a verified session."""

from __future__ import annotations

import time

from django.conf import settings

from accounts.roles import TWO_FACTOR_ROLES

PENDING_KEY = "siaga_2fa_pending"
VERIFIED_KEY = "siaga_2fa_verified"
SETUP_KEY = "siaga_2fa_setup"
PENDING_SECONDS = 5 * 60


def offers_two_factor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)
                and (user.is_superuser or user.is_staff or user.role in TWO_FACTOR_ROLES))


def requires_two_factor(user) -> bool:
    return bool(getattr(settings, "REQUIRE_TWO_FACTOR", False) and offers_two_factor(user))


def has_two_factor(user) -> bool:
    return bool(getattr(user, "totp_enabled_at", None))


def _stamp(user) -> str:
    return user.totp_enabled_at.isoformat()


def session_satisfied(request) -> bool:
    """Whether the logged-in session of ``request`` meets the two-factor policy (no query: the
    user row already holds the enrolment time)."""
    user = request.user
    if has_two_factor(user):
        return request.session.get(VERIFIED_KEY) == _stamp(user)
    return not requires_two_factor(user)


def mark_verified(request, user) -> None:
    request.session[VERIFIED_KEY] = _stamp(user)


# --- the pending second step of a login ------------------------------------------------------------

def begin_pending(request, user, *, next_url: str, enrol: bool) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"uid": user.pk, "backend": getattr(user, "backend", ""), "next": next_url,
                                    "enrol": enrol, "at": time.time()}


def pending(request) -> dict | None:
    """The pending login of this session (still fresh), or None."""
    state = request.session.get(PENDING_KEY)
    if not state or time.time() - state.get("at", 0) > PENDING_SECONDS:
        return None
    return state


def pending_user(request):
    from accounts.models import User

    state = pending(request)
    if state is None:
        return None, None
    user = User.objects.filter(pk=state["uid"], is_active=True).first()
    return (user, state) if user is not None else (None, None)


def clear_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)
    request.session.pop(SETUP_KEY, None)
