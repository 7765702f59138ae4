"""The four roles of the portal as groups (members/permissions.py names them):

- secretariat: every permission of the project's apps, django-axes (to release a
  locked account) and auth groups; staff accounts that are not superusers and
  not in communications join it, since they were the secretariat until now;
- communications: the view permissions of the records (members except the
  accounts, activities, gender, reports), i.e. a read-only admin;
- city-editor and city-viewer: no model permission at all; what they may do
  in the portal is decided by rules predicates and scoped by the selectors.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT_APPS = ["members", "activities", "gender", "reports", "axes", "auth"]
COMMUNICATIONS_APPS = ["members", "activities", "gender", "reports"]
# Accounts are the secretariat's business, not records to read.
COMMUNICATIONS_EXCLUDED = ["view_user"]


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after the whole migrate run: create the
    # ones of the models migrated so far now, so that the groups can get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("members", "User")

    secretariat, _ = Group.objects.get_or_create(name="secretariat")
    communications, _ = Group.objects.get_or_create(name="communications")
    Group.objects.get_or_create(name="city-editor")
    Group.objects.get_or_create(name="city-viewer")

    secretariat.permissions.add(*Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS))
    communications.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=COMMUNICATIONS_APPS, codename__startswith="view_"
        )
        .exclude(codename__in=COMMUNICATIONS_EXCLUDED)
        .exclude(codename__startswith="view_historical")
    )
    for user in User.objects.filter(is_staff=True, is_superuser=False).exclude(groups=communications):
        user.groups.add(secretariat)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_portal_accounts_logo_names_and_submissions"),
        ("activities", "0002_the_seventeen_sdg_goals"),
        ("gender", "0001_indicator_values_editions_governance_finance"),
        ("reports", "0001_report_runs_and_texts"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
