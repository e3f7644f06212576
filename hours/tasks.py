"""Background recomputation after a JP rule changes, in batches with progress."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from hours.models import ConversionShare, JPRequirement, LedgerEntry, PersonYearTotal, RuleRecompute
from ops import faults

BATCH = 2000


def run_recompute(job_id: int) -> RuleRecompute:
    """Idempotent and resumable: each batch of people is rebuilt in one transaction together with the
    job's progress and cursor, so a run stopped anywhere (even by kill -9) has left whole batches
    only, and running the job again continues after the last committed batch. Rebuilding a batch
    twice gives the same totals; a finished job does nothing."""
    from hours import rules
    from hours.services import _ledger_years, recompute_required, totals_rebuild

    job = RuleRecompute.objects.get(pk=job_id)
    if job.status == RuleRecompute.Status.DONE:
        return job
    job.status = RuleRecompute.Status.RUNNING
    job.save(update_fields=["status"])
    if job.employment_type:
        years = rules.governed_years(JPRequirement, year=job.year, key={"employment_type": job.employment_type},
                                     years=_ledger_years())
        with transaction.atomic():
            job.done = recompute_required(years=years, employment_type=job.employment_type)
    else:
        years = rules.governed_years(ConversionShare, year=job.year, key={"entry_type": job.entry_type},
                                     years=_ledger_years())
        for year in sorted(years):
            if year < job.cursor_year:
                continue  # done before a restart
            after = job.cursor_person if year == job.cursor_year else 0
            ids = list(LedgerEntry.objects.filter(year=year, entry_type=job.entry_type, person_id__gt=after)
                       .values_list("person_id", flat=True).distinct().order_by("person_id"))
            for start in range(0, len(ids), BATCH):
                batch = ids[start:start + BATCH]
                with transaction.atomic():
                    totals_rebuild(year=year, person_ids=batch)
                    job.done += len(batch)
                    job.cursor_year, job.cursor_person = year, batch[-1]
                    RuleRecompute.objects.filter(pk=job.pk).update(done=job.done, cursor_year=year,
                                                                   cursor_person=batch[-1])
                    faults.pause("hours.recompute.batch")  # batch and cursor written, not committed
    job.status, job.finished_at = RuleRecompute.Status.DONE, timezone.now()
    job.total = max(job.total, job.done)
    job.save(update_fields=["status", "finished_at", "done", "total"])
    return job


@task()
def recompute_after_rule_change(job_id: int) -> int:
    return run_recompute(job_id).done


@task()
def ensure_year_totals(year: int) -> int:
    from hours.services import totals_ensure_year

    return totals_ensure_year(year=year)


@task()
def compact_rollups() -> int:
    """Move the pending dashboard deltas into the rollups (scheduled by ledger writes; decision 0013)."""
    from django.core.cache import cache

    from hours import cells

    cache.delete(cells.SCHEDULED_KEY)  # writes from now on schedule the next run
    return cells.compact()


__all__ = ["PersonYearTotal", "compact_rollups", "ensure_year_totals", "recompute_after_rule_change",
           "run_recompute"]
