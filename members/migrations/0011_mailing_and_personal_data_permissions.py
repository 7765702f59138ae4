"""The role groups' permissions on the new records: the secretariat gets every
permission of mailings, consent records and personal-data requests (sending a
mailing included); communications reads the mailings, not the recipients,
consent records or personal-data requests (personal data, kept to the people
who handle it)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["mailing", "mailingrecipient", "consentrecord", "personaldatarequest"]
COMMUNICATIONS_READS = ["view_mailing"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="members", content_type__model__in=MODELS)
    secretariat = Group.objects.filter(name="secretariat").first()
    if secretariat is not None:
        secretariat.permissions.add(*permissions)
    communications = Group.objects.filter(name="communications").first()
    if communications is not None:
        communications.permissions.add(*permissions.filter(codename__in=COMMUNICATIONS_READS))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0010_mailings_consent_and_personal_data_requests"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
