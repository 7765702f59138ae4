"""The current reporting year the secretariat may set, with the role groups'
permissions on it: the secretariat changes it, communications reads it."""

import django.core.validators
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="members", content_type__model="reportingyear")
    secretariat = Group.objects.filter(name="secretariat").first()
    if secretariat is not None:
        secretariat.permissions.add(*permissions)
    communications = Group.objects.filter(name="communications").first()
    if communications is not None:
        communications.permissions.add(*permissions.filter(codename="view_reportingyear"))


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0013_user_email_verification_and_language'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportingYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(help_text='The year pages, lists and report forms open on. Without it they open on the latest year that has records.', validators=[django.core.validators.MinValueValidator(1985), django.core.validators.MaxValueValidator(2100)], verbose_name='current reporting year')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
            ],
            options={
                'verbose_name': 'reporting year',
                'verbose_name_plural': 'reporting year',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='one_reporting_year_row')],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
