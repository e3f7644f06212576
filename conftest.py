import pytest

from siaga.testing import Cast


@pytest.fixture
def cast(db) -> Cast:
    return Cast()


def pytest_collection_modifyitems(items):
    """Every transactional test (threads, live servers) restores the database's initial rows
    (regions, agencies, seeded rules) after it: mixing serialized and plain flushes in one worker
    re-creates content types twice, so all of them use serialized rollback."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
        if transactional or {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@pytest.fixture(autouse=True)
def _no_token_uses_left_behind():
    """Token uses noted in memory by one test are neither written into the next nor by a timer."""
    yield
    from accounts import token_uses

    token_uses.discard()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with one step before they are dropped: on PostgreSQL, end any
    session still connected to this worker's test database (a live server's request thread, say),
    which would otherwise keep ``DROP DATABASE`` from running and leave the database behind."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                       "AND usename = current_user AND backend_type = 'client backend'")
