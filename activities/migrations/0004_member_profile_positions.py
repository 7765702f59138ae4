"""Where the printed member profile tables list each member city: the order of
the Chinese edition, kept as records."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0003_submissions_move_from_members'),
        ('members', '0007_submissions_move_to_activities'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalMemberProfilePosition',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1985), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('table', models.CharField(choices=[('a', 'Table A: platforms and publications'), ('b', 'Table B: membership and engagement')], max_length=1, verbose_name='table')),
                ('position', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='position')),
                ('name_printed', models.CharField(blank=True, help_text="The member's name as the printed table spells it.", max_length=200, verbose_name='name as printed')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.membercity', verbose_name='member city')),
            ],
            options={
                'verbose_name': 'historical position in a member profile table',
                'verbose_name_plural': 'historical positions in the member profile tables',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='MemberProfilePosition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1985), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('table', models.CharField(choices=[('a', 'Table A: platforms and publications'), ('b', 'Table B: membership and engagement')], max_length=1, verbose_name='table')),
                ('position', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='position')),
                ('name_printed', models.CharField(blank=True, help_text="The member's name as the printed table spells it.", max_length=200, verbose_name='name as printed')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='profile_positions', to='members.membercity', verbose_name='member city')),
            ],
            options={
                'verbose_name': 'position in a member profile table',
                'verbose_name_plural': 'positions in the member profile tables',
                'ordering': ['-year', 'table', 'position'],
                'constraints': [models.UniqueConstraint(fields=('year', 'table', 'member'), name='one_position_per_member_and_table', violation_error_message='This member city already has a place in this table.'), models.UniqueConstraint(fields=('year', 'table', 'position'), name='one_member_per_table_position', violation_error_message='Another member city already has this place in this table.')],
            },
        ),
    ]
