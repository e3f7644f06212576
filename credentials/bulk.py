"""Rendering many certificate PDFs at once: the bulk job (issue and print an event or a programme)
and ``siaga certificates render``.

The drawing needs no database, so it runs in a pool of worker processes
(``CERTIFICATE_RENDER_WORKERS``: one per core, at most 2 by default) that draw each PDF and write it
through the storage (``credentials.render_worker``); this process reads the rows, hands the workers
plain data and records the stored files in one statement per batch. While the workers draw one
batch, this process issues or prepares the next."""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from credentials import render, render_worker
from credentials.models import Certificate
from credentials.pdf import certificate_data, look_for_programme, pdf_name

#: Below this many certificates one process draws them (starting workers costs more than it saves).
POOL_MIN = 80
#: Certificates per batch handed to a worker (one event's worth).
CHUNK = 40


@contextmanager
def heap_frozen():
    """Keep what exists now out of garbage collections while a bulk run makes and drops many
    objects: a full collection would otherwise walk the whole heap of the worker process again and
    again (a quarter of the time of issuing). Cyclic garbage made during the run is still collected."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def process_pool(workers: int, looks: dict[int, render.Look]):
    """A pool of ``workers`` drawing processes that know the templates in ``looks``. Forked where the
    system can (the workers start in milliseconds with everything imported; they use the storage,
    never the database), spawned elsewhere."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(workers, initializer=render_worker.start, initargs=(looks,))


def worker_count() -> int:
    return max(1, int(getattr(settings, "CERTIFICATE_RENDER_WORKERS", 1)))


def _record_files(certs: list[Certificate], names: list[str]) -> None:
    """``UPDATE … SET pdf, pdf_rendered_at WHERE id`` for every certificate, as one executemany:
    ``bulk_update`` builds a CASE expression per row and took longer than drawing the PDFs."""
    now = timezone.now()
    for cert, name in zip(certs, names, strict=True):
        cert.pdf.name = name
        cert.pdf_rendered_at = now
    meta = Certificate._meta
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET {quote(meta.get_field('pdf').column)} = %s, "  # noqa: S608
           f"{quote(meta.get_field('pdf_rendered_at').column)} = %s WHERE {quote(meta.pk.column)} = %s")
    stamp = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, [(name, stamp, cert.pk) for cert, name in zip(certs, names, strict=True)])


def items_for(certs: list[Certificate]) -> list[tuple[int, render.CertificateData, str, str]]:
    """What a worker needs per certificate: template (programme id), data, file name, recorded file."""
    return [(cert.programme_id, certificate_data(cert), pdf_name(cert), cert.pdf.name or "") for cert in certs]


class Renderer:
    """Render and store certificates batch by batch: ``submit`` a batch, ``collect`` what is done.

    Use as a context manager; ``expected`` (how many certificates will be submitted) decides whether
    worker processes are worth starting."""

    def __init__(self, *, programme_ids: Iterable[int], expected: int, workers: int | None = None):
        self.looks = {pk: look_for_programme(pk) for pk in set(programme_ids)}
        workers = worker_count() if workers is None else workers
        self.workers = workers if workers > 1 and expected >= POOL_MIN else 1
        self.pool = None
        self.pending: deque = deque()

    def __enter__(self) -> Renderer:
        if self.workers > 1:
            self.pool = process_pool(self.workers, self.looks)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.pool is not None:
            if exc_type is None:
                self.pool.close()
            else:
                self.pool.terminate()
            self.pool.join()
            self.pool = None

    def submit(self, certs: list[Certificate]) -> None:
        for start in range(0, len(certs), CHUNK):
            chunk = certs[start:start + CHUNK]
            items = items_for(chunk)
            if self.pool is None:
                _record_files(chunk, render_worker.draw_and_write(items, self.looks))
                self.pending.append((chunk, None))
            else:
                self.pending.append((chunk, self.pool.apply_async(render_worker.draw_and_write, (items,))))

    def collect(self, *, keep: int | None = None) -> int:
        """Record the batches whose PDFs are stored, then wait for the oldest until at most ``keep``
        are still being drawn (``keep=0``: all). Returns how many certificates were recorded."""
        recorded = 0
        while self.pending:
            chunk, result = self.pending[0]
            if result is not None and not result.ready() and (keep is None or len(self.pending) <= keep):
                break
            self.pending.popleft()
            if result is not None:
                _record_files(chunk, result.get())
            recorded += len(chunk)
        return recorded

    @property
    def in_flight(self) -> int:
        """How many batches to keep queued so that no worker waits for this process."""
        return 2 * self.workers


def render_and_store(certs: list[Certificate], *, workers: int | None = None, progress=None) -> int:
    """Render and store the PDFs of ``certs`` (``progress(done)`` after each batch)."""
    done = 0
    with Renderer(programme_ids=(c.programme_id for c in certs), expected=len(certs), workers=workers) as renderer:
        for start in range(0, len(certs), CHUNK):
            renderer.submit(certs[start:start + CHUNK])
            done += renderer.collect(keep=renderer.in_flight)
            if progress is not None:
                progress(done)
        done += renderer.collect(keep=0)
    if progress is not None:
        progress(done)
    return done
