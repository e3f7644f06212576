"""Reads of imports."""

from __future__ import annotations

from django.db.models import QuerySet

from imports.access import runs_visible_to
from imports.models import ImportIssue, ImportRun


def run_list(*, user) -> QuerySet:
    return runs_visible_to(user).order_by("-created_at", "-id")


def run_issues(*, run: ImportRun, level: str = "") -> QuerySet:
    qs = ImportIssue.objects.filter(run=run)
    if level in ImportIssue.Level.values:
        qs = qs.filter(level=level)
    return qs.order_by("row")
