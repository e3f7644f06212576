"""Named pause points for the kill -9 fault tests (issue 10, point 8). Not for production use.

Long jobs call :func:`pause` at the moments a crash matters most (a chunk written but not committed,
certificates issued but their PDFs not drawn yet, ...). Normally that is a no-op: the environment is
read once at import and an unset ``SIAGA_FAULT_PAUSE`` makes :func:`pause` one comparison.

A fault test starts a real worker process with

    SIAGA_FAULT_PAUSE=<point>[@<n>]   pause the n-th time (default: the first) the point is reached
    SIAGA_FAULT_MARKER=<path>         a file written when the process pauses there

waits for the marker file and kills the process with SIGKILL at that exact point. The pause only
sleeps; it never changes what the job does. Ignored when ``SIAGA_PRODUCTION`` is set."""

from __future__ import annotations

import os
import time
from pathlib import Path


def _wanted() -> tuple[str, int]:
    if os.environ.get("SIAGA_PRODUCTION", "").strip().lower() in {"1", "true", "yes", "on"}:
        return "", 0
    spec = os.environ.get("SIAGA_FAULT_PAUSE", "").strip()
    name, _, nth = spec.partition("@")
    return name, int(nth) if nth.isdigit() and int(nth) > 0 else 1


_POINT, _NTH = _wanted()
_seen = 0


def pause(point: str) -> None:
    """Pause here for good (until killed) when the fault tests asked for ``point``."""
    if not _POINT or point != _POINT:
        return
    global _seen
    _seen += 1
    if _seen != _NTH:
        return
    marker = os.environ.get("SIAGA_FAULT_MARKER", "")
    if marker:
        partial = Path(f"{marker}.part")
        partial.write_text(f"{point}@{_seen} pid={os.getpid()}\n", encoding="utf-8")
        os.replace(partial, marker)
    while True:  # the test kills the process now; a forgotten pause never lets the job go on half-done
        time.sleep(3600)


__all__ = ["pause"]
