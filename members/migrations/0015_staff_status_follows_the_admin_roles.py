"""Staff status follows the admin roles: the accounts already in the
secretariat or communications group get it (the group alone used to be not
enough to open the admin)."""

from django.db import migrations

STAFF_ROLE_GROUPS = ["secretariat", "communications"]


def grant_staff_status(apps, schema_editor):
    User = apps.get_model("members", "User")
    User.objects.filter(groups__name__in=STAFF_ROLE_GROUPS, is_staff=False).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0014_reporting_year_set_by_the_secretariat"),
    ]

    operations = [migrations.RunPython(grant_staff_status, migrations.RunPython.noop)]
