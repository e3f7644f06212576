"""The short-message sender is chosen by a setting; the console sender is the default."""

import pytest

from readiness.senders import ConsoleSender, MemorySender, get_sender
from readiness.testing import world

pytestmark = pytest.mark.django_db


def test_the_console_sender_is_the_default():
    assert isinstance(get_sender(), ConsoleSender)


def test_calls_go_through_the_configured_sender(cast, settings, django_capture_on_commit_callbacks):
    settings.READINESS_MESSAGE_SENDER = "readiness.senders.MemorySender"
    MemorySender.outbox.clear()
    cast.person_a.phone = "+6281234567890"
    cast.person_a.save(update_fields=["phone"])
    w = world(cast)
    with django_capture_on_commit_callbacks(execute=True):
        w.sent_callup()
    [(to, text)] = MemorySender.outbox
    assert to == "+6281234567890" and "Panggilan tugas Banjir Bandung Selatan" in text and "/jawab/" in text
