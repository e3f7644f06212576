"""When each API token was last used, written in batches instead of one write per request.

A first request of a token used to cost a write transaction of its own (on SQLite a turn at the
write lock, on PostgreSQL a commit flush) before the request's own work: in a registration rush of
3,000 participants that doubled the writes. Uses are now noted in memory and written together, one
``UPDATE`` per batch, when a request finishes and the oldest noted use is ``FLUSH_AFTER`` old or
``FLUSH_AT`` uses are waiting, or by a timer in an idle process. ``last_used_at`` is therefore exact
to about a minute (as before: it was refreshed at most once a minute); uses noted by a process that
is killed before its flush are not recorded, which only makes a token look less recently used."""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.core.signals import request_finished
from django.db import connection, transaction

FLUSH_AFTER = 30.0  # seconds
FLUSH_AT = 500

_lock = threading.Lock()
_pending: dict[int, dt.datetime] = {}
_oldest = 0.0
_timer: threading.Timer | None = None


def note_use(token_id: int, when: dt.datetime) -> None:
    global _oldest, _timer
    with _lock:
        if not _pending:
            _oldest = time.monotonic()
        _pending[token_id] = when
        if _timer is None:
            _timer = threading.Timer(FLUSH_AFTER + 1, _flush_from_timer)
            _timer.daemon = True
            _timer.start()


def pending() -> int:
    return len(_pending)


def flush() -> int:
    """Write the noted uses now; returns how many tokens were updated."""
    global _timer
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        if _timer is not None:
            _timer.cancel()
            _timer = None
    if not batch:
        return 0
    adapt = connection.ops.adapt_datetimefield_value
    ids = sorted(batch)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"UPDATE accounts_apitoken SET last_used_at = %s WHERE id IN ({marks})",  # noqa: S608
                           [adapt(max(batch[i] for i in chunk)), *chunk])
    return len(batch)


def discard() -> None:
    """Forget the noted uses without writing them (the test suite, between tests)."""
    global _timer
    with _lock:
        _pending.clear()
        if _timer is not None:
            _timer.cancel()
            _timer = None


def _due() -> bool:
    return bool(_pending) and (len(_pending) >= FLUSH_AT or time.monotonic() - _oldest >= FLUSH_AFTER)


def _flush_after_request(**_kwargs) -> None:
    if _due():
        flush()


def _flush_from_timer() -> None:
    global _timer
    with _lock:
        _timer = None
    try:
        flush()
    finally:
        connection.close()  # the timer thread's own connection


request_finished.connect(_flush_after_request, dispatch_uid="siaga-token-uses")
