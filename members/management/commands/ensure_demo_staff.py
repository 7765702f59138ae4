"""Create (or reset) the demo secretariat account used by ``make run``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.services import user_ensure_staff

DEMO_EMAIL = "staff@metropolis.example"


class Command(BaseCommand):
    help = "Create the demo staff user for local use and print its credentials."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", default="metropolis-demo-2021")

    def handle(self, *args, email: str, password: str, **options):
        if not settings.DEBUG:
            raise CommandError("The demo staff account is for local use only (DEBUG is off).")
        user_ensure_staff(email=email, password=password, full_name="Demo secretariat")
        self.stdout.write(
            self.style.SUCCESS(f"Demo staff login: {email} / {password}  (http://127.0.0.1:8000/admin/)")
        )
