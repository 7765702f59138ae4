"""The role groups get the permissions of the member profile positions, as
members/0006 gave them those of the models that existed then: the secretariat
every permission, communications the view permission (a read-only admin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["memberprofileposition", "historicalmemberprofileposition"]


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate run: create the
    # activities app's now, so that the groups can get them.
    app_config = apps.get_app_config("activities")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="activities", content_type__model__in=MODELS)
    for group in Group.objects.filter(name="secretariat"):
        group.permissions.add(*permissions)
    for group in Group.objects.filter(name="communications"):
        group.permissions.add(*permissions.filter(codename="view_memberprofileposition"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="activities", content_type__model__in=MODELS)
    for group in Group.objects.filter(name__in=["secretariat", "communications"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_member_profile_positions"),
        ("members", "0006_portal_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
