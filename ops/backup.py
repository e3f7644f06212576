"""Backup and restore of the database and uploaded files, as one .tar.gz.

Files are read and written through the default storage, so the same archive holds them whether
they live on the filesystem (MEDIA_ROOT) or in S3-compatible object storage.

SQLite: the online backup API (safe while Siaga runs). PostgreSQL: pg_dump/pg_restore
(custom format). The archive holds a manifest with row counts and file hashes that
``restore`` checks after restoring."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections

MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label] = model._default_manager.using("default").count()
    return counts


def media_hashes(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file name in ``storage`` (the filesystem or an object store), sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += stored_names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def stored_hashes(storage: Storage | None = None) -> dict[str, str]:
    """SHA-256 of every stored file, by name (what the manifest records as "media")."""
    storage = storage or default_storage
    hashes = {}
    for name in stored_names(storage):
        digest = hashlib.sha256()
        with storage.open(name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        hashes[name] = digest.hexdigest()
    return hashes


def _archive_media(archive: tarfile.TarFile, storage: Storage) -> None:
    for name in stored_names(storage):
        info = tarfile.TarInfo(f"media/{name}")
        info.size = storage.size(name)
        info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
        with storage.open(name, "rb") as handle:
            archive.addfile(info, handle)


def _restore_media(folder: Path, storage: Storage) -> None:
    """Replace every stored file by the archive's (the same names)."""
    for name in stored_names(storage):
        storage.delete(name)
    if not folder.exists():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                saved = storage.save(path.relative_to(folder).as_posix(), File(handle))
            if saved != path.relative_to(folder).as_posix():  # pragma: no cover - the store was emptied first
                raise RuntimeError(f"restored file {path.name} was stored as {saved}")


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args() -> list[str]:
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return args


def backup(output_dir: Path) -> Path:
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output_dir / f"siaga-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if connection.vendor == "sqlite":
            db_file = work / "database.sqlite3"
            connection.ensure_connection()
            destination = sqlite3.connect(db_file)
            with destination:
                connection.connection.backup(destination)
            destination.close()
        elif connection.vendor == "postgresql":
            db_file = work / "database.pgdump"
            subprocess.run(["pg_dump", "-Fc", "-f", str(db_file), *_pg_args(), settings.DATABASES["default"]["NAME"]],
                           check=True, env=_pg_env())
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise RuntimeError(f"backup does not support {connection.vendor}")
        manifest = {
            "created": dt.datetime.now(dt.UTC).isoformat(),
            "engine": connection.vendor,
            "database_file": db_file.name,
            "tables": table_counts(),
            "media": stored_hashes(default_storage),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        target.touch(mode=0o600)  # the whole database: readable by Siaga's user only
        with tarfile.open(target, "w:gz") as archive:
            archive.add(work / MANIFEST, MANIFEST)
            archive.add(db_file, db_file.name)
            _archive_media(archive, default_storage)
    return target


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise ValueError(f"unsafe path in backup: {member.name}")
        yield member


def restore(archive_path: Path) -> dict:
    """Replace the database and media with the archive's; return the manifest after checking it."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive_path, "r:gz") as archive:
            # Python before 3.11.4 (Debian 12's 3.11.2) has no extraction filters; _safe_members already
            # refuses what the "data" filter would (absolute paths, "..", links, devices).
            filters = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            archive.extractall(work, members=_safe_members(archive), **filters)  # noqa: S202 - checked members
        manifest = json.loads((work / MANIFEST).read_text())
        if manifest["engine"] != connection.vendor:
            raise ValueError(f"backup is for {manifest['engine']}, this Siaga runs on {connection.vendor}")
        db_file = work / manifest["database_file"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(db_file)
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            connections.close_all()
            subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "-d",
                            settings.DATABASES["default"]["NAME"], *_pg_args(), str(db_file)], check=True,
                           env=_pg_env())
        _restore_media(work / "media", default_storage)
    counts, hashes = table_counts(), stored_hashes(default_storage)
    if counts != manifest["tables"] or hashes != manifest["media"]:
        raise RuntimeError("restored data differs from the backup's manifest")
    return manifest
