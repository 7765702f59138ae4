"""The annual report of a year, following the association's published annual
report: cover, contents, the Secretary General's message, key results with
charts, one section per action line, the gender impact assessment, the
Strategic Action Plan table, the member profile tables, partners, the calendar
of international events, the secretariat team and the data notes."""

import datetime
import re

from django.db.models import Prefetch, Q, Subquery
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities.models import (
    Campaign,
    Deliverable,
    Event,
    EventKind,
    LearningActivity,
    PilotProjectMember,
    PolicyStatement,
    Publication,
)
from activities.selectors.calendar import calendar_months, undated_events
from activities.selectors.engagement import member_engagement, member_name_in, member_profile_rows
from activities.selectors.plans import plan_of_year
from activities.selectors.projects import projects_running_in
from gender.indicators.activities import GIA_INDICATORS
from gender.models import (
    Edition,
    GenderMainstreamingEngagement,
    IndicatorValue,
    InternalGenderTool,
    ProgrammeYear,
    ValueKind,
)
from gender.registry import get_indicator
from gender.selectors import indicator_evolution, indicator_lines, staff_in
from gender.services import edition_freeze
from members.models import MemberCity, Partner, PartnerCategory
from members.models.city import BoardRole
from members.selectors.heads import heads_in_office
from members.selectors.membership import (
    board_mandates_in,
    members_led_by_women,
    members_new_in,
    members_of_year,
)
from metropolis.charts import bar_chart, line_chart, share_bar
from metropolis.collation import sorted_for
from reports.models import ReportRun
from reports.preflight import Findings
from reports.templatetags.report_tags import figure

from .plans import plan_table
from .texts import report_text

template_name = "reports/annual.html"

# The titles of the heads of government the dataset records (in English), so
# that the catalogs carry them and each edition prints them in its language.
HEAD_TITLES = (
    gettext_lazy("Mayor"),
    gettext_lazy("Executive Mayor"),
    gettext_lazy("Lord Mayor"),
    gettext_lazy("Governor"),
    gettext_lazy("Intendant"),
    gettext_lazy("President"),
    gettext_lazy("Regent"),
)


def preflight(run: ReportRun) -> list[str]:
    """Errors stop the run; warnings go to the data notes page."""
    year = run.year
    findings = Findings()
    members = members_of_year(year=year)
    if not members.exists():
        findings.errors.append(
            _("There are no member cities for %(year)s: load or enter the members first.") % {"year": year}
        )
    for member in members.filter(region__isnull=True).order_by("name"):
        findings.warnings.append(_("%(member)s has no region.") % {"member": member.name})
    without_invoice = members.filter(active_years__year=year).exclude(invoices__year=year).distinct()
    for member in without_invoice.order_by("name"):
        findings.warnings.append(
            _("%(member)s is an active member in %(year)s but has no invoice for the year.")
            % {"member": member.name, "year": year}
        )
    led = Event.objects.filter(year=year, led_by_association=True)
    # (An event that takes registrations counts its attendees: nothing typed to check.)
    typed_led = led.filter(registration_settings__isnull=True)
    for event in typed_led.filter(
        Q(participants_total__isnull=False), participants_women__isnull=True
    ).order_by("slug"):
        findings.warnings.append(
            _("The event “%(event)s” has participants but no split by gender.") % {"event": event.title}
        )
    # Participant and speaker figures come from the registrations where an
    # event takes them, else from the counts typed on the event: say so.
    typed = typed_led.count()
    if typed:
        findings.warnings.append(
            ngettext(
                "%(count)s association-led event of %(year)s takes no registrations: its participant and "
                "speaker figures are the counts typed on it.",
                "%(count)s association-led events of %(year)s take no registrations: their participant and "
                "speaker figures are the counts typed on them.",
                typed,
            )
            % {"count": typed, "year": year}
        )
    unsplit = typed_led.filter(participants_total__isnull=True).count()
    if unsplit:
        findings.warnings.append(
            _("%(count)s association-led events of %(year)s record no number of participants.")
            % {"count": unsplit, "year": year}
        )
    plan = plan_of_year(year=year)
    if plan is None:
        findings.warnings.append(_("No strategic action plan covers %(year)s.") % {"year": year})
    else:
        missing = Deliverable.objects.filter(measure__line__plan=plan).exclude(statuses__year=year)
        for deliverable in missing.order_by("code"):
            findings.warnings.append(
                _("Deliverable %(code)s has no status for %(year)s.")
                % {"code": deliverable.code, "year": year}
            )
    return findings.raise_errors()


