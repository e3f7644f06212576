"""Dashboard rollups (decision 0013): every figure read from rollups plus pending deltas equals the
same figure summed from the fine cells, with a backlog, after a partial and after a full compaction."""

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from hours import cells, selectors
from hours.models import ComplianceDelta, ComplianceRollup
from hours.selectors import DashboardFilters
from hours.services import entry_approve, entry_reject, entry_void
from hours.tests.factories import make_entry
from people.models import Agency, Person, Position, Region
from siaga.testing import SYSTEM, make_person, make_user

pytestmark = pytest.mark.django_db
DIMENSIONS = list(selectors.DIMENSIONS)


def _world(seed: int):
    """People over three agencies, four regencies (three provinces), positions with and without levels and
    three employment types; a random ledger over two years with adds, approvals, rejections, voids and moves."""
    rng = random.Random(seed)
    agencies = list(Agency.objects.order_by("pk")[:3])
    regions = []
    for region in Region.objects.filter(level=Region.Level.REGENCY).order_by("code"):
        if len({r.province_id for r in regions} | {region.province_id}) > len(regions) or len(regions) == 3:
            regions.append(region)
        if len(regions) == 4:
            break
    positions = [p for p in Position.objects.order_by("pk") if p.levels.exists()][:2]
    people = []
    for _ in range(18):
        position = rng.choice([*positions, None])
        level = rng.choice([None, *position.levels.all()[:2]]) if position else None
        people.append(make_person(agency=rng.choice(agencies), region=rng.choice(regions).code,
                                  employment_type=rng.choice(["PNS", "PNS", "PPPK", "NON_ASN"]),
                                  position=position.code if position else None, level=level.code if level else None))
    today = timezone.localdate()
    entries = []
    for _ in range(60):
        action = rng.random()
        if action < 0.5 or not entries:
            date = today - dt.timedelta(days=1) if rng.random() < 0.6 else today.replace(year=today.year - 1, day=1)
            entries.append(make_entry(person=rng.choice(people), minutes=rng.randint(1, 14) * 45, date=date))
            continue
        entry = rng.choice(entries)
        entry.refresh_from_db()
        if entry.voided_at:
            continue
        if action < 0.75 and entry.status == "pending":
            entry_approve(entry=entry, by=SYSTEM)
        elif action < 0.85 and entry.status == "pending":
            entry_reject(entry=entry, reason="Bukti kurang", by=SYSTEM)
        elif action < 0.92:
            entry_void(entry=entry, reason="Tercatat dua kali", by=SYSTEM)
        else:  # the person moves; the next ledger change of that year carries them to the new cell
            Person.objects.filter(pk=entry.person_id).update(agency=rng.choice(agencies),
                                                             province=rng.choice(regions).province_id)
    return today.year, agencies, regions, positions


def _filters(year, agencies, regions, positions) -> list[DashboardFilters]:
    level = positions[0].levels.first()
    return [DashboardFilters(year=year), DashboardFilters(year=year - 1), DashboardFilters(year=year + 3),
            DashboardFilters(year=year, agency=agencies[1].pk), DashboardFilters(year=year, province=regions[0].province_id),
            DashboardFilters(year=year, position=positions[0].pk), DashboardFilters(year=year, level=level.pk),
            DashboardFilters(year=year, employment_type="PPPK"), DashboardFilters(year=year, compliant=True),
            DashboardFilters(year=year, agency=agencies[0].pk, province=regions[0].province_id)]


def _figures(users, filters) -> list:
    found = [selectors.totals_years(user) for user in users]
    for user in users:
        for f in filters:
            found.append(selectors.dashboard_summary(user=user, filters=f))
            found.append(selectors.dashboard_trend(user=user, filters=f))
            found.extend(selectors.dashboard_breakdown(user=user, filters=f, dimension=d) for d in DIMENSIONS)
    return found


