"""The calls for projects and the proposals are retired: the previous
migration moved them onto the review engine. The pilot projects' link to
their call (``selected_in``, filled from the old ``call``) takes the name
``call``, in the projects and in their history."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0009_pilot_calls_move_to_review_engine'),
    ]

    operations = [
        migrations.RemoveField(model_name='pilotproject', name='call'),
        migrations.RemoveField(model_name='historicalpilotproject', name='call'),
        migrations.RenameField(model_name='pilotproject', old_name='selected_in', new_name='call'),
        migrations.RenameField(model_name='historicalpilotproject', old_name='selected_in', new_name='call'),
        migrations.RemoveField(model_name='historicalprojectproposal', name='call'),
        migrations.RemoveField(model_name='projectproposal', name='call'),
        migrations.RemoveField(model_name='historicalcallforprojects', name='history_user'),
        migrations.RemoveField(model_name='historicalprojectproposal', name='history_user'),
        migrations.RemoveField(model_name='historicalprojectproposal', name='lead_member'),
        migrations.RemoveField(model_name='historicalprojectproposal', name='project'),
        migrations.RemoveField(model_name='projectproposal', name='lead_member'),
        migrations.RemoveField(model_name='projectproposal', name='partner_members'),
        migrations.RemoveField(model_name='projectproposal', name='project'),
        migrations.DeleteModel(name='CallForProjects'),
        migrations.DeleteModel(name='HistoricalCallForProjects'),
        migrations.DeleteModel(name='HistoricalProjectProposal'),
        migrations.DeleteModel(name='ProjectProposal'),
    ]