def edition(run: ReportRun) -> Edition:
    """The frozen figures: the run's own edition when it re-renders one, else a new one frozen now."""
    if run.edition_id:
        return run.edition
    return edition_freeze(
        year=run.year, title=_("Annual report %(year)s") % {"year": run.year}, by=run.requested_by
    )


def _chart(svg: str):
    # metropolis.charts escapes every text it draws.
    return mark_safe(svg)  # noqa: S308


# The sections of the printed report a published figure comes from, as the
# source names them ("中文 / English"), in the edition's language.
SOURCE_SECTIONS = {
    "Key results": gettext_lazy("Key results"),
    "Key results · Action line 1": gettext_lazy("Key results · Action line 1"),
    "Key results · Action line 2": gettext_lazy("Key results · Action line 2"),
    "Key results · Action line 3": gettext_lazy("Key results · Action line 3"),
    "Gender impact assessment · Key results": gettext_lazy("Gender impact assessment · Key results"),
    "Gender impact assessment · Evolution": gettext_lazy("Gender impact assessment · Evolution"),
    "Partners": gettext_lazy("Partners"),
    "Secretariat staff": gettext_lazy("Secretariat team"),
    "Closing infographic · Our impact": gettext_lazy("The year in figures · Our impact"),
    "Closing infographic · Gender equality at the centre of urban policy in 2021": gettext_lazy(
        "The year in figures · Gender equality at the centre of urban policy"
    ),
}


def source_section(section: str, language: str) -> str:
    """Where a figure was published, in ``language``: the section's own title in
    the edition's language where the report has one, else the source's wording
    in Chinese or (for the other languages) English."""
    chinese, _sep, english = section.partition(" / ")
    english = english or chinese
    if english in SOURCE_SECTIONS:
        return str(SOURCE_SECTIONS[english])
    if english.startswith("News report on the 2021 Global Mayors Forum"):
        return _("News report on the 2021 Global Mayors Forum")
    return chinese if language.startswith("zh") else english


def _mentions(text: str, words: str) -> bool:
    """Whether ``text`` already names ``words`` (a city, a format), so that the
    report does not print it twice."""
    return bool(words) and words.casefold() in text.casefold()


_OWN_CODE = re.compile(r"\s*[(（]GIA\d[)）]\s*$|^GIA\d[.．]\s*")


def without_code(text: str) -> str:
    """An indicator's label or description without the GIA code the report prints beside it."""
    return _OWN_CODE.sub("", str(text))


def _evolution_item(gia_code: str, code: str, series: list, computed) -> dict:
    known = [(y, v) for y, v in series if v is not None]
    item = {
        "code": gia_code,
        "label": without_code(get_indicator(code).label),
        "description": without_code(get_indicator(code).description),
        "value": known[-1][1] if known else computed,
        "known": known,
        "chart": None,
    }
    if len(known) > 1:
        item["chart"] = _chart(line_chart(series, title="", width=250, height=110))
    return item


