"""The audit log: every service writes one row with who, what, before and after."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from accounts.context import current_ip
from accounts.models import AuditLog, User
from siaga.db.rows import insert_row


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, FieldFile):
        return value.name or None
    return str(value)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` as JSON-safe data (FKs as their ids)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.name] = _jsonable(getattr(instance, field.attname))
    return data


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [key for key in after if before.get(key) != after.get(key)]


def _row(*, actor, action: str, target: models.Model | None, before, after, note: str, target_type: str,
         target_id: str | int, target_label: str) -> AuditLog:
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_label = target_label or str(target)[:255]
    user = actor if isinstance(actor, User) else None
    return AuditLog(
        actor=user,
        actor_label=(actor.get_username() if hasattr(actor, "get_username") else "sistem")[:150],
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        target_label=target_label[:255],
        before=_jsonable(before),
        after=_jsonable(after),
        ip=current_ip.get(),
        note=note,
    )


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    target_type: str = "",
    target_id: str | int = "",
    target_label: str = "",
) -> AuditLog:
    row = _row(actor=actor, action=action, target=target, before=before, after=after, note=note,
               target_type=target_type, target_id=target_id, target_label=target_label)
    return insert_row(row)  # no compiler per call: every service writes one


def audit_record_many(*, actor, action: str, entries: list[dict[str, Any]]) -> list[AuditLog]:
    """One audit row per entry (``target``, ``before``, ``after``, ``note``), inserted together: for
    services that change many rows in one go (a bulk issue writes one row per certificate)."""
    rows = [_row(actor=actor, action=action, target=entry.get("target"), before=entry.get("before"),
                 after=entry.get("after"), note=entry.get("note", ""), target_type="", target_id="",
                 target_label="") for entry in entries]
    return AuditLog.objects.bulk_create(rows, batch_size=500)
