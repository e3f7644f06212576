"""SQLite with a fair, instant hand-over of the write lock between processes.

SQLite lets one writer at a time hold the database; a connection that finds it taken waits in
SQLite's busy handler, which *sleeps* (1, 2, 5, 10, 25, 50, 100 ms…) and polls. Under a burst of
writes from several server processes (the registration rush) most of the time goes to those
sleeps while the lock stands free. Here every transaction first takes an exclusive ``flock`` on a
file beside the database: waiters block in the kernel and wake the moment the holder commits, in
turn. The kernel drops the lock when a process dies, so a crash cannot leave it held. SQLite's
own lock (BEGIN IMMEDIATE, busy timeout) stays as it was for writers outside Siaga. In-memory
databases (tests) have no file and skip the flock. See docs/decisions/0012-sqlite-write-lock.md."""

from __future__ import annotations

import fcntl
import os
from functools import lru_cache

from django.db.backends.sqlite3 import base


@lru_cache(maxsize=4096)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor with the ``%s`` → ``?`` rewrite of each statement remembered: a regex
    over every query was 8 % of a registration's time; the same statements come back each request."""

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _lock_held = False

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        if not self.is_in_memory_db() and self._lock_fd is None:
            self._lock_fd = os.open(f"{self.settings_dict['NAME']}-writelock", os.O_RDWR | os.O_CREAT, 0o600)
        return conn

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

    def _start_transaction_under_autocommit(self):
        if self._lock_fd is not None and not self._lock_held:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            self._lock_held = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._lock_held:
            self._lock_held = False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