def context(run: ReportRun, edition: Edition, warnings: list[str]) -> dict:
    year = run.year
    figures = edition.values_by_code()
    lines = indicator_lines(year=year)
    differences = [(line, published) for line in lines for published in line.differences]

    def fig(code: str):
        return {
            "value": figures.get(code),
            "unit": get_indicator(code).unit,
            "label": get_indicator(code).label,
        }

    members = members_of_year(year=year)

    def by_name(queryset) -> list:
        """Members in the edition's alphabetical order (Chinese by pinyin)."""
        return sorted_for(queryset, run.language, lambda m: member_name_in(member=m, language=run.language))

    mandates = board_mandates_in(year=year)
    board_member_ids = set(
        mandates.exclude(role=BoardRole.REGIONAL_SECRETARY).values_list("member_id", flat=True)
    )
    # Each table in its own printed order (the same as the CSV export's).
    engagement = member_engagement(year=year, members=members)
    engagement_a = member_profile_rows(year=year, table="a", language=run.language, engagement=engagement)
    engagement_b = member_profile_rows(year=year, table="b", language=run.language, engagement=engagement)

    # Evolution of each gender impact assessment indicator since the first
    # published year: the published values, then this edition's frozen one.
    # The year's point is the value the association published where it did
    # (the data notes page lists it beside the computed one), else the frozen one.
    codes = list(GIA_INDICATORS.values())
    published_now = {
        value.indicator_code: value.value
        for value in IndicatorValue.objects.filter(
            indicator_code__in=codes, year=year, kind=ValueKind.PUBLISHED
        ).order_by("-section")
    }
    evolution = indicator_evolution(codes=codes, year=year, current={**figures, **published_now})
    gia = [
        _evolution_item(gia_code, code, evolution[code], figures.get(code))
        for gia_code, code in GIA_INDICATORS.items()
    ]

    women_share = figures.get("event_participants_women_share")
    men_share = figures.get("event_participants_men_share")
    experts_women = figures.get("experts_women_share")
    experts_men = figures.get("experts_men_share")
    funding = [
        (get_indicator(code).label, figures.get(code))
        for code in (
            "funding_member_fees_share",
            "funding_projects_with_members_share",
            "funding_collaboration_other_parties_share",
            "funding_other_share",
        )
    ]
    spending = ProgrammeYear.objects.filter(year=year).select_related("programme").order_by("programme__code")
    events = Event.objects.filter(year=year)
    projects = (
        projects_running_in(year=year)
        .prefetch_related(
            Prefetch("memberships", queryset=PilotProjectMember.objects.select_related("member"))
        )
        .order_by("slug")
    )
    congress = events.filter(kind=EventKind.WORLD_CONGRESS).first()
    # Partners by category; a category with no partner recorded is left out.
    in_year = Partner.objects.filter(active_from__lte=year).filter(
        Q(active_until__isnull=True) | Q(active_until__gte=year)
    )
    by_category: dict[str, list] = {}
    language_field = f"name_{run.language.replace('-', '_')}"
    for partner in sorted_for(
        in_year, run.language, lambda p: getattr(p, language_field, None) or p.name_en or p.name
    ):
        by_category.setdefault(partner.category, []).append(partner)
    partners = [(label, by_category[c]) for c, label in PartnerCategory.choices if c in by_category]
    # The calendar's places in the edition's language where the place is a
    # member city the portal names in that language (the rest as recorded).
    calendar = [m for m in calendar_months(year=year) if m.days]
    if run.language != "en":
        names = {
            member.name_en: member_name_in(member=member, language=run.language)
            for member in MemberCity.objects.only("name_en", f"name_{run.language.replace('-', '_')}")
        }
        for month in calendar:
            for day in month.days:
                for event in day.events:
                    event.city = names.get(event.city, event.city)
    statutory = [
        (
            event,
            "" if _mentions(event.title or "", event.get_format_display()) else event.get_format_display(),
        )
        for event in events.filter(
            kind__in=[EventKind.BOARD_MEETING, EventKind.STATUTORY_OTHER, EventKind.GENERAL_ASSEMBLY]
        ).order_by("start_date", "slug")
    ]
    # The calls and awards of the year: printed only where a record or a published value gives a figure.
    award_codes = (
        "award_submissions",
        "award_submission_cities",
        "award_submission_countries",
        "award_finalists",
        "award_winners",
        "award_library_cases",
    )
    pilot_call_codes = ("pilot_call_submissions", "pilot_call_selected")
    return {
        "run": run,
        "year": year,
        "title": _("Annual report %(year)s") % {"year": year},
        "edition": edition,
        "figures": figures,
        "fig": {code: fig(code) for code in figures},
        "message": report_text(year=year, key="secretary-general-message"),
        "new_members": by_name(members_new_in(year=year)),
        "member_count": members.count(),
        "charts": {
            "participants": _chart(
                share_bar([(_("Women"), women_share), (_("Men"), men_share)], title=_("Participants"))
            ),
            "experts": _chart(
                share_bar(
                    [
                        (_("Women"), experts_women),
                        (_("Men"), experts_men),
                    ],
                    title=_("Experts"),
                )
            ),
            "funding": _chart(bar_chart(funding, title=_("Sources of funds"), suffix="%")),
        },
        "statements": PolicyStatement.objects.filter(year=year).order_by("slug"),
        "global_events": events.filter(kind=EventKind.GLOBAL_EVENT),
        "congress": congress,
        "statutory": statutory,
        "benchmarked": by_name(members.filter(indicator_analyses__year=year).distinct()),
        "projects": projects,
        "publications": Publication.objects.filter(year=year).order_by("kind", "slug"),
        "learning": LearningActivity.objects.filter(year=year).order_by("kind", "slug"),
        "spending": spending,
        "gia": gia,
        "women_led": by_name(
            members_led_by_women(year=year).annotate(
                head_name_local=Subquery(
                    heads_in_office(datetime.date(year, 12, 31)).values("name_local")[:1]
                )
            )
        ),
        "regional_secretaries": mandates.filter(role=BoardRole.REGIONAL_SECRETARY),
        "gender_members": sorted_for(
            GenderMainstreamingEngagement.objects.filter(year=year).select_related("member"),
            run.language,
            lambda engagement: member_name_in(member=engagement.member, language=run.language),
        ),
        "gender_programmes": spending.filter(gender_collaboration=True),
        "gender_tools": InternalGenderTool.objects.filter(year=year),
        "plan": plan_table(plan=plan, year=year) if (plan := plan_of_year(year=year)) else None,
        "engagement_a": engagement_a,
        "engagement_b": engagement_b,
        "board_member_ids": board_member_ids,
        "partners": partners,
        "partners_total": int(figures.get("partners_total") or 0),
        "gender_research_projects": int(figures.get("gender_research_projects") or 0),
        "ec_projects": int(figures.get("ec_projects_mobility_gender") or 0),
        "wmd": events.filter(kind=EventKind.GLOBAL_EVENT, campaign=Campaign.WORLD_METROPOLITAN_DAY)
        .exclude(start_date=None)
        .exclude(end_date=None)
        .first(),
        "board_in_a": any(row.member.pk in board_member_ids for row in engagement_a),
        "board_in_b": any(row.member.pk in board_member_ids for row in engagement_b),
        "calendar": calendar,
        "undated": undated_events(year=year),
        "team": staff_in(year=year).order_by("kind", "position", "name"),
        "award": any(figures.get(code) is not None for code in award_codes),
        "pilot_call": any(figures.get(code) is not None for code in pilot_call_codes),
        "differences": [
            (line, published, source_section(published.section, run.language))
            for line, published in differences
        ],
        "defined_by_portal": [
            (gia_code, without_code(get_indicator(code).label), get_indicator(code).note)
            for gia_code, code in GIA_INDICATORS.items()
            if get_indicator(code).note
        ],
        "team_line": team_line(figures),
        "motto": report_text(year=year, key="motto"),
        "data_notes_text": report_text(year=year, key="data-notes"),
        # The PDF's dates come from the edition, so that it renders the same bytes again.
        "created": edition.frozen_at,
    }


