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
