"""The texts a report prints as written: one per year and key."""

import pytest
from django.core.exceptions import ValidationError

from reports.models import ReportText
from reports.services import report_text_save

pytestmark = pytest.mark.django_db


def test_a_second_text_for_the_same_year_and_key_is_refused():
    report_text_save(text=ReportText(year=2021, key="secretary-general-message", title="Message", body="…"))

    with pytest.raises(ValidationError):
        report_text_save(text=ReportText(year=2021, key="secretary-general-message", title="Again", body="…"))
    assert ReportText.objects.count() == 1