def _assert_rollups_equal_cells(monkeypatch, users, filters):
    via_rollups = _figures(users, filters)
    with monkeypatch.context() as m:
        m.setattr(selectors, "_rollup_plan", lambda *args, **kwargs: None)
        via_cells = _figures(users, filters)
    assert via_rollups == via_cells


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_dashboard_figure_from_rollups_equals_the_cells(monkeypatch, seed):
    year, agencies, regions, positions = _world(seed)
    users = [make_user(Role.CENTRE_ADMIN), make_user(Role.AGENCY_ADMIN, agency=agencies[0]),
             make_user(Role.PARTICIPANT)]
    filters = _filters(year, agencies, regions, positions)
    assert selectors._rollup_plan(users[0], filters[0], "province") == ("province", None)
    assert selectors._rollup_plan(users[1], filters[0], None) == ("agency", str(agencies[0].pk))
    assert selectors._rollup_plan(users[0], filters[-1], None) is None  # two dimensions: the cells
    assert ComplianceDelta.objects.exists() and not ComplianceRollup.objects.exists()
    _assert_rollups_equal_cells(monkeypatch, users, filters)  # everything still pending
    cells.compact(limit=7, max_batches=3)  # part of the backlog moved
    assert ComplianceDelta.objects.exists() and ComplianceRollup.objects.exists()
    _assert_rollups_equal_cells(monkeypatch, users, filters)
    assert cells.compact(limit=50) > 0
    assert not ComplianceDelta.objects.exists()
    _assert_rollups_equal_cells(monkeypatch, users, filters)
    person = Person.objects.filter(employment_type="PNS").first()
    entry_approve(entry=make_entry(person=person, minutes=20 * 45), by=SYSTEM)  # new deltas over rollups
    _assert_rollups_equal_cells(monkeypatch, users, filters)
    assert not cells.differences(year) and not cells.differences(year - 1)


def test_an_unfiltered_summary_reads_one_statement(cast, django_assert_num_queries):
    entry_approve(entry=make_entry(person=cast.person_a, minutes=20 * 45), by=SYSTEM)
    admin = make_user(Role.CENTRE_ADMIN)
    year = timezone.localdate().year
    with django_assert_num_queries(1):
        row = selectors.dashboard_summary(user=admin, filters=DashboardFilters(year=year))
    assert (row.people, row.compliant, row.minutes) == (1, 1, 20 * 45)


def test_compaction_moves_deltas_in_batches_without_changing_a_figure(cast):
    for minutes in (3, 5, 7, 11):
        make_entry(person=cast.person_a, minutes=minutes * 45)
    year = timezone.localdate().year
    before = cells.effective_rollups(year)
    pending = ComplianceDelta.objects.count()
    assert cells.compact(limit=3) == pending
    assert not ComplianceDelta.objects.exists()
    assert cells.effective_rollups(year) == before
    assert before[("employment_type", "PNS")]["pending_minutes"] == 26 * 45
    assert before[("position", str(cast.person_a.position_id))]["people"] == 1
    assert cells.compact() == 0


def test_the_compact_command_empties_the_backlog(cast):
    make_entry(person=cast.person_a)
    out = io.StringIO()
    call_command("hours", "compact", stdout=out)
    assert "delta dipindahkan" in out.getvalue() and not ComplianceDelta.objects.exists()


def test_rebuilding_a_year_rebuilds_its_rollups_and_drops_its_deltas_only(cast):
    today = timezone.localdate()
    make_entry(person=cast.person_a, date=today.replace(year=today.year - 1, day=1))
    cells.compact()
    make_entry(person=cast.person_a, minutes=20 * 45)
    make_entry(person=cast.person_a, date=today.replace(year=today.year - 1, day=1))
    ComplianceRollup.objects.filter(year=today.year - 1).update(people=F("people") + 5)
    cells.rebuild_year(today.year - 1)
    assert not ComplianceDelta.objects.filter(year=today.year - 1).exists()
    assert ComplianceDelta.objects.filter(year=today.year).exists()  # another year's backlog stays
    assert not cells.differences(today.year - 1) and not cells.differences(today.year)
    assert ComplianceRollup.objects.get(year=today.year - 1, dimension="employment_type", key="PNS").people == 1


def test_verify_reports_a_wrong_rollup_and_fix_rebuilds_it(cast):
    entry = make_entry(person=cast.person_a, minutes=20 * 45)
    cells.compact()
    ComplianceRollup.objects.filter(dimension="agency").update(compliant=F("compliant") + 1)
    found = cells.differences(entry.year)
    assert found == [(("rollup", "agency", str(cast.kemensos.pk)), "compliant", 1, 0)]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("hours", "verify", stdout=out)
    assert "rollup" in out.getvalue()
    call_command("hours", "verify", "--fix", stdout=io.StringIO())
    assert not cells.differences(entry.year)


DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=DUMMY)
def test_ledger_writes_schedule_one_compaction_half_a_minute_later(cast, django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django_tasks import default_task_backend

    cache.delete(cells.SCHEDULED_KEY)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        entry = make_entry(person=cast.person_a)  # several cell changes, one hook
    assert [c.__name__ for c in callbacks].count("_enqueue_compaction") == 1
    with django_capture_on_commit_callbacks(execute=True):
        entry_approve(entry=entry, by=SYSTEM)
    scheduled = [r for r in default_task_backend.results if r.task.name == "compact_rollups"]
    assert len(scheduled) == 1  # the second write found one already scheduled
    wait = scheduled[0].task.run_after - timezone.now()
    assert dt.timedelta(seconds=20) < wait <= dt.timedelta(seconds=cells.COMPACT_DELAY)
