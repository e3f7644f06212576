"""Verified credentials for the roster: ids are read in chunks (a walk may pass a million ids, over
either database's bound-parameter limit), with the same answer as one query."""

from __future__ import annotations

import datetime as dt

import pytest

from certification.models import CredentialKind
from certification.testing import make_credential
from readiness import integration
from siaga.testing import make_person

pytestmark = pytest.mark.django_db


def test_verified_credentials_read_in_chunks_give_the_one_query_answer(monkeypatch):
    people = [make_person() for _ in range(5)]
    make_credential(people[0], CredentialKind.STR, verified=True)
    make_credential(people[3], CredentialKind.STR, verified=True)
    make_credential(people[4], CredentialKind.STR)  # not verified: does not count
    ids = [p.pk for p in people] + [10**9]  # and an id nobody has
    on = dt.date.today()
    whole = integration.verified_credentials(ids, {"str"}, on)
    assert whole == {people[0].pk: {"str"}, people[3].pk: {"str"}}
    monkeypatch.setattr(integration, "ID_CHUNK", 2)
    assert integration.verified_credentials(ids, {"str"}, on) == whole
    assert integration.verified_credentials(iter(ids), {"str"}, on) == whole
