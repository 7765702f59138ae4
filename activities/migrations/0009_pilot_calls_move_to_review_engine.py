"""The call for pilot projects moves onto the review engine, and the engine's
roles get their permissions.

- Every call for projects becomes a call of kind "pilot projects" (its titles
  in the four languages, its dates as the opening and the deadline in the
  secretariat's time zone, its note as the description), with a question
  "Partner member cities"; every proposal becomes a submitted submission of its
  call, from its lead member city, with its partners as the answer, its
  decision kept (selected: a finalist and a winner; not selected: neither;
  pending: no decision yet), the reasons of the decision and the resulting
  pilot project. The decisions of a call become one jury decision per date,
  listing the proposals selected that day. A call whose proposals are all
  decided is published (its results locked); one with a pending proposal
  waits in the jury review. Each move is logged as the call's first phase
  change.
- The pilot projects name their call on the engine (``selected_in``; renamed
  ``call`` by the next migration), their history included.
- The ``juror`` group is created (what a juror may do is decided by the rules
  of ``activities.permissions``); the secretariat gets every permission of
  the engine's records, and the communications team the view permission of
  the calls, their questions, criteria, decisions, phase changes and
  submissions (not of the jury's work: jurors, conflicts, reviews and scores).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

ENGINE_MODELS = [
    "call",
    "callphasechange",
    "callquestion",
    "rubriccriterion",
    "calldecision",
    "callsubmission",
    "callanswer",
    "callattachment",
    "juror",
    "conflictofinterest",
    "reviewassignment",
    "reviewscore",
]
COMMUNICATIONS_READS = ["call", "callphasechange", "callquestion", "rubriccriterion", "calldecision", "callsubmission"]
PARTNERS_QUESTION = {
    "text": "Partner member cities",
    "text_en": "Partner member cities",
    "text_es": "Ciudades miembro socias",
    "text_fr": "Villes membres partenaires",
    "text_zh_hans": "合作会员城市",
}
MIGRATED_NOTE = "Recorded as a call for projects before the review engine; moved with its proposals and decisions."


def _moment(day, *, end_of_day: bool):
    if day is None:
        return None
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    clock = datetime.time(23, 59, 59) if end_of_day else datetime.time(0, 0)
    return datetime.datetime.combine(day, clock, tzinfo=zone)


def move_pilot_calls(apps, schema_editor):
    CallForProjects = apps.get_model("activities", "CallForProjects")
    ProjectProposal = apps.get_model("activities", "ProjectProposal")
    Call = apps.get_model("activities", "Call")
    CallPhaseChange = apps.get_model("activities", "CallPhaseChange")
    CallQuestion = apps.get_model("activities", "CallQuestion")
    CallSubmission = apps.get_model("activities", "CallSubmission")
    CallAnswer = apps.get_model("activities", "CallAnswer")
    CallDecision = apps.get_model("activities", "CallDecision")
    PilotProject = apps.get_model("activities", "PilotProject")
    HistoricalPilotProject = apps.get_model("activities", "HistoricalPilotProject")

    moved = {}
    for old in CallForProjects.objects.order_by("year"):
        proposals = list(
            ProjectProposal.objects.filter(call=old).select_related("lead_member").order_by("pk")
        )
        decided = bool(proposals) and all(p.decision != "pending" for p in proposals)
        opens_at = _moment(old.opens_on, end_of_day=False)
        closes_at = _moment(old.closes_on, end_of_day=True)
        if opens_at and closes_at and closes_at <= opens_at:
            closes_at = opens_at + datetime.timedelta(days=1)
        if decided:
            phase = "published"
        elif not proposals and closes_at and closes_at > datetime.datetime.now(datetime.UTC):
            phase = "open"  # still taking proposals: now through the portal
        else:
            phase = "review"
        last_decision = max((p.decided_on for p in proposals if p.decided_on), default=None)
        slug = f"pilot-projects-{old.year}"
        call = Call.objects.create(
            kind="pilot_projects",
            slug=slug,
            year=old.year,
            title=old.title,
            title_en=old.title_en,
            title_es=old.title_es,
            title_fr=old.title_fr,
            title_zh_hans=old.title_zh_hans,
            description=old.note,
            description_en=old.note,
            phase=phase,
            opens_at=opens_at,
            closes_at=closes_at,
            time_zone=settings.TIME_ZONE,
            published_at=(_moment(last_decision, end_of_day=True) or closes_at) if decided else None,
        )
        moved[old.pk] = call
        CallPhaseChange.objects.create(call=call, from_phase="", to_phase=call.phase, note=MIGRATED_NOTE)
        question = CallQuestion.objects.create(call=call, position=1, kind="partners", required=False, **PARTNERS_QUESTION)
        by_date = {}
        for number, proposal in enumerate(proposals, start=1):
            member = proposal.lead_member
            selected = proposal.decision == "selected"
            submission = CallSubmission.objects.create(
                call=call,
                number=number,
                applicant=None,
                title=proposal.title,
                language="en",
                city_name=member.name_en or member.name,
                country=member.country,
                member=member,
                region_id=member.region_id,
                status="submitted",
                submitted_at=_moment(proposal.submitted_on, end_of_day=False),
                eligibility="pending" if proposal.decision == "pending" else "eligible",
                is_finalist=selected,
                is_winner=selected,
                decision_note=proposal.decision_note,
                pilot_project_id=proposal.project_id,
                # The cities were told the decision when it was taken, outside the portal.
                notified_status="" if proposal.decision == "pending" else ("winner" if selected else "not_selected"),
            )
            partners = list(proposal.partner_members.all())
            if partners:
                answer = CallAnswer.objects.create(submission=submission, question=question)
                answer.partner_members.set(partners)
            if proposal.decision != "pending":
                by_date.setdefault(proposal.decided_on, []).append((submission, proposal))
        for decided_on in sorted(day for day in by_date if day is not None):
            rows = by_date[decided_on]
            notes = [f"{s.title}: {p.get_decision_display()}. {p.decision_note}".strip() for s, p in rows]
            decision = CallDecision.objects.create(
                call=call,
                kind="winners",
                decided_on=decided_on,
                minutes="\n".join([MIGRATED_NOTE, *notes]),
            )
            decision.submissions.set([s for s, p in rows if p.decision == "selected"])

    for old_pk, call in moved.items():
        PilotProject.objects.filter(call_id=old_pk).update(selected_in=call)
        HistoricalPilotProject.objects.filter(call_id=old_pk).update(selected_in_id=call.pk)


def grant_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name="juror")
    engine = Permission.objects.filter(
        content_type__app_label="activities",
        content_type__model__in=ENGINE_MODELS + [f"historical{name}" for name in ENGINE_MODELS],
    )
    secretariat, _ = Group.objects.get_or_create(name="secretariat")
    secretariat.permissions.add(*engine)
    communications, _ = Group.objects.get_or_create(name="communications")
    communications.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="activities",
            content_type__model__in=COMMUNICATIONS_READS,
            codename__startswith="view_",
        )
    )


def remove_juror_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="juror").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0008_calls_review_engine"),
        ("members", "0013_user_email_verification_and_language"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_pilot_calls, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, remove_juror_group),
    ]
