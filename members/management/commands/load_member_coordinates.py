"""Set the members' coordinates (the public map) from a CSV of ``slug``,
``latitude``, ``longitude``: all rows or none. A member not in the file keeps
its coordinates; a slug that names no member is an error. Running it again
changes nothing."""

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.models import MemberCity
from members.services.directory import member_locate

# The coordinates of the 143 members of the 2021 dataset (members/public/world/README.md).
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "public" / "world" / "member_coordinates.csv"


class Command(BaseCommand):
    help = "Set the members' map coordinates from a CSV (slug, latitude, longitude)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    @transaction.atomic
    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        members = {member.slug: member for member in MemberCity.objects.all()}
        errors, changed = [], 0
        with file.open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                member = members.get(row.get("slug", ""))
                if member is None:
                    errors.append(f"row {number}: no member has the slug {row.get('slug')!r}")
                    continue
                try:
                    latitude, longitude = Decimal(row["latitude"]), Decimal(row["longitude"])
                except (InvalidOperation, KeyError, TypeError):
                    errors.append(f"row {number}: the latitude and longitude are not numbers")
                    continue
                if (member.latitude, member.longitude) == (latitude, longitude):
                    continue
                try:
                    member_locate(member=member, latitude=latitude, longitude=longitude)
                except ValidationError as error:
                    errors.append(f"row {number}: {' '.join(error.messages)}")
                    continue
                changed += 1
        if errors:
            transaction.set_rollback(True)
            raise CommandError("Nothing was changed:\n" + "\n".join(errors))
        self.stdout.write(f"{changed} member(s) located; {len(members) - changed} unchanged.")
