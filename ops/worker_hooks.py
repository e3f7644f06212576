"""Work a domain app asks ``siaga worker`` to do when it starts: an app registers a function in its
``AppConfig.ready()`` (ops never imports a domain app), and the worker calls each one before it takes
tasks. Used to queue sweeps whose trigger may have been lost with a killed process (the status-mail
outbox of training)."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger("siaga.worker")
_start_hooks: dict[str, Callable[[], None]] = {}


def on_worker_start(hook: Callable[[], None]) -> Callable[[], None]:
    """Register ``hook()``; registering the same function twice keeps one."""
    _start_hooks[f"{hook.__module__}.{hook.__qualname__}"] = hook
    return hook


def run_worker_start_hooks() -> None:
    """Call every hook; one that fails is logged and does not keep the worker from starting."""
    for name, hook in _start_hooks.items():
        try:
            hook()
        except Exception:
            log.exception("worker start hook %s failed", name)
