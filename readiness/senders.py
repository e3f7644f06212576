"""Short-message senders (SMS, WhatsApp) for call-ups.

``settings.READINESS_MESSAGE_SENDER`` names a class with ``send(*, to: str, text: str) -> None``;
the default ``ConsoleSender`` writes the message to the log (development, tests). A gateway
adapter (an SMS provider, the WhatsApp Business API) is a class with the same method."""

from __future__ import annotations

import logging
from typing import Protocol

from django.utils.module_loading import import_string

from readiness import conf

logger = logging.getLogger("siaga.readiness.messages")


class MessageSender(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class ConsoleSender:
    """Writes each message to the log instead of sending it."""

    def send(self, *, to: str, text: str) -> None:
        logger.info("pesan ke %s: %s", to, text)


class MemorySender:
    """Keeps messages in ``MemorySender.outbox`` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        MemorySender.outbox.append((to, text))


def get_sender() -> MessageSender:
    return import_string(conf.message_sender_path())()
