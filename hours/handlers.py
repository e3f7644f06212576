"""Handlers registered with lower apps' hooks (see ``HoursConfig.ready``)."""

from __future__ import annotations


def ledger_entry_on_completion(*, enrolment, by) -> None:
    """A completed enrolment writes its ledger entry in the completion's transaction."""
    from hours.services import entry_record_completion

    entry_record_completion(enrolment=enrolment, by=by)
