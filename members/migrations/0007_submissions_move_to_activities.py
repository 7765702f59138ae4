"""The cities' submissions now belong to the activities app
(``activities.0003_submissions_move_from_members`` took over their tables): the
members app forgets them without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0006_portal_role_groups"),
        ("activities", "0003_submissions_move_from_members"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalSubmission"),
                migrations.DeleteModel(name="Submission"),
            ],
            database_operations=[],
        ),
    ]
