"""Back up the database (PostgreSQL) and the media and private files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metropolis.backup import BackupError, backup_make


class Command(BaseCommand):
    help = "Write a backup (database, media and private files, manifest) in a new folder under --into."

    def add_arguments(self, parser):
        parser.add_argument(
            "--into", default="backups", help="the folder that receives the backup (backups/)"
        )

    def handle(self, *args, into: str, **options):
        try:
            folder = backup_make(into=Path(into))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
