"""Rendered reports move to the private storage, under unguessable names: they
were public media files named run-1.pdf, run-2.pdf, ... The runs also learn
when their task was handed to the broker."""

import uuid

import metropolis.storage
import reports.models
from django.core.files.storage import storages
from django.db import migrations, models


def move_files_to_private_storage(apps, schema_editor):
    ReportRun = apps.get_model("reports", "ReportRun")
    public, private = storages["default"], storages["private"]
    for run in ReportRun.objects.exclude(output=""):
        old = run.output.name
        if not public.exists(old):
            continue
        with public.open(old, "rb") as source:
            new = private.save(f"reports/{uuid.uuid4().hex}.pdf", source)
        ReportRun.objects.filter(pk=run.pk).update(output=new)
        public.delete(old)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_report_runs_know_their_origin'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportrun',
            name='sent_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='reportrun',
            name='output',
            field=models.FileField(blank=True, storage=metropolis.storage.private_storage, upload_to=reports.models.report_upload_to, verbose_name='file'),
        ),
        migrations.RunPython(move_files_to_private_storage, migrations.RunPython.noop),
    ]
