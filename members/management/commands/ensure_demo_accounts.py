"""Create (or reset) one demo account per role for ``make run`` and print their
logins: the secretariat, the communications team, a city editor and a city
viewer. Local settings only (``DEMO_ACCOUNTS``, on in ``metropolis.settings.local``
alone): these are known passwords."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.models import MemberCity, MemberStatus
from members.permissions import CITY_EDITOR_GROUP, CITY_VIEWER_GROUP, COMMUNICATIONS_GROUP
from members.services.accounts import user_ensure_role, user_ensure_staff

DEMO_EMAIL = "staff@metropolis.example"
DEMO_PASSWORD = "metropolis-demo-2021"  # noqa: S105 - a known demo password, local settings only
DEMO_CITY = "barcelona"


class Command(BaseCommand):
    help = "Create the demo accounts of each role for local use and print their logins."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL, help="the secretariat's demo address")
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument("--city", default=DEMO_CITY, help="slug of the city of the city accounts")

    def handle(self, *args, email: str, password: str, city: str, **options):
        if not getattr(settings, "DEMO_ACCOUNTS", False) or not settings.DEBUG:
            raise CommandError("The demo accounts are for local use only (local settings, DEBUG on).")
        member = (
            MemberCity.objects.filter(slug=city).first()
            or MemberCity.objects.filter(status=MemberStatus.ACTIVE).order_by("slug").first()
        )
        user_ensure_staff(email=email, password=password, full_name="Demo secretariat")
        logins = [("secretariat", email, "/admin/")]
        user_ensure_role(
            email="communications@metropolis.example",
            password=password,
            full_name="Demo communications",
            group=COMMUNICATIONS_GROUP,
        )
        logins.append(("communications", "communications@metropolis.example", "/reports/"))
        if member is None:
            self.stdout.write(
                self.style.WARNING("No member city yet: no city accounts (load the dataset first).")
            )
        else:
            for role, group in (("editor", CITY_EDITOR_GROUP), ("viewer", CITY_VIEWER_GROUP)):
                address = f"city-{role}@metropolis.example"
                user_ensure_role(
                    email=address,
                    password=password,
                    full_name=f"Demo city {role}",
                    group=group,
                    member_city=member,
                )
                logins.append((f"city {role} ({member.name_en or member.name})", address, "/my-city/"))
        self.stdout.write(
            self.style.SUCCESS("Demo logins (local use only), all with the password " + password)
        )
        for role, address, where in logins:
            self.stdout.write(f"  {role:<40} {address:<40} http://127.0.0.1:8000{where}")
