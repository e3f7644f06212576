"""Stored files through Django's storage API only, so they work on the filesystem and on
S3-compatible object storage alike (``STORAGES["default"]``, see ``siaga/settings.py``).

- :func:`file_response` delivers a protected file *after* the caller's access check: it streams
  the file from storage (default), or, with ``SIAGA_FILE_DELIVERY=redirect`` on object storage,
  answers with a short-lived presigned URL (``SIAGA_FILE_URL_SECONDS``).
- :func:`local_copy` gives code that needs a real file on disk (the spreadsheet reader) a path:
  the file itself on the filesystem, a temporary download from object storage.
- :func:`store_local_file` puts a file made on disk into storage under a fixed name."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def _storage_of(field_file) -> Storage:
    return getattr(field_file, "storage", None) or default_storage


def local_path(storage: Storage, name: str) -> Path | None:
    """The file's path on this machine when ``storage`` keeps files on a filesystem (else None)."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def presigned_url(field_file, *, filename: str, content_type: str, attachment: bool) -> str | None:
    """A short-lived URL of the object that tells the store which headers to answer with, or None
    when the storage has no such URLs (the filesystem)."""
    storage = _storage_of(field_file)
    if local_path(storage, field_file.name) is not None:
        return None
    parameters = {
        "ResponseContentType": content_type,
        "ResponseContentDisposition": content_disposition_header(attachment, filename),
        "ResponseCacheControl": "private, no-store",
    }
    return storage.url(field_file.name, parameters=parameters, expire=settings.FILE_URL_SECONDS)


def file_response(field_file, *, filename: str, content_type: str, attachment: bool,
                  headers: dict[str, str] | None = None) -> HttpResponse:
    """The response that delivers ``field_file`` to a user whose access was checked. A missing
    file is a 404."""
    if not field_file:
        raise Http404
    if settings.FILE_DELIVERY == "redirect":
        url = presigned_url(field_file, filename=filename, content_type=content_type, attachment=attachment)
        if url is not None:
            response: HttpResponse = HttpResponseRedirect(url)
            response["Cache-Control"] = "private, no-store"
            return response
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=attachment, filename=filename, content_type=content_type)
    for key, value in {**PRIVATE_HEADERS, **(headers or {})}.items():
        response[key] = value
    return response


@contextlib.contextmanager
def local_copy(storage: Storage, name: str) -> Iterator[Path]:
    """A path on this machine holding the stored file ``name`` for the duration of the block.
    Raises FileNotFoundError when the storage has no such file."""
    path = local_path(storage, name)
    if path is not None:
        if not path.exists():
            raise FileNotFoundError(name)
        yield path
        return
    suffix = "".join(PurePosixPath(name).suffixes)[-20:]
    with tempfile.TemporaryDirectory(prefix="siaga-file-") as folder:
        target = Path(folder) / f"copy{suffix}"
        with storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        yield target


def store_local_file(storage: Storage, name: str, path: Path) -> str:
    """Store the file at ``path`` as ``name``, replacing an earlier file of that name."""
    if storage.exists(name):
        storage.delete(name)
    with path.open("rb") as handle:
        return storage.save(name, File(handle, name=PurePosixPath(name).name))
