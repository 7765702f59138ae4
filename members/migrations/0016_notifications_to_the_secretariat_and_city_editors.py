"""Notifications (a notice and an e-mail) and the kinds each person turned off;
the secretariat reads every notice in the admin, communications none (they
are about people's accounts)."""

from django.contrib.auth.management import create_permissions
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat = Group.objects.filter(name="secretariat").first()
    if secretariat is not None:
        secretariat.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="members",
                content_type__model__in=["notification", "notificationmute"],
                codename__startswith="view_",
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0015_staff_status_follows_the_admin_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('submission-received', 'A city submitted an item for review'), ('head-changed', 'A city changed its head of government'), ('submission-approved', 'A submission of my city was approved'), ('submission-rejected', 'A submission of my city was rejected')], max_length=30, verbose_name='kind')),
                ('subject', models.CharField(max_length=300, verbose_name='about')),
                ('detail', models.TextField(blank=True, verbose_name='detail')),
                ('link', models.CharField(blank=True, max_length=300, verbose_name='link')),
                ('key', models.CharField(max_length=100, verbose_name='event')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mailed at')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.membercity', verbose_name='member city')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['recipient', 'read_at'], name='notification_unread')],
                'constraints': [models.UniqueConstraint(fields=('recipient', 'key'), name='one_notification_per_event_and_person')],
            },
        ),
        migrations.CreateModel(
            name='NotificationMute',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('submission-received', 'A city submitted an item for review'), ('head-changed', 'A city changed its head of government'), ('submission-approved', 'A submission of my city was approved'), ('submission-rejected', 'A submission of my city was rejected')], max_length=30, verbose_name='kind')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_mutes', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'notification turned off',
                'verbose_name_plural': 'notifications turned off',
                'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='one_mute_per_user_and_kind')],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
