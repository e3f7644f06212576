"""Professional credentials (competency certificate, STR, SIPPS) as seen by the roster.

Readiness cannot import the certification app (it may sit beside it, not below it), so
certification registers a checker here::

    register_credential_checker(fn)   # fn(person_ids, kinds, on) -> {person_id: {valid kinds}}

The checker answers which of ``kinds`` each person holds *valid* (verified, not expired) on
date ``on``. With no checker registered nobody holds a credential, so requests that need one
match nobody (the roster page says so)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

CredentialChecker = Callable[[list[int], set[str], dt.date], dict[int, set[str]]]
_checkers: dict[str, CredentialChecker] = {}


def register_credential_checker(fn: CredentialChecker) -> CredentialChecker:
    """Register ``fn``; registering the same function twice keeps one."""
    _checkers[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def unregister_credential_checker(fn: CredentialChecker) -> None:
    _checkers.pop(f"{fn.__module__}.{fn.__qualname__}", None)


def has_checker() -> bool:
    return bool(_checkers)


def valid_credentials(person_ids: list[int], kinds: set[str], on: dt.date) -> dict[int, set[str]]:
    """Union of every registered checker's answer; people without valid kinds are absent or empty."""
    result: dict[int, set[str]] = {}
    if not kinds or not person_ids:
        return result
    for checker in _checkers.values():
        for person_id, held in checker(list(person_ids), set(kinds), on).items():
            result.setdefault(person_id, set()).update(set(held) & set(kinds))
    return result
