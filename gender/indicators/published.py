"""Figures the annual report prints that no other indicator module defines.

They rest on no record the portal keeps (children's drawings, videos, platform
users, events held by others within World Metropolitan Day) or on records it
keeps only in part, so they are manual indicators: the value is the one entered by hand or, failing that,
the published one, and ``reconcile`` lists them with the rest. Registering them
is what lets every printed figure be held as a published value of a registered
indicator.
"""

from django.utils.translation import gettext_lazy as _

from gender.registry import Unit, register_manual

# (code, label, description, unit, section) of each figure entered by hand.
MANUAL_FIGURES = (
    (
        "world_metropolitan_day_events",
        _("World Metropolitan Day events"),
        _(
            "Events held by cities, metropolitan areas, universities and international organisations within "
            "the year's World Metropolitan Day; the portal records the day itself as one campaign event."
        ),
        Unit.COUNT,
        "key-results",
    ),
    (
        "world_metropolitan_day_organisers",
        _("World Metropolitan Day organisers"),
        _(
            "Cities, metropolitan areas, universities and international organisations that organised an event "
            "of World Metropolitan Day, members or not."
        ),
        Unit.COUNT,
        "key-results",
    ),
    (
        "drawing_contest_drawings",
        _("Drawings received in the children's drawing contest"),
        _("Drawings by children received by the association's drawing contest of the year."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "drawing_contest_cities",
        _("Cities taking part in the children's drawing contest"),
        _("Cities the drawings of the year's drawing contest came from."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "world_congress_participants",
        _("World Congress participants"),
        _("Metropolitan leaders, representatives and experts taking part in the year's World Congress."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "world_congress_sessions",
        _("World Congress sessions"),
        _("Sessions (meetings) of the year's World Congress."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "new_videos",
        _("New videos"),
        _("Videos the association published during the year."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "urban_regeneration_videos",
        _("Videos on urban regeneration through urban projects"),
        _("Videos made during the year for the pilot project on urban regeneration through urban projects."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "benchmarked_spaces",
        _("Metropolitan spaces benchmarked"),
        _("Metropolitan spaces the association's benchmark of the year compares."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "city_managers_5g_debates",
        _("City Managers Community debates on 5G"),
        _("Debates of the City Managers Community on 5G technology held during the year."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "city_managers_5g_participants",
        _("Participants in the City Managers Community 5G debates"),
        _("People taking part in the year's City Managers Community debates on 5G (an estimate)."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "city_managers_5g_members",
        _("Member cities in the City Managers Community 5G debates"),
        _("Member cities taking part in the year's City Managers Community debates on 5G."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "emergency_governance_members",
        _("Member cities in the Emergency Governance Initiative"),
        _("Member cities taking part in the Emergency Governance Initiative during the year."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "learning_products",
        _("Capacity-building products on the learning platform"),
        _("Courses and webinars uploaded to the association's learning platform during the year."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "learning_courses",
        _("Courses on the learning platform"),
        _("Courses among the year's capacity-building products."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "learning_webinars",
        _("Webinars on the learning platform"),
        _("Webinars among the year's capacity-building products."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "observatory_projects",
        _("Observatory projects"),
        _("Projects of the association's Observatory led or joined during the year."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "platform_city_makers",
        _("City makers on the Urban Sustainability Exchange"),
        _(
            "City makers registered on the Urban Sustainability Exchange platform (all users, not only members)."
        ),
        Unit.COUNT,
        "key-results",
    ),
    (
        "vice_presidents_meetings",
        _("Vice-presidents' meetings held"),
        _("Meetings of the association's vice-presidents held during the year."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "co_presidents_meetings",
        _("Co-presidents' meetings held"),
        _("Meetings of the association's co-presidents held during the year."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "internal_planning_meetings",
        _("Internal planning meetings held"),
        _("Internal planning meetings of the secretariat held during the year."),
        Unit.COUNT,
        "key-results",
    ),
    (
        "partners_total",
        _("Partners the association works closely with"),
        _(
            "Grant-giving member cities and strategic, collaborating, knowledge and sponsoring partners "
            "the association works closely with."
        ),
        Unit.COUNT,
        "key-results",
    ),
    (
        "activities_gender",
        _("Association activities with a gender approach (count)"),
        _("Association activities of the year that take a gender approach, as counted by the secretariat."),
        Unit.COUNT,
        "gender",
    ),
    (
        "activities_total",
        _("Association activities (count)"),
        _("Association activities of the year, as counted by the secretariat for the gender approach share."),
        Unit.COUNT,
        "gender",
    ),
    (
        "gender_research_projects",
        _("Gender research projects"),
        _("Research projects on gender policy the association carried out during the year."),
        Unit.COUNT,
        "gender",
    ),
    (
        "ec_projects_mobility_gender",
        _("European Commission projects on mobility with a gender approach"),
        _("European Commission projects on mobility with a gender approach the association took part in."),
        Unit.COUNT,
        "gender",
    ),
    (
        "learning_programmes_africa",
        _("Learning programmes on governance in Africa"),
        _("Learning programmes of the year focused on metropolitan governance in Africa."),
        Unit.COUNT,
        "gender",
    ),
    (
        "gender_impact_assessments",
        _("Gender impact assessments"),
        _("Gender impact assessments of the association's work carried out during the year."),
        Unit.COUNT,
        "gender",
    ),
)

for _code, _label, _description, _unit, _section in MANUAL_FIGURES:
    register_manual(_code, label=_label, description=_description, unit=_unit, section=_section)
