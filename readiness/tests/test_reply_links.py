"""Signed reply links: accept or decline once, without logging in; expired, tampered and reused links
get a clear page."""

import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client

from readiness import services
from readiness.models import CallUp
from readiness.testing import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(cast, django_capture_on_commit_callbacks):
    cast.person_a.email = "siti@contoh.go.id"
    cast.person_a.phone = "+6281234567890"
    cast.person_a.save(update_fields=["email", "phone"])
    w = world(cast)
    with django_capture_on_commit_callbacks(execute=True):
        return w.sent_callup()


def _url(token):
    return f"/siaga-bencana/jawab/{token}/"


def test_the_call_is_mailed_and_texted_with_a_link_that_accepts_without_login(sent, settings):
    assert mail.outbox and "/siaga-bencana/jawab/" in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["siti@contoh.go.id"]
    token = services.make_reply_token(sent)
    client = Client()
    page = client.get(_url(token))
    assert page.status_code == 200 and "Saya bersedia" in page.content.decode()
    done = client.post(_url(token), {"answer": "accept", "note": "Siap berangkat"})
    assert done.status_code == 200 and "Jawaban Anda tercatat" in done.content.decode()
    sent.refresh_from_db()
    assert sent.status == CallUp.Status.ACCEPTED and sent.reply_note == "Siap berangkat"


def test_a_reused_link_says_it_was_used(sent):
    token = services.make_reply_token(sent)
    client = Client()
    client.post(_url(token), {"answer": "decline"})
    again = client.post(_url(token), {"answer": "accept"})
    assert again.status_code == 410 and "Tautan sudah dipakai" in again.content.decode()
    sent.refresh_from_db()
    assert sent.status == CallUp.Status.DECLINED


def test_a_tampered_link_is_refused(sent):
    token = services.make_reply_token(sent)
    forged = signing.dumps({"c": sent.pk + 1, "n": sent.nonce}, salt="another-salt", compress=True)
    for bad in (token[:-3] + "xyz", forged, "bukan-tautan"):
        response = Client().get(_url(bad))
        assert response.status_code == 400 and "Tautan tidak sah" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == CallUp.Status.SENT


def test_an_expired_link_is_refused(sent, settings):
    token = services.make_reply_token(sent)
    settings.READINESS_REPLY_LINK_HOURS = 1
    later = time.time() + 2 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = Client().post(_url(token), {"answer": "accept"})
    assert response.status_code == 410 and "kedaluwarsa" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == CallUp.Status.SENT


def test_a_resent_call_voids_the_old_link(cast):
    w = world(cast)
    from readiness.services import agency_policy_set
    from siaga.testing import SYSTEM

    agency_policy_set(agency=cast.kemensos, consent_required=True, by=SYSTEM)
    callup = w.sent_callup()
    assert callup.status == CallUp.Status.AWAITING_CONSENT
    early = services.make_reply_token(callup)
    assert Client().get(_url(early)).status_code == 410  # not sent yet: nothing to answer
    services.callup_consent(callup=callup, approve=True, by=cast.agency_admin)
    callup.refresh_from_db()
    assert Client().get(_url(services.make_reply_token(callup))).status_code == 200