def _split(head: str, women, men) -> str:
    return _("%(head)s: %(women)s, %(men)s.") % {
        "head": head,
        "women": ngettext("%(count)s woman", "%(count)s women", int(women or 0)) % {"count": figure(women)},
        "men": ngettext("%(count)s man", "%(count)s men", int(men or 0)) % {"count": figure(men)},
    }


def team_line(figures: dict) -> list[str]:
    """The secretariat's head counts, with each language's plural forms."""
    professionals, interns = figures.get("staff_professionals"), figures.get("interns")
    return [
        _split(
            ngettext("%(count)s professional", "%(count)s professionals", int(professionals or 0))
            % {"count": figure(professionals)},
            figures.get("staff_professionals_women"),
            figures.get("staff_professionals_men"),
        ),
        _split(
            ngettext("%(count)s intern", "%(count)s interns", int(interns or 0)) % {"count": figure(interns)},
            figures.get("interns_women"),
            figures.get("interns_men"),
        ),
    ]


# Above this many member rows a table, the member profile tables are laid out
# in documents of ANNEX_CHUNK_ROWS rows each, written one after the other and
# joined, so that the pages of the whole annex are never held at once (a page
# of laid-out table holds several megabytes until the PDF is written).
ANNEX_CHUNK_ABOVE = 1500
ANNEX_CHUNK_ROWS = 600


