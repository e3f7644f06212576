"""Siaga's SQLite backend queues writers on a kernel lock beside the database file (decision 0012)."""

from __future__ import annotations

import fcntl
import os

import pytest
from django.db.utils import ConnectionHandler

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def file_db(tmp_path):
    handler = ConnectionHandler({"default": {"ENGINE": "siaga.db.sqlite", "NAME": str(tmp_path / "x.sqlite3"),
                                             "OPTIONS": {"transaction_mode": "IMMEDIATE"}}})
    conn = handler["default"]
    yield conn, tmp_path / "x.sqlite3-writelock"
    conn.close()


def _lock_is_free(path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_transaction_holds_the_lock_until_commit(file_db):
    conn, lock = file_db
    with _atomic(conn):
        conn.cursor().execute("CREATE TABLE t (x int)")
        assert not _lock_is_free(lock)
    assert _lock_is_free(lock)
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        assert cursor.fetchone() == (0,)


def test_a_rollback_and_a_close_release_the_lock(file_db):
    conn, lock = file_db
    with pytest.raises(RuntimeError), _atomic(conn):
        conn.cursor().execute("CREATE TABLE t (x int)")
        raise RuntimeError
    assert _lock_is_free(lock)
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert not _lock_is_free(lock)
    conn.close()
    assert _lock_is_free(lock)


def test_in_memory_databases_take_no_lock():
    handler = ConnectionHandler({"default": {"ENGINE": "siaga.db.sqlite", "NAME": ":memory:"}})
    conn = handler["default"]
    conn.ensure_connection()
    assert conn._lock_fd is None
    conn.close()


class _atomic:
    """``transaction.atomic`` on a connection that is not in ``django.db.connections``."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)

    def __exit__(self, exc_type, *_):
        if exc_type is None:
            self.conn.commit()
        else:
            self.conn.rollback()
        self.conn.set_autocommit(True)
        return False
