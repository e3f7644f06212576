import datetime as dt

from certification.models import CredentialKind
from certification.testing import make_credential
from certification.validity import credential_state, mark_states, person_today, quarter_bounds
from siaga.testing import make_person


def _at(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def test_a_credential_is_valid_through_its_expiry_day_inclusive(cast):
    credential = make_credential(cast.person_a, valid_until=dt.date(2026, 3, 3))
    assert credential.is_valid_on(dt.date(2026, 3, 3))
    assert not credential.is_valid_on(dt.date(2026, 3, 4))
    assert credential_state(credential, dt.date(2026, 3, 3)) == "expiring"
    assert credential_state(credential, dt.date(2026, 3, 4)) == "expired"


def test_the_expiry_day_ends_at_midnight_in_the_persons_own_zone(db):
    jakarta = make_person(region="32.73")  # Kota Bandung, WIB
    jayapura = make_person(region="91.71")  # Kota Jayapura, WIT
    # 15:30 UTC on 3 March = 22:30 WIB (still the 3rd) = 00:30 WIT on 4 March.
    moment = _at(2026, 3, 3, 15, 30)
    assert person_today(jakarta, now=moment) == dt.date(2026, 3, 3)
    assert person_today(jayapura, now=moment) == dt.date(2026, 3, 4)
    west = make_credential(jakarta, valid_until=dt.date(2026, 3, 3))
    east = make_credential(jayapura, valid_until=dt.date(2026, 3, 3))
    mark_states([west, east], now=moment)
    assert (west.state, west.days_left) == ("expiring", 0)
    assert (east.state, east.days_left) == ("expired", -1)


def test_a_lifetime_credential_never_expires(cast):
    credential = make_credential(cast.person_a, CredentialKind.COMPETENCY, valid_until=None)
    assert credential_state(credential, dt.date(2090, 1, 1)) == "valid"


def test_a_credential_issued_later_is_not_yet_valid(cast):
    credential = make_credential(cast.person_a, issued_on=dt.date(2024, 6, 1))
    assert credential_state(credential, dt.date(2024, 5, 31)) == "not_yet"


def test_quarter_bounds_cover_whole_calendar_quarters():
    assert quarter_bounds(dt.date(2026, 2, 14)) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert quarter_bounds(dt.date(2026, 12, 31)) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
