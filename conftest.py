import pytest

from siaga.testing import Cast


@pytest.fixture
def cast(db) -> Cast:
    return Cast()
