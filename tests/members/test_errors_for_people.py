"""Errors for people: an import says, in the user's language, which row and
column could not be read and which column is missing, never an exception's
class or a traceback; the change history lists only what people changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import MemberCity
from tests.members.factories import MemberCityFactory, StaffFactory
from tests.members.test_import_export import ABIDJAN, MEMBER_HEADERS, _csv, _xlsx

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:members_membercity_import"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def _import(client, content: bytes, name="members.csv", file_format="0", language="en"):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        reverse(IMPORT_URL),
        {"format": file_format, "import_file": upload, "resource": "0"},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _no_programmer_text(page: str) -> None:
    for leak in ("<class", "Traceback", "ConversionSyntax", "InvalidOperation", 'File "/', "Error:"):
        assert leak not in page


def test_a_number_that_is_not_a_number_is_named_by_row_column_and_value(staff_client):
    row = list(ABIDJAN)
    row[MEMBER_HEADERS.index("population")] = "lots"

    response = _import(staff_client, _csv(MEMBER_HEADERS, row))

    page = response.content.decode()
    assert "“lots” in column “population” cannot be read: write a whole number, e.g. 4700000" in page
    result = response.context["result"]
    (invalid,) = result.invalid_rows
    assert invalid.number == 1 and list(invalid.field_specific_errors) == ["population"]
    _no_programmer_text(page)
    assert not MemberCity.objects.exists()


def test_the_error_is_in_the_users_language(staff_client):
    row = list(ABIDJAN)
    row[MEMBER_HEADERS.index("population_year")] = "2021.5x"

    page = _import(staff_client, _csv(MEMBER_HEADERS, row), language="es").content.decode()

    # The sentence in Spanish, with the value and the column named.
    assert "«2021.5x» en la columna «population_year» no se puede leer" in page
    assert 'lang="es"' in page
    _no_programmer_text(page)


def test_an_unreadable_cell_of_an_xlsx_file_is_named_too(staff_client):
    row = list(ABIDJAN)
    row[MEMBER_HEADERS.index("population")] = "4,7 million"

    page = _import(staff_client, _xlsx(MEMBER_HEADERS, row), name="m.xlsx", file_format="1").content.decode()

    assert "“4,7 million” in column “population” cannot be read" in page
    _no_programmer_text(page)


def test_a_missing_column_is_named_and_nothing_is_imported(staff_client):
    headers = [header for header in MEMBER_HEADERS if header != "slug"]
    row = [value for header, value in zip(MEMBER_HEADERS, ABIDJAN, strict=True) if header != "slug"]

    response = _import(staff_client, _csv(headers, row))

    assert response.status_code == 200
    page = response.content.decode()
    assert "The file has no column “slug”." in page
    assert "Nothing was imported" in page
    _no_programmer_text(page)
    assert not MemberCity.objects.exists()


def test_two_missing_columns_are_both_named_and_an_optional_one_is_not_asked_for(staff_client):
    drop = {"slug", "country"}
    headers = [header for header in MEMBER_HEADERS if header not in drop]
    row = [value for header, value in zip(MEMBER_HEADERS, ABIDJAN, strict=True) if header not in drop]

    headers.remove("website")  # optional: a file may leave it out
    row = row[:-1]

    page = _import(staff_client, _csv(headers, row)).content.decode()

    assert "The file has no column “slug”, “country”." in page
    assert "“website”" not in page.split("The first row")[0]
    _no_programmer_text(page)


def _history_page(client, member) -> str:
    return client.get(reverse("admin:members_membercity_history", args=[member.pk])).content.decode()


def test_saving_only_the_population_records_only_the_population(staff_client):
    member = MemberCityFactory(population=4_000_000)
    # What a form does: its empty description boxes are saved over no value at all.
    member.refresh_from_db()
    for language in ("en", "es", "fr", "zh_hans"):
        setattr(member, f"description_{language}", "")
    member.population = 4_700_000
    member.save()

    page = _history_page(staff_client, member)

    assert "4,700,000" in page or "4700000" in page
    assert page.count("&rarr;") == 1  # one change: the population
    assert "Description" not in page and "None" not in page
    assert "Change reason" not in page


def test_a_change_reason_is_shown_when_a_version_has_one(staff_client):
    member = MemberCityFactory(population=4_000_000)
    member.population = 4_700_000
    member._change_reason = "Census 2021"
    member.save()

    page = _history_page(staff_client, member)

    assert "Change reason" in page and "Census 2021" in page
