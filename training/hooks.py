"""Hooks that higher apps (certificates, JP ledger, readiness) register to react to training events.

A lower app never imports a higher one: ``credentials`` and ``hours`` call
``on_completion(handler)`` in their ``AppConfig.ready()``. The completion service in
``training.services`` calls ``run_completion_handlers(enrolment=..., by=...)`` inside its
transaction, so a handler's writes commit or roll back together with the completion."""

from __future__ import annotations

from collections.abc import Callable

CompletionHandler = Callable[..., None]
_completion_handlers: dict[str, CompletionHandler] = {}


def on_completion(handler: CompletionHandler) -> CompletionHandler:
    """Register ``handler(*, enrolment, by)``; registering the same function twice keeps one."""
    _completion_handlers[f"{handler.__module__}.{handler.__qualname__}"] = handler
    return handler


def completion_handlers() -> list[CompletionHandler]:
    return list(_completion_handlers.values())


def run_completion_handlers(*, enrolment, by) -> None:
    for handler in completion_handlers():
        handler(enrolment=enrolment, by=by)
