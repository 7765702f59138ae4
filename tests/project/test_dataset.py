"""The association's dataset: loading it into records (all or nothing, and a second
load changes nothing), the member profile tables exported cell for cell, the
action plans' statuses, published figures against computed ones, and the rules
of the apps' services holding for loaded data.

The real dataset is loaded once for the module (one transaction rolled back at
the end); each test runs in a savepoint inside it. The printed member profile
tables are fixtures of this folder (member_profile_2021_table_a.tsv and _b.tsv:
a header of column keys, then the 143 rows of each table exactly as the annual
report 2021 prints them, tab-separated)."""

import csv
import datetime
import io
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction

from activities.models import (
    ActionPlan,
    ActiveMemberYear,
    BilateralMeeting,
    Campaign,
    Deliverable,
    Event,
    EventKind,
    LearningParticipation,
    MemberProfilePosition,
    MetropolitanIndicatorAnalysis,
    Participation,
    ParticipationRole,
    PlatformContribution,
    PublicationMention,
)
from activities.selectors.engagement import member_engagement, member_name_in
from activities.selectors.plans import plan_rollup
from gender.models import IndicatorValue, InternalGenderTraining, ValueKind
from gender.registry import get_indicator
from members.models import BoardMandate, HeadOfGovernment, MemberCity, MemberStatus
from members.selectors.heads import head_of_government_on
from members.services.heads import head_of_government_correct, head_of_government_start_term
from members.services.profile import member_profile_update
from members.services.versions import StaleRecord
from metropolis.dataset import DATASET_DIR, DatasetInvalid, dataset_load, member_spellings
from reports.builders import annual
from reports.models import ReportRun, ReportText

HERE = Path(__file__).resolve().parent
PRINTED_TABLE = {table: HERE / f"member_profile_2021_table_{table}.tsv" for table in ("a", "b")}


def printed_rows(table: str) -> list[list[str]]:
    """The rows of a printed member profile table: the name as printed, then the cells."""
    lines = PRINTED_TABLE[table].read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t") for line in lines]


