"""Restore a backup made by ``backup``: the database and the files are replaced,
then checked against the backup's manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metropolis.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and the files with those of a backup folder, then check them."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by `manage.py backup`")
        parser.add_argument("--yes", action="store_true", help="confirm that the current data are replaced")

    def handle(self, *args, folder: str, yes: bool, **options):
        if not yes:
            raise CommandError("This replaces the database and the files: run it again with --yes.")
        try:
            manifest = backup_restore(folder=Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables, rows = len(manifest.tables), sum(manifest.tables.values())
        files = sum(len(found) for found in manifest.files.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {folder}: {tables} tables ({rows} rows) and {files} files, all checked."
            )
        )
