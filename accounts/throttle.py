"""Login throttling: after 5 failed logins for one username, or from one client address,
further attempts are refused for 15 minutes (kept in the cache, so shared by app servers
when ``REDIS_URL`` is set).

Counting per username stops guessing one account's password from many addresses; counting per
address stops trying one password on many accounts. A successful login clears the username's
count (not the address's, so a guesser cannot reset it by logging into an account of their own).

The second step of a two-factor login (``scope="2fa"``) has counters of its own, cleared only by a
right code: knowing the password must not reset the count of wrong codes."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
_PREFIX = "siaga"
SCOPES = ("login", "2fa")


def _now() -> float:
    return time.time()


def _keys(username: str | None, ip: str | None, scope: str = "login") -> list[str]:
    if scope not in SCOPES:
        raise ValueError(f"unknown throttle scope {scope!r}")
    keys = []
    if username:
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
        keys.append(f"{_PREFIX}:{scope}:user:{digest}")
    if ip:
        keys.append(f"{_PREFIX}:{scope}:ip:{ip}")
    return keys


def locked_until(*, username: str | None, ip: str | None, scope: str = "login") -> float | None:
    """The time (epoch seconds) until which logins for ``username`` or from ``ip`` are refused."""
    now = _now()
    until = [state["locked_until"] for state in cache.get_many(_keys(username, ip, scope)).values()
             if state.get("locked_until", 0) > now]
    return max(until) if until else None


def record_failure(*, username: str | None, ip: str | None, scope: str = "login") -> bool:
    """Count one failed login; return True when this failure locks the username or address."""
    now = _now()
    locked = False
    for key in _keys(username, ip, scope):
        state = cache.get(key) or {"failures": [], "locked_until": 0}
        failures = [t for t in state["failures"] if t > now - LOCK_SECONDS] + [now]
        state["failures"] = failures[-MAX_FAILURES:]
        if len(failures) >= MAX_FAILURES and state.get("locked_until", 0) <= now:
            state["locked_until"] = now + LOCK_SECONDS
            state["failures"] = []
            locked = True
        cache.set(key, state, timeout=LOCK_SECONDS * 2)
    return locked


def record_success(*, username: str | None, scope: str = "login") -> None:
    cache.delete_many(_keys(username, None, scope))
