"""The order of the member profile tables: one selector for every output (the
annual report, the CSV export), the printed order for the Chinese edition where a
year records one, and the service that records it."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import MemberProfilePosition, MemberProfileTable
from activities.selectors.engagement import member_profile_rows
from activities.services.engagement import ProfilePositionSpec, member_profile_order_set
from tests.members.factories import MemberCityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    """Three members whose names sort differently in English, Spanish and Chinese."""
    return {
        "cairo": MemberCityFactory(
            slug="cairo", name="Cairo", name_en="Cairo", name_es="El Cairo", name_zh_hans="开罗"
        ),
        "amman": MemberCityFactory(
            slug="amman", name="Amman", name_en="Amman", name_es="Ammán", name_zh_hans="安曼"
        ),
        "athens": MemberCityFactory(
            slug="athens", name="Athens", name_en="Athens", name_es="Atenas", name_zh_hans="雅典"
        ),
        "amb": MemberCityFactory(
            slug="amb",
            name="Barcelona Metropolitan Area",
            name_en="Barcelona Metropolitan Area",
            name_es="Área Metropolitana de Barcelona",
            name_zh_hans="巴塞罗那大都市区",
        ),
    }


def slugs(rows) -> list[str]:
    return [row.member.slug for row in rows]


def test_other_languages_are_alphabetical_by_the_name_in_the_language_accents_set_aside(members):
    english = ["amman", "athens", "amb", "cairo"]
    assert slugs(member_profile_rows(year=2021, table="a", language="en")) == english
    # "Área Metropolitana…" sorts among the a's, not after "Z"; "El Cairo" among the e's.
    spanish = ["amman", "amb", "athens", "cairo"]
    assert slugs(member_profile_rows(year=2021, table="a", language="es")) == spanish


def test_the_chinese_tables_follow_the_recorded_printed_order_each_its_own(members):
    member_profile_order_set(
        year=2021,
        table=MemberProfileTable.A,
        positions=[
            ProfilePositionSpec(member=members["athens"], position=1, name_printed="雅典"),
            ProfilePositionSpec(member=members["cairo"], position=2, name_printed="开罗"),
            ProfilePositionSpec(member=members["amman"], position=3, name_printed="安曼"),
            ProfilePositionSpec(member=members["amb"], position=4, name_printed="巴塞罗那大都市区"),
        ],
    )
    member_profile_order_set(
        year=2021,
        table=MemberProfileTable.B,
        positions=[
            ProfilePositionSpec(member=members["cairo"], position=1),
            ProfilePositionSpec(member=members["athens"], position=2),
        ],
    )
    table_a = ["athens", "cairo", "amman", "amb"]
    assert slugs(member_profile_rows(year=2021, table="a", language="zh-hans")) == table_a
    # Amman and the AMB are not in the printed table B: they come after the
    # members it lists, in the order of their Chinese names.
    unlisted = sorted(["amman", "amb"], key=lambda slug: members[slug].name_zh_hans)
    table_b = ["cairo", "athens", *unlisted]
    assert slugs(member_profile_rows(year=2021, table="b", language="zh-hans")) == table_b
    # The printed order is the Chinese edition's: English stays alphabetical.
    english = ["amman", "athens", "amb", "cairo"]
    assert slugs(member_profile_rows(year=2021, table="a", language="en")) == english


def test_a_year_without_a_printed_order_is_alphabetical_in_chinese_too(members):
    member_profile_order_set(
        year=2020,
        table=MemberProfileTable.A,
        positions=[ProfilePositionSpec(member=members["cairo"], position=1)],
    )
    expected = sorted(members, key=lambda slug: members[slug].name_zh_hans)
    assert slugs(member_profile_rows(year=2021, table="a", language="zh-hans")) == expected


def test_setting_the_order_again_lets_two_members_swap_places_and_drops_members_not_listed(members):
    first = [
        ProfilePositionSpec(member=members["amman"], position=1),
        ProfilePositionSpec(member=members["athens"], position=2),
        ProfilePositionSpec(member=members["cairo"], position=3),
    ]
    member_profile_order_set(year=2021, table="a", positions=first)
    kept = MemberProfilePosition.objects.get(member=members["cairo"])

    member_profile_order_set(
        year=2021,
        table="a",
        positions=[
            ProfilePositionSpec(member=members["athens"], position=1),
            ProfilePositionSpec(member=members["amman"], position=2),
        ],
    )
    rows = MemberProfilePosition.objects.filter(year=2021, table="a").order_by("position")
    assert [(row.member.slug, row.position) for row in rows] == [("athens", 1), ("amman", 2)]
    assert not MemberProfilePosition.objects.filter(pk=kept.pk).exists()


def test_an_unchanged_place_is_not_written_again(members):
    positions = [ProfilePositionSpec(member=members["amman"], position=1, name_printed="安曼")]
    (row,) = member_profile_order_set(year=2021, table="a", positions=positions)
    history = row.history.count()
    (again,) = member_profile_order_set(year=2021, table="a", positions=positions)
    assert again.pk == row.pk and again.history.count() == history


def test_a_member_or_a_place_given_twice_is_refused_and_nothing_is_written(members):
    with pytest.raises(ValidationError):
        member_profile_order_set(
            year=2021,
            table="a",
            positions=[
                ProfilePositionSpec(member=members["amman"], position=1),
                ProfilePositionSpec(member=members["amman"], position=2),
            ],
        )
    with pytest.raises(ValidationError):
        member_profile_order_set(
            year=2021,
            table="a",
            positions=[
                ProfilePositionSpec(member=members["amman"], position=1),
                ProfilePositionSpec(member=members["athens"], position=1),
            ],
        )
    assert not MemberProfilePosition.objects.exists()
