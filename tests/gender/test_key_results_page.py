"""The key results page: in-page navigation to its sections, tables that
scroll in their own box, and count charts that never put figures of very
different sizes on one scale."""

import datetime

import pytest

from metropolis.charts import by_magnitude
from tests.members.factories import MemberCityFactory, StaffFactory


def test_counts_of_very_different_sizes_go_to_separate_charts():
    groups = by_magnitude(
        [("Followers", 36400), ("Events", 85), ("Projects", 12), ("Cities", 143), ("None", None)]
    )

    assert groups == [[("Followers", 36400.0)], [("Cities", 143.0), ("Events", 85.0)], [("Projects", 12.0)]]


def test_no_chart_holds_a_value_below_a_tenth_of_its_largest():
    values = [("a", 1), ("b", 9), ("c", 10), ("d", 99), ("e", 100), ("f", 1000), ("g", 0)]

    for group in by_magnitude(values):
        largest = group[0][1]
        assert all(value == 0 or value * 10 >= largest for _label, value in group)
    assert sorted(label for group in by_magnitude(values) for label, _v in group) == list("abcdefg")


@pytest.mark.django_db
def test_the_key_results_page_links_each_section_from_its_top(client):
    MemberCityFactory.create_batch(2, ratified_on=datetime.date(2021, 3, 1))
    client.force_login(StaffFactory())

    content = client.get("/indicators/2021/").content.decode()

    toc = content[
        content.index('class="page-toc"') : content.index("</nav>", content.index('class="page-toc"'))
    ]
    sections = content.count('class="indicator-section"')
    assert sections and toc.count('href="#') == sections
    assert content.count('class="table-scroll"') == sections
