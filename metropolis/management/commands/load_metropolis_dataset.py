"""Load the association's published data (``metropolis/dataset/``) into records."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metropolis.dataset import DATASET_DIR, DatasetInvalid, dataset_load


class Command(BaseCommand):
    help = (
        "Load every file of the association's dataset into records: all or nothing, and a second "
        "run changes nothing. Prints what each file created, updated and left unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=DATASET_DIR, help="Another dataset folder (the same files)."
        )

    def handle(self, *args, path: Path, **options):
        try:
            summary = dataset_load(path=path)
        except DatasetInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(error)
            for warning in invalid.warnings:
                self.stderr.write(f"warning: {warning}")
            raise CommandError(str(invalid)) from invalid
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(f"Loaded in {summary.seconds:.1f} s.")
