"""The cities' submissions move from the members app to the activities app,
where the records an approval creates live (the table keeps its rows).

The state is moved without touching the database, the tables are then renamed,
and the content types follow, so that the groups' permissions on submissions
(and the admin's log entries) stay attached to them."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("submission", "historicalsubmission"):
        # A content type the activities app may have been given already (a
        # migrate run that stopped halfway) gives way to the one that holds the
        # permissions.
        ContentType.objects.filter(app_label="activities", model=model).delete()
        ContentType.objects.filter(app_label="members", model=model).update(app_label="activities")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("submission", "historicalsubmission"):
        ContentType.objects.filter(app_label="members", model=model).delete()
        ContentType.objects.filter(app_label="activities", model=model).update(app_label="members")


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0002_the_seventeen_sdg_goals"),
        ("members", "0006_portal_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Submission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('usx_case', 'Case for the Urban Sustainability Exchange'), ('cgh_initiative', 'Initiative for Cities for Global Health'), ('wmd_event', 'Event organised for World Metropolitan Day'), ('publication', 'Publication')], max_length=20, verbose_name='kind')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1985), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('url', models.URLField(blank=True, max_length=500, verbose_name='web address')),
                        ('happened_on', models.DateField(blank=True, help_text='When it was published or took place, if known.', null=True, verbose_name='date')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('publication_kind', models.CharField(blank=True, max_length=20, verbose_name='kind of publication')),
                        ('status', models.CharField(choices=[('pending', 'Waiting for review'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='pending', max_length=10, verbose_name='status')),
                        ('reason', models.TextField(blank=True, verbose_name='reason for the rejection')),
                        ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='submitted at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='members.membercity', verbose_name='member city')),
                        ('participation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='activities.participation', verbose_name='participation')),
                        ('platform_contribution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='activities.platformcontribution', verbose_name='platform contribution')),
                        ('publication', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='activities.publication', verbose_name='publication')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'db_table': 'members_submission',
                        'verbose_name': 'submission',
                        'verbose_name_plural': 'submissions',
                        'ordering': ['-submitted_at', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='rejected_submission_has_a_reason')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalSubmission',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('usx_case', 'Case for the Urban Sustainability Exchange'), ('cgh_initiative', 'Initiative for Cities for Global Health'), ('wmd_event', 'Event organised for World Metropolitan Day'), ('publication', 'Publication')], max_length=20, verbose_name='kind')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1985), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('url', models.URLField(blank=True, max_length=500, verbose_name='web address')),
                        ('happened_on', models.DateField(blank=True, help_text='When it was published or took place, if known.', null=True, verbose_name='date')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('publication_kind', models.CharField(blank=True, max_length=20, verbose_name='kind of publication')),
                        ('status', models.CharField(choices=[('pending', 'Waiting for review'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='pending', max_length=10, verbose_name='status')),
                        ('reason', models.TextField(blank=True, verbose_name='reason for the rejection')),
                        ('submitted_at', models.DateTimeField(blank=True, editable=False, verbose_name='submitted at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.membercity', verbose_name='member city')),
                        ('participation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='activities.participation', verbose_name='participation')),
                        ('platform_contribution', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='activities.platformcontribution', verbose_name='platform contribution')),
                        ('publication', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='activities.publication', verbose_name='publication')),
                        ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                        ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'db_table': 'members_historicalsubmission',
                        'verbose_name': 'historical submission',
                        'verbose_name_plural': 'historical submissions',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="submission", table=None),
        migrations.AlterModelTable(name="historicalsubmission", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
        # The kind of a proposed publication is now checked against the
        # publication kinds of this app.
        migrations.AlterField(
            model_name='historicalsubmission',
            name='publication_kind',
            field=models.CharField(blank=True, choices=[('report', 'Report'), ('policy_brief', 'Policy brief'), ('issue_paper', 'Issue paper'), ('activity_report', 'Activity report'), ('handbook', 'Handbook'), ('position_paper', 'Position paper'), ('declaration', 'Declaration')], max_length=20, verbose_name='kind of publication'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='publication_kind',
            field=models.CharField(blank=True, choices=[('report', 'Report'), ('policy_brief', 'Policy brief'), ('issue_paper', 'Issue paper'), ('activity_report', 'Activity report'), ('handbook', 'Handbook'), ('position_paper', 'Position paper'), ('declaration', 'Declaration')], max_length=20, verbose_name='kind of publication'),
        ),
    ]
