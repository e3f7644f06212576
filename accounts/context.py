"""Per-request context (client address) that services read when writing audit rows."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
