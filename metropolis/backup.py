"""Backups of the portal: the PostgreSQL database (``pg_dump``, custom format),
the public media files (logos) and the private files (reports, attachments,
certificates), with a manifest of every table's row count and every file's
SHA-256, so that a restore can prove it gave back exactly what was saved.

A backup is a folder: ``database.dump``, ``media.tar.gz``, ``private.tar.gz``
and ``manifest.json``. ``make backup`` and ``make restore`` call the
``backup`` and ``restore`` commands."""

import datetime
import hashlib
import json
import os
import shutil
import subprocess  # noqa: S404 - pg_dump and pg_restore, with argument lists
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections


class BackupError(Exception):
    """A backup or a restore could not be made; the message says why."""


@dataclass
class Manifest:
    created_at: str
    tables: dict[str, int]
    files: dict[str, dict[str, str]]

    def to_json(self) -> str:
        return json.dumps(
            {"created_at": self.created_at, "tables": self.tables, "files": self.files},
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def read(cls, path: Path) -> "Manifest":
        data = json.loads(path.read_text())
        return cls(created_at=data["created_at"], tables=data["tables"], files=data["files"])


def _folders() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def table_counts() -> dict[str, int]:
    """The number of rows of every table of the database."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the schema
            counts[table] = cursor.fetchone()[0]
    return counts


def file_checksums() -> dict[str, dict[str, str]]:
    """The SHA-256 of every file of the media and private folders, by path."""
    found: dict[str, dict[str, str]] = {}
    for name, folder in _folders().items():
        found[name] = {}
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            found[name][str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise BackupError("Backups of the database need PostgreSQL (DATABASE_URL=postgres://...).")
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def backup_make(*, into: Path) -> Path:
    """Write a backup in a new folder under ``into``; returns the folder."""
    args, env = _pg_env()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = into / f"metropolis-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    manifest = Manifest(created_at=stamp, tables=table_counts(), files=file_checksums())
    _run(
        [
            "pg_dump",
            *args,
            "--format=custom",
            "--no-owner",
            "--file",
            str(folder / "database.dump"),
            connection.settings_dict["NAME"],
        ],
        env,
    )
    for name, source in _folders().items():
        with tarfile.open(folder / f"{name}.tar.gz", "w:gz") as archive:
            if source.exists():
                archive.add(source, arcname=".")
    (folder / "manifest.json").write_text(manifest.to_json())
    return folder


def backup_restore(*, folder: Path) -> Manifest:
    """Put the database and the files of backup ``folder`` back in place of the
    current ones, then check them against its manifest. Returns the manifest."""
    if not (folder / "manifest.json").exists():
        raise BackupError(f"{folder} is not a backup of the portal (no manifest.json).")
    manifest = Manifest.read(folder / "manifest.json")
    args, env = _pg_env()
    name = connection.settings_dict["NAME"]
    connections.close_all()
    _run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            name,
            str(folder / "database.dump"),
        ],
        env,
    )
    for archive_name, target in _folders().items():
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        with tarfile.open(folder / f"{archive_name}.tar.gz", "r:gz") as archive:
            archive.extractall(target, filter="data")
    differences = backup_compare(manifest)
    if differences:
        raise BackupError("The restore does not match the backup: " + "; ".join(differences))
    return manifest


def backup_compare(manifest: Manifest) -> list[str]:
    """What differs between the database and files now and ``manifest``."""
    differences = []
    counts = table_counts()
    for table, rows in manifest.tables.items():
        if counts.get(table) != rows:
            differences.append(f"table {table}: {counts.get(table)} rows, {rows} in the backup")
    checksums = file_checksums()
    for folder, files in manifest.files.items():
        if checksums.get(folder, {}) != files:
            differences.append(f"the {folder} files differ from the backup")
    return differences
