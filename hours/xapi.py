"""xAPI 1.0.3 statement intake: parse and check a batch, then write it in one transaction.

Only ``completed`` and ``passed`` statements write ledger entries; other verbs are
accepted and not stored. A statement id already in the ledger is ignored."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hours.models import LearningPlatform, LedgerEntry
from people.identity import clean_number
from people.models import Person

VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
CREDIT_VERBS = {VERB_COMPLETED, VERB_PASSED}
_NUM = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(rf"^P(?!$)(?:{_NUM}W)?(?:{_NUM}D)?(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?$")
MAX_BATCH = 500


class XapiError(Exception):
    def __init__(self, message: str, *, status: int = 400, index: int | None = None):
        super().__init__(message)
        self.message, self.status, self.index = message, status, index

    def as_json(self) -> dict:
        body = {"error": {"code": self.status, "message": self.message}}
        if self.index is not None:
            body["error"]["statement"] = self.index
        return body


def duration_minutes(value: str) -> int:
    """ISO 8601 duration (weeks, days, hours, minutes, seconds) to whole minutes, rounded."""
    match = _DURATION.match(value or "")
    if not match:
        raise ValueError(value)
    weeks, days, hours, minutes, seconds = (float((g or "0").replace(",", ".")) for g in match.groups())
    total = (((weeks * 7 + days) * 24 + hours) * 60 + minutes) + seconds / 60
    return round(total)


def platform_from_basic(header: str) -> LearningPlatform | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, secret = decoded.partition(":")
    if not sep:
        return None
    platform = LearningPlatform.objects.filter(username=username, is_active=True).first()
    if platform is None or not platform.check_secret(secret):
        return None
    return platform


@dataclass
class ParsedStatement:
    id: uuid.UUID
    verb: str
    person: Person | None
    minutes: int
    title: str
    when: object


def _lang(value, fallback: str) -> str:
    if isinstance(value, dict) and value:
        for key in ("id-ID", "id", "en-US", "en"):
            if isinstance(value.get(key), str):
                return value[key]
        first = next(iter(value.values()))
        return first if isinstance(first, str) else fallback
    return fallback


def _person_for(actor, platform: LearningPlatform, index: int) -> Person:
    if not isinstance(actor, dict):
        raise XapiError("actor must be an Agent object", index=index)
    account, mbox = actor.get("account"), actor.get("mbox")
    if account is not None:
        if not isinstance(account, dict) or not account.get("homePage") or not account.get("name"):
            raise XapiError("actor.account needs homePage and name", index=index)
        if platform.home_page and account["homePage"].rstrip("/") != platform.home_page.rstrip("/"):
            raise XapiError("actor.account.homePage is not this platform's", index=index)
        number = clean_number(account["name"])
        person = Person.objects.filter(nip=number).first() or Person.objects.filter(nik=number).first()
        if person is None:
            raise XapiError("unknown person: no NIP/NIK matches actor.account.name", index=index)
        return person
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:") and "@" in mbox:
        matches = list(Person.objects.filter(email__iexact=mbox[7:].strip())[:2])
        if len(matches) != 1:
            raise XapiError("unknown person: actor.mbox matches no single person", index=index)
        return matches[0]
    raise XapiError("actor needs account (homePage + NIP/NIK) or mbox", index=index)


def parse_statement(data, platform: LearningPlatform, index: int) -> ParsedStatement:
    if not isinstance(data, dict):
        raise XapiError("a statement must be a JSON object", index=index)
    raw_id = data.get("id")
    try:
        statement_id = uuid.UUID(str(raw_id)) if raw_id is not None else uuid.uuid4()
    except ValueError as exc:
        raise XapiError("id is not a UUID", index=index) from exc
    verb = data.get("verb")
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str) or not verb["id"]:
        raise XapiError("verb.id is required", index=index)
    obj = data.get("object")
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise XapiError("object.id is required", index=index)
    if "actor" not in data:
        raise XapiError("actor is required", index=index)
    raw_time = data.get("timestamp")
    when = timezone.now()
    if raw_time is not None:
        parsed = parse_datetime(raw_time) if isinstance(raw_time, str) else None
        if parsed is None:
            raise XapiError("timestamp is not ISO 8601", index=index)
        when = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if verb["id"] not in CREDIT_VERBS:
        return ParsedStatement(statement_id, verb["id"], None, 0, "", when)
    person = _person_for(data["actor"], platform, index)
    result = data.get("result")
    duration = result.get("duration") if isinstance(result, dict) else None
    if not isinstance(duration, str):
        raise XapiError("result.duration is required for completed/passed", index=index)
    try:
        minutes = duration_minutes(duration)
    except ValueError as exc:
        raise XapiError("result.duration is not an ISO 8601 duration", index=index) from exc
    if minutes <= 0:
        raise XapiError("result.duration must be at least one minute", index=index)
    definition = obj.get("definition") if isinstance(obj.get("definition"), dict) else {}
    title = _lang(definition.get("name"), obj["id"])
    return ParsedStatement(statement_id, verb["id"], person, minutes, title, when)


def statements_receive(*, platform: LearningPlatform, payload) -> list[str]:
    """Check every statement first; then write the batch atomically. Returns the ids."""
    from django.core.exceptions import ValidationError

    from hours.services import entry_record_statement

    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise XapiError("no statements")
    if len(items) > MAX_BATCH:
        raise XapiError(f"at most {MAX_BATCH} statements per request")
    parsed = [parse_statement(item, platform, i) for i, item in enumerate(items)]
    ids = [str(p.id) for p in parsed]
    with transaction.atomic():
        known = set(LedgerEntry.objects.filter(statement_id__in=[p.id for p in parsed])
                    .values_list("statement_id", flat=True))
        for index, item in enumerate(parsed):
            if item.person is None or item.id in known:
                continue
            known.add(item.id)
            try:
                entry_record_statement(person=item.person, platform=platform, statement_id=item.id,
                                       title=item.title, minutes=item.minutes, when=item.when)
            except ValidationError as exc:
                raise XapiError("; ".join(exc.messages), index=index) from exc
    return ids