def row_counts() -> dict[str, int]:
    """The number of rows of every model, historical records included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def export(table: str, lang: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("export_member_profile", "--year", "2021", "--table", table, "--lang", lang, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def dataset_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "dataset"
    shutil.copytree(DATASET_DIR, copy)
    return copy


def edit_cell(folder: Path, file: str, match: dict[str, str], column: str, value: str) -> int:
    """Set ``column`` to ``value`` on the row of ``file`` matching ``match``;
    returns that row's number as the loader counts them (header = row 1)."""
    path = folder / file
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    number = next(n for n, row in enumerate(rows, 2) if all(row[k] == v for k, v in match.items()))
    rows[number - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return number


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The real dataset, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = dataset_load()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def db_loaded(loaded, db):
    # ``loaded`` first: each test's savepoint then sits inside the module's load.
    return loaded


# Members and the printed tables ------------------------------------------------------------


def test_all_143_member_cities_are_loaded_as_active_members(db_loaded):
    assert MemberCity.objects.count() == 143
    assert set(MemberCity.objects.values_list("status", flat=True)) == {MemberStatus.ACTIVE}
    new = MemberCity.objects.filter(ratified_on__isnull=False)
    assert sorted(new.values_list("slug", flat=True)) == [
        "guadalajara-metropolitan-area",
        "palembang",
        "semarang",
    ]
    # No Board meeting date in the source: the World Congress's first day.
    assert {member.ratified_on.isoformat() for member in new} == {"2021-11-08"}
    assert sorted(
        MemberCity.objects.get(slug="semarang").membership_changes.values_list("to_status", flat=True)
    ) == [MemberStatus.ACTIVE]


@pytest.mark.parametrize("table", ["a", "b"])
def test_every_name_in_the_printed_tables_maps_to_exactly_one_member(table):
    spellings = member_spellings()
    with (DATASET_DIR / "members.csv").open(encoding="utf-8") as handle:
        members = list(csv.DictReader(handle))
    listed = Counter(s for m in members for s in m["source_spellings"].split("|"))
    assert [s for s, n in listed.items() if n > 1] == [], "a spelling given for two members"
    names = [row[0] for row in printed_rows(table)]
    assert len(names) == 143
    assert [name for name in names if name not in spellings] == []
    assert len({spellings[name] for name in names}) == 143 == len(members)


def test_the_two_printed_tables_spell_some_members_differently_but_list_the_same_members():
    spellings = member_spellings()
    a, b = ([row[0] for row in printed_rows(t)] for t in ("a", "b"))
    assert {spellings[n] for n in a} == {spellings[n] for n in b}
    assert {"迪亚巴克", "蒙得维亚", "三宝垄（新会员）"} <= set(a)
    assert {"迪亚巴克尔", "蒙得维的亚", "三宝壟"} <= set(b)
    assert spellings["迪亚巴克"] == spellings["迪亚巴克尔"] == "diyarbakir"


@pytest.mark.parametrize("table", ["a", "b"])
def test_the_chinese_export_reproduces_the_printed_table_cell_for_cell(db_loaded, table):
    spellings = member_spellings()
    names = {m.name_zh_hans: m.slug for m in MemberCity.objects.all()}
    header, *rows = export(table, "zh-hans")
    printed = printed_rows(table)
    assert len(header) == {"a": 6, "b": 10}[table]
    assert len(rows) == len(printed) == 143
    for exported, source in zip(rows, printed, strict=True):
        # Same member at the same place (the name is the member's, not each
        # table's spelling), then every cell as printed.
        assert names[exported[0]] == spellings[source[0]], source[0]
        assert exported[1:] == source[1:], source[0]


def test_the_chinese_export_prints_the_printed_headers(db_loaded):
    assert export("a", "zh-hans")[0][1] == "在世界大都市协会网站上发布的信息"
    assert export("b", "zh-hans")[0][1:3] == ["是否为会员城市", "是否缴纳2021年会费"]


def test_other_languages_sort_by_name_and_print_yes_in_the_language(db_loaded):
    header, *rows = export("b", "es")
    assert header[0] == "Ciudad miembro" and header[2] == "Cuota 2021 pagada"
    names = [row[0] for row in rows]
    assert names[:3] == ["Abiyán", "Acra", "Adís Abeba"]
    # Accents set aside: "Área Metropolitana…" sorts among the A's.
    assert names.index("Área Metropolitana de Barcelona") < names.index("Bagdad")
    barcelona = next(row for row in rows if row[0] == "Barcelona")
    assert barcelona[1:] == ["sí", "sí", "", "sí", "3", "P", "sí", "13", ""]
    montreal = next(row for row in export("b", "en")[1:] if row[0] == "Montréal")
    assert montreal[6] == "L & P" and montreal[1] == "yes"
    assert next(row for row in export("a", "fr")[1:] if row[0] == "Le Caire")[1:] == ["4", "", "11", "", ""]


def test_the_printed_order_of_each_table_is_loaded_as_records(db_loaded):
    for table in ("a", "b"):
        positions = MemberProfilePosition.objects.filter(year=2021, table=table).order_by("position")
        assert positions.count() == 143
        assert [p.name_printed for p in positions] == [row[0] for row in printed_rows(table)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_annual_report_lists_the_members_in_the_order_of_the_export(db_loaded, language):
    run = ReportRun(kind="annual", year=2021, language=language)
    context = annual.context(run, annual.edition(run), [])
    for table in ("a", "b"):
        in_report = [
            member_name_in(member=row.member, language=language) for row in context[f"engagement_{table}"]
        ]
        assert in_report == [row[0] for row in export(table, language)[1:]]
    # The Chinese tables differ from each other: each follows its own printed order.
    assert (context["engagement_a"] == context["engagement_b"]) == (language != "zh-hans")


# Action plans ---------------------------------------------------------------------------------


def test_the_three_year_plan_ends_with_49_attained_10_in_progress_6_not_developed(db_loaded):
    plan = ActionPlan.objects.get(code="2018-2020")
    counts = plan_rollup(plan=plan, year=2020).counts
    assert (counts.attained, counts.in_progress, counts.not_developed, counts.not_reported) == (49, 10, 6, 0)
    assert counts.total == 65 == plan.published_total
    assert (plan.published_attained, plan.published_in_progress, plan.published_not_developed) == (49, 10, 6)
    assert plan.lines.count() == 3
    assert sorted(plan.sdg_goals.values_list("number", flat=True)) == [3, 5, 7, 11, 13, 16, 17]


def test_the_2021_plan_has_28_deliverables_attained_and_7_not_developed(db_loaded):
    plan = ActionPlan.objects.get(code="2021-2023")
    counts = plan_rollup(plan=plan, year=2021).counts
    assert (counts.attained, counts.in_progress, counts.not_developed, counts.not_reported) == (28, 0, 7, 0)

    def status(code: str) -> str:
        return Deliverable.objects.get(code=code, measure__line__plan=plan).statuses.get(year=2021).status

    assert [status(c) for c in ("L1A1D1", "L1A1D3", "L2A1D2", "L3A1D1", "L3A4D1")] == [
        "attained",
        "attained",
        "not_developed",
        "not_developed",
        "not_developed",
    ]
    # The source prints L3A3D3 twice; the second is stored as L3A3D4.
    doubled = Deliverable.objects.get(code="L3A3D4", measure__line__plan=plan)
    assert doubled.code_printed == "L3A3D3" and status("L3A3D4") == "attained"


# The records behind the member profile tables ---------------------------------------------------


def test_counts_of_the_printed_tables_become_rows(db_loaded):
    contributions = PlatformContribution.objects.filter(year=2021)
    assert contributions.count() == 249 and contributions.filter(kind="news_item").count() == 176
    assert contributions.filter(member__slug="barcelona-metropolitan-area", kind="news_item").count() == 12
    assert contributions.filter(
        title="News item 3 of 12 (annual report 2021, member profile table A)"
    ).exists()
    assert PublicationMention.objects.filter(year=2021, publication=None).count() == 1000
    assert BilateralMeeting.objects.filter(year=2021, held_on=None).count() == 20
    participations = LearningParticipation.objects.filter(year=2021, activity=None)
    assert participations.count() == 67 and sum(participations.values_list("times", flat=True)) == 178
    assert ActiveMemberYear.objects.filter(year=2021).count() == 105
    analyses = MetropolitanIndicatorAnalysis.objects.filter(year=2021)
    assert analyses.count() == 85 and analyses.exclude(benchmark_position=None).count() == 69
    rows = member_engagement(year=2021)
    assert sum(row.fee_paid for row in rows) == 78
    assert sum(row.world_metropolitan_day_organiser for row in rows) == 10


def test_events_carry_their_campaigns_and_table_b_attendance(db_loaded):
    assert Event.objects.filter(year=2021).count() == 111
    wmd = Event.objects.get(campaign=Campaign.WORLD_METROPOLITAN_DAY)
    assert wmd.participations.filter(role=ParticipationRole.ORGANISER).count() == 10
    assert Event.objects.get(kind=EventKind.BOARD_MEETING).participations.count() == 25
    congress = Event.objects.get(kind=EventKind.WORLD_CONGRESS)
    assert congress.participations.count() == 59
    # Guangzhou hosted the Congress and attended it: it stays its organiser.
    assert congress.participations.get(member__slug="guangzhou").role == ParticipationRole.ORGANISER
    gender_campaigns = Event.objects.filter(
        campaign__in=[Campaign.INTERNATIONAL_WOMENS_DAY, Campaign.ELIMINATION_OF_VIOLENCE_AGAINST_WOMEN]
    )
    assert gender_campaigns.count() == 2
    assert Participation.objects.filter(
        event__title_zh_hans="巴塞罗那“再行动”", member__slug="barcelona"
    ).exists()


def test_women_heads_regional_secretaries_and_the_secretary_generals_message(db_loaded):
    heads = HeadOfGovernment.objects.all()
    assert heads.count() == 23 and set(heads.values_list("gender", flat=True)) == {"woman"}
    assert sorted(heads.filter(name="Ada Colau Ballano").values_list("member__slug", flat=True)) == [
        "barcelona",
        "barcelona-metropolitan-area",
    ]
    secretaries = {m.member.slug: m for m in BoardMandate.objects.filter(role="regional-secretary")}
    assert secretaries["mexico-city"].region.code == "north-america"
    assert secretaries["berlin"].region.code == "europe"
    assert {m.start.isoformat() for m in secretaries.values()} == {"2020-11-01"}
    message = ReportText.objects.get(year=2021, key="secretary-general-message")
    assert message.author == "Octavi de la Varga"
    assert all(getattr(message, f"body_{lang}") for lang in ("en", "es", "fr", "zh_hans"))
    # A summary, which the report's data notes say; the body itself carries no production note.
    assert "not the full text" not in message.body_en and message.body_en.startswith("- 2021 was")
    motto = ReportText.objects.get(year=2021, key="motto")
    assert motto.title_zh_hans == "积极倾听，改造都市空间" and all(
        getattr(motto, f"title_{lang}") for lang in ("en", "es", "fr")
    )


def test_published_figures_are_held_for_their_registry_indicators(db_loaded):
    published = IndicatorValue.objects.filter(kind=ValueKind.PUBLISHED)
    assert published.get(indicator_code="active_member_share", year=2021).value == Decimal("72.7")
    # The same figure in two sections is kept twice; the same section once.
    assert published.filter(indicator_code="event_participants", year=2021).count() == 2
    assert published.filter(indicator_code="publications_gender", year=2018).get().value == 4
    assert published.get(indicator_code="drawing_contest_drawings").value == 1200
    assert get_indicator("drawing_contest_drawings").is_manual
    manual = IndicatorValue.objects.get(kind=ValueKind.MANUAL, indicator_code="social_media_followers")
    assert manual.value == 36400
    # GIA8: the counts become internal trainings.
    assert InternalGenderTraining.objects.filter(year=2021).count() == 4
    assert InternalGenderTraining.objects.filter(year=2018).count() == 2


def test_names_the_readme_lists_as_not_members_are_warnings(db_loaded):
    warned = " ".join(db_loaded.warnings)
    assert len(db_loaded.warnings) == 3
    assert all(name in warned for name in ("大布里斯", "亚特兰大", "大曼彻斯特郡"))


def test_reconcile_lists_published_and_computed_values_and_marks_differences(db_loaded):
    out = io.StringIO()
    call_command("reconcile", "--year", "2021", stdout=out)
    lines = out.getvalue().splitlines()
    active = next(line for line in lines if line.startswith("active_member_share "))
    assert "73.4" in active and "72.7" in active and active.endswith("DIFFERS")
    publications = [line for line in lines if line.startswith("publications ")]
    assert publications and not any("DIFFERS" in line for line in publications)
    drawings = next(line for line in lines if line.startswith("drawing_contest_drawings "))
    assert "manual" in drawings and "1200" in drawings
    assert "36400 (m)" in next(line for line in lines if line.startswith("social_media_followers "))


# Loading again, and loading a broken dataset -----------------------------------------------------


def test_a_second_load_creates_updates_and_deletes_nothing(db_loaded):
    before = row_counts()
    summary = dataset_load()
    assert (summary.totals["created"], summary.totals["updated"], summary.totals["deleted"]) == (0, 0, 0)
    assert summary.totals["unchanged"] > 2500
    # Every model, historical records included: nothing was saved again.
    assert row_counts() == before


def test_a_dropped_count_deletes_the_loaders_surplus_rows(db_loaded, tmp_path):
    folder = dataset_copy(tmp_path)
    edit_cell(
        folder,
        "platform_contributions_2021.csv",
        {"member": "barcelona-metropolitan-area", "kind": "news_item"},
        "count",
        "10",
    )
    summary = dataset_load(path=folder)
    news = PlatformContribution.objects.filter(member__slug="barcelona-metropolitan-area", kind="news_item")
    assert news.count() == 10
    assert summary.files["platform_contributions_2021.csv"].totals["deleted"] == 2
    assert (
        sorted(news.values_list("title", flat=True))[0]
        == "News item 1 of 10 (annual report 2021, member profile table A)"
    )


def test_a_row_the_portal_records_takes_the_place_of_a_placeholder(db_loaded):
    member = MemberCity.objects.get(slug="barcelona-metropolitan-area")
    PlatformContribution.objects.create(
        member=member, year=2021, kind="news_item", title="Green corridors plan"
    )
    summary = dataset_load()
    news = PlatformContribution.objects.filter(member=member, year=2021, kind="news_item")
    # Still the 12 the table prints: the last placeholder made way.
    assert news.count() == 12 and news.filter(title="Green corridors plan").exists()
    assert summary.files["platform_contributions_2021.csv"].totals["deleted"] == 1
    assert not news.filter(title__startswith="News item 12 of 12").exists()


def test_a_corrupted_file_loads_nothing_and_names_the_file_and_row(db_loaded, tmp_path):
    folder = dataset_copy(tmp_path)
    # A change early in the load that must not be written…
    edit_cell(folder, "members.csv", {"slug": "abidjan"}, "name_en", "Abidjan (changed)")
    # …and two broken cells further on.
    bad_date = edit_cell(
        folder, "events_2021.csv", {"slug": "members-assembly-2021"}, "start_date", "2021-10-32"
    )
    unknown = edit_cell(folder, "invoices_2021.csv", {"member": "accra"}, "member", "atlantis")
    before = row_counts()
    with pytest.raises(DatasetInvalid) as raised:
        dataset_load(path=folder)
    errors = raised.value.errors
    assert f"events_2021.csv, row {bad_date}, start_date: '2021-10-32' is not a date (YYYY-MM-DD)" in errors
    assert (
        f"invoices_2021.csv, row {unknown}, member: unknown member slug 'atlantis' (not in members.csv)"
        in errors
    )
    assert row_counts() == before
    assert MemberCity.objects.get(slug="abidjan").name_en == "Abidjan"


def test_a_record_a_model_refuses_rolls_back_everything_written_before_it(db_loaded, tmp_path):
    folder = dataset_copy(tmp_path)
    edit_cell(folder, "members.csv", {"slug": "abidjan"}, "name_en", "Abidjan (changed)")
    # Every cell is well formed, but a learning activity cannot end before it starts.
    row = edit_cell(
        folder,
        "learning_activities_2021.csv",
        {"slug": "metropolitan-governance-in-africa"},
        "end_date",
        "2021-09-01",
    )
    before = row_counts()
    with pytest.raises(DatasetInvalid) as raised:
        dataset_load(path=folder)
    assert any(
        error.startswith(f"learning_activities_2021.csv, row {row}, ") for error in raised.value.errors
    )
    assert row_counts() == before
    assert MemberCity.objects.get(slug="abidjan").name_en == "Abidjan"


def test_the_command_lists_every_problem_and_fails(db_loaded, tmp_path):
    folder = dataset_copy(tmp_path)
    row = edit_cell(
        folder, "gender_mainstreaming_members_2021.csv", {"member_zh": "马德里"}, "member_zh", "不存在市"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_metropolis_dataset", "--path", str(folder), stderr=err)
    assert (
        f"gender_mainstreaming_members_2021.csv, row {row}, member_zh: unknown member name '不存在市'"
        in err.getvalue()
    )


def test_the_command_prints_a_summary_per_file(db_loaded):
    out = io.StringIO()
    call_command("load_metropolis_dataset", stdout=out)
    text = out.getvalue()
    assert "members.csv: 0 created, 0 updated, 143 unchanged" in text
    assert "publication_mentions_2021.csv: 0 created, 0 updated, 1000 unchanged" in text
    assert "3 warning(s):" in text


# The services' rules hold for loaded data ------------------------------------------------------


def test_a_member_the_file_changes_moves_its_profile_version_on_once(db_loaded, tmp_path):
    before = MemberCity.objects.get(slug="abidjan").version
    folder = dataset_copy(tmp_path)
    edit_cell(folder, "members.csv", {"slug": "abidjan"}, "name_fr", "Abidjan (Côte d'Ivoire)")

    summary = dataset_load(path=folder)

    member = MemberCity.objects.get(slug="abidjan")
    assert member.name_fr == "Abidjan (Côte d'Ivoire)" and member.version == before + 1
    assert summary.files["members.csv"].totals["updated"] == 1
    # A portal form loaded before the load is refused rather than saved over it.
    with pytest.raises(StaleRecord):
        member_profile_update(member=member, version=before, website="https://www.abidjan.ci")
    # The same file again: no new version, no history row.
    counts = row_counts()
    dataset_load(path=folder)
    assert MemberCity.objects.get(slug="abidjan").version == before + 1
    assert row_counts() == counts


def test_a_new_head_in_the_file_ends_the_term_of_the_head_the_portal_records(db_loaded, tmp_path):
    # The secretariat entered the real start of Ada Colau's first term.
    ada = HeadOfGovernment.objects.get(member__slug="barcelona", name="Ada Colau Ballano")
    head_of_government_correct(
        head=ada,
        name=ada.name,
        name_local=ada.name_local,
        title=ada.title,
        gender=ada.gender,
        term_start=datetime.date(2015, 6, 13),
        term_end=None,
    )
    folder = dataset_copy(tmp_path)
    edit_cell(
        folder,
        "women_heads_of_government_2021.csv",
        {"member_zh": "巴塞罗那", "name": "Ada Colau Ballano"},
        "name",
        "Laia Bonet",
    )

    summary = dataset_load(path=folder)

    barcelona = MemberCity.objects.get(slug="barcelona")
    ada.refresh_from_db()
    assert ada.term_end == datetime.date(2020, 12, 31)
    laia = head_of_government_on(member=barcelona)
    assert (laia.name, laia.term_start, laia.term_end) == ("Laia Bonet", datetime.date(2021, 1, 1), None)
    assert head_of_government_on(member=barcelona, day=datetime.date(2020, 6, 1)) == ada
    assert summary.files["women_heads_of_government_2021.csv"].totals["created"] == 1
    # The AMB row still names Ada Colau, the AMB's head.
    amb = MemberCity.objects.get(slug="barcelona-metropolitan-area")
    assert head_of_government_on(member=amb).name == "Ada Colau Ballano"
    counts = row_counts()
    dataset_load(path=folder)
    assert row_counts() == counts


def test_a_name_the_file_corrects_corrects_the_loaded_head_in_place(db_loaded, tmp_path):
    rabat = MemberCity.objects.get(slug="rabat")
    head = head_of_government_on(member=rabat)
    folder = dataset_copy(tmp_path)
    edit_cell(
        folder,
        "women_heads_of_government_2021.csv",
        {"member_zh": "拉巴特", "name": "Asmaa Rhlalou"},
        "name",
        "Asmaâ Rhlalou",
    )

    dataset_load(path=folder)

    corrected = head_of_government_on(member=rabat)
    assert (corrected.pk, corrected.name, corrected.term_start) == (head.pk, "Asmaâ Rhlalou", head.term_start)
    assert HeadOfGovernment.objects.filter(member=rabat).count() == 1
    assert HeadOfGovernment.objects.count() == 23


def test_an_earlier_term_stays_as_recorded_when_the_file_changes_it(db_loaded, tmp_path):
    rabat = MemberCity.objects.get(slug="rabat")
    asmaa = head_of_government_on(member=rabat)
    head_of_government_start_term(
        member=rabat,
        name="Fatiha El Moudni",
        title="Mayor",
        gender="woman",
        term_start=datetime.date(2023, 9, 1),
    )
    folder = dataset_copy(tmp_path)
    edit_cell(
        folder, "women_heads_of_government_2021.csv", {"member_zh": "拉巴特"}, "title_en", "Mayor of Rabat"
    )

    summary = dataset_load(path=folder)

    asmaa.refresh_from_db()
    assert (asmaa.title, asmaa.term_end) == ("Mayor", datetime.date(2023, 8, 31))
    assert head_of_government_on(member=rabat).name == "Fatiha El Moudni"
    assert any("Asmaa Rhlalou is no longer the head of government of Rabat" in w for w in summary.warnings)


def test_a_changed_printed_order_reorders_the_report_and_the_export_alike(db_loaded, tmp_path):
    folder = dataset_copy(tmp_path)
    edit_cell(folder, "member_profile_order_2021.csv", {"table": "a", "member": "abidjan"}, "position", "2")
    edit_cell(folder, "member_profile_order_2021.csv", {"table": "a", "member": "accra"}, "position", "1")

    summary = dataset_load(path=folder)

    assert summary.files["member_profile_order_2021.csv"].totals["updated"] == 2
    assert [row[0] for row in export("a", "zh-hans")[1:3]] == ["阿克拉", "阿比让"]
    run = ReportRun(kind="annual", year=2021, language="zh-hans")
    context = annual.context(run, annual.edition(run), [])
    assert [row.member.slug for row in context["engagement_a"][:2]] == ["accra", "abidjan"]
    counts = row_counts()
    dataset_load(path=folder)
    assert row_counts() == counts