def _annex_chunks(rows_a: list, rows_b: list) -> list[dict]:
    chunks = []
    for table, rows in (("a", rows_a), ("b", rows_b)):
        for start in range(0, len(rows), ANNEX_CHUNK_ROWS):
            part = rows[start : start + ANNEX_CHUNK_ROWS]
            chunks.append(
                {
                    "rows_a": part if table == "a" else [],
                    "rows_b": part if table == "b" else [],
                    "starts": not chunks,
                    f"{table}_starts": start == 0,
                    f"{table}_ends": start + ANNEX_CHUNK_ROWS >= len(rows),
                }
            )
    return chunks


def render(context: dict) -> tuple[bytes, int] | None:
    """The PDF laid out in parts when the member tables are long (see
    :data:`ANNEX_CHUNK_ABOVE`): the front matter, the member profile tables in
    chunks, then the back matter, each with its page numbers following on, and
    the table of contents given the pages the later parts begin on. ``None``
    when the report is short enough to lay out whole."""
    from django.template.loader import render_to_string

    from metropolis.pdf import fewer_collections, join_pdfs, render_document, write_document

    if len(context["engagement_a"]) <= ANNEX_CHUNK_ABOVE:
        return None

    def html(**extra) -> str:
        return render_to_string(template_name, {**context, **extra})

    def lay_out(**extra):
        return render_document(html(**extra))

    files: list[bytes] = []
    with fewer_collections():
        # The front matter's length does not depend on the page numbers its
        # contents will give (same digits' room): count its pages with stand-ins.
        later = ("profile", "partners", "calendar", "team", "data-notes", "in-figures")
        front_pages = len(lay_out(part="front", toc_pages=dict.fromkeys(later, 999)).pages)
        gc_collect()
        page = front_pages + 1
        toc_pages = {"profile": page}
        for chunk in _annex_chunks(context["engagement_a"], context["engagement_b"]):
            document = lay_out(part="annex", chunk=chunk, page_start=page)
            files.append(write_document(document))
            page += len(document.pages)
            del document
            gc_collect()
        back = lay_out(part="back", page_start=page)
        for number, laid_out in enumerate(back.pages):
            for anchor in laid_out.anchors:
                if anchor in later:
                    toc_pages.setdefault(anchor, page + number)
        files.append(write_document(back))
        page += len(back.pages)
        del back
        gc_collect()
        front = lay_out(part="front", toc_pages=toc_pages)
        if len(front.pages) != front_pages:
            raise RuntimeError("The front matter changed length once its table of contents was filled in.")
        files.insert(0, write_document(front))
        metadata = front.metadata
        del front
    return join_pdfs(files, title=metadata.title, created=metadata.created), page - 1


def gc_collect() -> None:
    import gc

    gc.collect()
