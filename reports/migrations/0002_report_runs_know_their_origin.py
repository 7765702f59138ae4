"""Where a run was asked for becomes an explicit field (it was hidden in the
parameters key of the runs the command line renders, which ended in
":now:<random>"); only runs asked for on a page or through the API share a
report's one active run."""

from django.conf import settings
from django.db import migrations, models


def origin_from_key(apps, schema_editor):
    ReportRun = apps.get_model("reports", "ReportRun")
    for run in ReportRun.objects.filter(params_key__contains=":now:"):
        run.origin = "command"
        run.params_key = run.params_key.split(":now:")[0]
        run.save(update_fields=["origin", "params_key"])


def key_from_origin(apps, schema_editor):
    ReportRun = apps.get_model("reports", "ReportRun")
    for run in ReportRun.objects.filter(origin="command"):
        run.params_key = f"{run.params_key}:now:{run.pk}"
        run.save(update_fields=["params_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('gender', '0001_indicator_values_editions_governance_finance'),
        ('members', '0007_submissions_move_to_activities'),
        ('reports', '0001_report_runs_and_texts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='reportrun',
            name='one_active_run_per_report',
        ),
        migrations.AddField(
            model_name='reportrun',
            name='origin',
            field=models.CharField(choices=[('page', 'Portal page'), ('api', 'API'), ('command', 'Command line')], default='page', max_length=10, verbose_name='requested from'),
        ),
        migrations.RunPython(origin_from_key, key_from_origin),
        migrations.AddConstraint(
            model_name='reportrun',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['queued', 'running']), models.Q(('origin', 'command'), _negated=True)), fields=('params_key',), name='one_active_run_per_report'),
        ),
    ]
