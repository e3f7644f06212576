"""What a worker process of the bulk renderer (``credentials.bulk``) runs: draw certificate PDFs and
write them through the storage. Imports no models at module level, so that a worker started with
``spawn`` (where ``fork`` is missing) can set Django up first."""

from __future__ import annotations

from credentials import render

_LOOKS: dict[int, render.Look] = {}


def start(looks: dict[int, render.Look]) -> None:
    """The pool's initializer: Django (when the process was spawned) and the templates to draw with."""
    import gc

    # A forked worker inherits the whole heap of the process that started it; left to the garbage
    # collector, every full collection would walk it (and copy its pages). Nothing inherited is
    # garbage of ours: keep it out of collections.
    gc.freeze()
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()
    _LOOKS.clear()
    _LOOKS.update(looks)


def draw(items: list[tuple], looks: dict[int, render.Look] | None = None) -> list[bytes]:
    """The PDFs of (programme id, certificate data, …) items."""
    looks = _LOOKS if looks is None else looks
    return [render.render_pdf(item[1], render.assets_for(looks[item[0]])) for item in items]


def draw_and_write(items: list[tuple[int, render.CertificateData, str, str]],
                   looks: dict[int, render.Look] | None = None) -> list[str]:
    """Draw each (programme id, certificate data, file name, file recorded so far) item and write it
    through the storage, replacing the earlier file. Returns the stored names."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    names = []
    for (_programme_id, _data, name, recorded), pdf in zip(items, draw(items, looks), strict=True):
        if recorded:
            default_storage.delete(recorded)
        saved = default_storage.save(name, ContentFile(pdf))
        if saved != name:  # a file of that name was left over (e.g. a run stopped before recording it)
            default_storage.delete(saved)
            default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(pdf))
        names.append(saved)
    return names


def bare_pages(count: int) -> list[bytes]:
    """``count`` bare one-line pages (the benchmark's baseline, drawn by the same pool)."""
    return [render.bare_page() for _ in range(count)]
