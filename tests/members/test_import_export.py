"""CSV and XLSX import and export of members, contacts, heads of government and
invoices: an import previews first, then commits all of its rows or none, and
shows the errors of each bad row."""

import io
from decimal import Decimal

import pytest
import tablib
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from members.models import Contact, Gender, HeadOfGovernment, MemberCity, MemberKind, Region
from members.resources import (
    ContactResource,
    HeadOfGovernmentResource,
    InvoiceResource,
    MemberCityResource,
)
from members.selectors.fees import invoice_list
from tests.members.factories import (
    ContactFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

MEMBER_HEADERS = [
    "slug",
    "name_en",
    "name_es",
    "name_fr",
    "name_zh_hans",
    "country",
    "region",
    "kind",
    "population",
    "population_year",
    "website",
]
ABIDJAN = [
    "abidjan",
    "Abidjan",
    "Abiyán",
    "Abidjan",
    "阿比让",
    "CI",
    "africa",
    "city",
    "4700000",
    "2021",
    "https://abidjan.example.org",
]
MEDELLIN = [
    "aburra-valley",
    "Aburrá Valley Metropolitan Area",
    "Área Metropolitana del Valle de Aburrá",
    "Aire métropolitaine de la vallée d'Aburrá",
    "阿布拉河谷",
    "CO",
    "latin-america-caribbean",
    "metropolitan-area",
    "",
    "",
    "",
]
BAD_REGION = ["atlantis", "Atlantis", "", "", "", "ES", "atlantic-ocean", "city", "", "", ""]
BAD_KIND = ["lyon", "Lyon", "", "", "", "FR", "europe", "village", "", "", ""]


def _csv(headers, *rows) -> bytes:
    dataset = tablib.Dataset(*rows, headers=headers)
    return dataset.export("csv").encode()


def _xlsx(headers, *rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_member_import_creates_members_with_all_four_names_and_region_by_code():
    dataset = tablib.Dataset(ABIDJAN, MEDELLIN, headers=MEMBER_HEADERS)

    result = MemberCityResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    abidjan = MemberCity.objects.get(slug="abidjan")
    assert (abidjan.name_en, abidjan.name_es, abidjan.name_zh_hans) == ("Abidjan", "Abiyán", "阿比让")
    assert (abidjan.country.code, abidjan.region.code, abidjan.kind) == ("CI", "africa", MemberKind.CITY)
    assert (abidjan.population, abidjan.population_year) == (4700000, 2021)
    assert MemberCity.objects.get(slug="aburra-valley").kind == MemberKind.METROPOLITAN_AREA


def test_member_import_updates_the_member_with_the_same_slug():
    member = MemberCityFactory(slug="abidjan", name="Old name", name_en="Old name")

    MemberCityResource().import_data(tablib.Dataset(ABIDJAN, headers=MEMBER_HEADERS), dry_run=False)

    member.refresh_from_db()
    assert member.name_en == "Abidjan"
    assert MemberCity.objects.count() == 1


def test_member_import_with_one_bad_row_writes_no_row_and_names_the_errors():
    dataset = tablib.Dataset(ABIDJAN, BAD_REGION, MEDELLIN, BAD_KIND, headers=MEMBER_HEADERS)

    result = MemberCityResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    errors = {row.number: row.field_specific_errors for row in result.invalid_rows}
    assert set(errors) == {2, 4}
    assert "There is no region with code “atlantic-ocean”." in errors[2]["region"]
    assert "kind" in errors[4]
    assert not MemberCity.objects.exists()


def test_member_export_gives_back_the_import_columns():
    member = MemberCityFactory(slug="quito", name="Quito", name_en="Quito", name_es="Quito", country="EC")

    dataset = MemberCityResource().export(queryset=MemberCity.objects.filter(pk=member.pk))

    assert dataset.headers == MEMBER_HEADERS
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (row["slug"], row["country"], row["region"], row["name_es"]) == ("quito", "EC", "europe", "Quito")


def test_contact_import_names_the_member_by_slug_and_refuses_an_unknown_one():
    MemberCityFactory(slug="abidjan")
    headers = ["member", "name", "role", "email", "phone", "preferred_language", "gender", "is_primary"]
    good = ["abidjan", "Awa", "Focal point", "awa@abidjan.example.org", "", "fr", "woman", "1"]
    unknown = ["nowhere", "Bob", "Focal point", "bob@example.org", "", "en", "man", "1"]

    result = ContactResource().import_data(tablib.Dataset(good, unknown, headers=headers), dry_run=False)

    assert result.has_errors() or result.has_validation_errors()
    assert not Contact.objects.exists()

    result = ContactResource().import_data(tablib.Dataset(good, headers=headers), dry_run=False)

    contact = Contact.objects.get()
    assert (contact.member.slug, contact.preferred_language, contact.is_primary) == ("abidjan", "fr", True)


def test_a_second_primary_contact_for_a_member_is_a_row_error():
    MemberCityFactory(slug="abidjan")
    headers = ["member", "name", "email", "preferred_language", "is_primary"]
    rows = [
        ["abidjan", "Awa", "awa@example.org", "fr", "1"],
        ["abidjan", "Binta", "b@example.org", "fr", "1"],
    ]

    result = ContactResource().import_data(tablib.Dataset(*rows, headers=headers), dry_run=False)

    assert [row.number for row in result.invalid_rows] == [2]
    assert not Contact.objects.exists()


def test_head_of_government_import_keys_terms_by_member_and_start():
    MemberCityFactory(slug="abidjan")
    headers = ["member", "name", "title", "gender", "term_start", "term_end"]
    row = ["abidjan", "Robert Beugré Mambé", "Governor", "man", "2018-06-01", ""]

    HeadOfGovernmentResource().import_data(tablib.Dataset(row, headers=headers), dry_run=False)
    row[5] = "2023-10-01"
    HeadOfGovernmentResource().import_data(tablib.Dataset(row, headers=headers), dry_run=False)

    head = HeadOfGovernment.objects.get()
    assert (head.gender, str(head.term_end)) == (Gender.MAN, "2023-10-01")


def test_a_term_ending_before_it_starts_is_refused():
    MemberCityFactory(slug="abidjan")
    headers = ["member", "name", "title", "gender", "term_start", "term_end"]
    row = ["abidjan", "Someone", "Governor", "man", "2018-06-01", "2017-01-01"]

    result = HeadOfGovernmentResource().import_data(tablib.Dataset(row, headers=headers), dry_run=False)

    assert "term_end" in result.invalid_rows[0].field_specific_errors
    assert not HeadOfGovernment.objects.exists()


def test_invoice_export_carries_paid_outstanding_and_status_without_a_query_per_row(
    django_assert_max_num_queries,
):
    for _ in range(5):
        PaymentFactory(invoice=InvoiceFactory(member=MemberCityFactory()), amount=Decimal("2500.00"))

    with django_assert_max_num_queries(2):
        dataset = InvoiceResource().export(queryset=invoice_list())

    row = dict(zip(dataset.headers, dataset[0], strict=True))
    # Amounts are numbers, not text, so that a spreadsheet can add them up.
    assert (row["paid"], row["outstanding"]) == (Decimal("2500.00"), Decimal("7500.00"))
    assert row["amount"] == "10000.00"  # the model field, rendered as text except in XLSX
    assert row["status"] in {"overdue", "partially-paid"}
    assert len(dataset) == 5


def test_admin_import_with_one_bad_row_shows_the_row_error_and_writes_no_row(staff_client):
    url = reverse("admin:members_membercity_import")
    upload = SimpleUploadedFile("members.csv", _csv(MEMBER_HEADERS, ABIDJAN, BAD_REGION), "text/csv")

    response = staff_client.post(url, {"format": "0", "import_file": upload, "resource": "0"})

    assert response.status_code == 200
    assert response.context["result"].has_validation_errors()
    assert "confirm_form" not in response.context
    content = response.content.decode()
    assert "There is no region with code “atlantic-ocean”." in content
    assert not MemberCity.objects.exists()


def test_admin_import_previews_then_commits_an_xlsx_file(staff_client):
    url = reverse("admin:members_membercity_import")
    upload = SimpleUploadedFile("members.xlsx", _xlsx(MEMBER_HEADERS, ABIDJAN, MEDELLIN))

    preview = staff_client.post(url, {"format": "1", "import_file": upload, "resource": "0"})

    assert preview.status_code == 200
    assert not MemberCity.objects.exists()
    confirm = preview.context["confirm_form"]
    response = staff_client.post(reverse("admin:members_membercity_process_import"), confirm.initial)

    assert response.status_code == 302
    assert set(MemberCity.objects.values_list("slug", flat=True)) == {"abidjan", "aburra-valley"}


def test_admin_import_page_offers_csv_and_xlsx(staff_client):
    response = staff_client.get(reverse("admin:members_membercity_import"))

    assert response.status_code == 200
    choices = [label for _value, label in response.context["form"].fields["format"].choices]
    assert choices == ["---", "csv", "xlsx"] or choices == ["csv", "xlsx"]


def test_a_confirmed_import_that_no_longer_passes_writes_nothing_and_says_so(staff_client):
    url = reverse("admin:members_membercity_import")
    upload = SimpleUploadedFile("members.csv", _csv(MEMBER_HEADERS, ABIDJAN, MEDELLIN), "text/csv")
    preview = staff_client.post(url, {"format": "0", "import_file": upload, "resource": "0"})
    # Between the preview and the confirmation, the region of one row disappears.
    Region.objects.filter(code="africa").delete()

    response = staff_client.post(
        reverse("admin:members_membercity_process_import"), preview.context["confirm_form"].initial
    )

    assert response.status_code == 302
    assert response.url == url
    assert "nothing was imported" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert not MemberCity.objects.exists()


@pytest.mark.parametrize(
    "typed", ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_exports_never_hand_a_spreadsheet_a_formula_a_city_typed(typed):
    from django.contrib import admin
    from openpyxl import load_workbook

    contact = ContactFactory(name=typed, role="Protocol")
    model_admin = admin.site._registry[Contact]
    formats = {fmt().get_title(): fmt() for fmt in model_admin.get_export_formats()}
    dataset = ContactResource().export(queryset=Contact.objects.filter(pk=contact.pk))

    csv_text = formats["csv"].export_data(dataset)
    assert f"'{typed}" in csv_text.replace('""', '"')

    workbook = load_workbook(io.BytesIO(formats["xlsx"].export_data(dataset)))
    cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)  # text, never a formula
    name = next(cell for cell in cells if cell.column_letter == "B" and cell.row == 2)
    assert name.value.startswith("'") and name.value.endswith(typed[1:])


def test_exported_numbers_stay_numbers():
    from django.contrib import admin

    from members.models import Invoice

    InvoiceFactory(amount=Decimal("-10.00") + Decimal("10010.00"))
    model_admin = admin.site._registry[Invoice]
    xlsx = next(fmt() for fmt in model_admin.get_export_formats() if fmt().get_title() == "xlsx")
    from openpyxl import load_workbook

    from members.resources import InvoiceResource

    workbook = load_workbook(io.BytesIO(xlsx.export_data(InvoiceResource().export(queryset=invoice_list()))))
    values = [cell.value for row in workbook.active.iter_rows(min_row=2) for cell in row]
    assert not any(isinstance(value, str) and value.startswith("'") for value in values)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_import_larger_than_the_limit_is_refused_with_a_message_and_writes_nothing(
    staff_client, settings, kind
):
    settings.IMPORT_MAX_ROWS = 10
    rows = [[f"city-{n}", *ABIDJAN[1:]] for n in range(11)]
    content = _csv(MEMBER_HEADERS, *rows) if kind == "csv" else _xlsx(MEMBER_HEADERS, *rows)
    upload = SimpleUploadedFile(f"members.{kind}", content)

    response = staff_client.post(
        reverse("admin:members_membercity_import"),
        {"format": "0" if kind == "csv" else "1", "import_file": upload, "resource": "0"},
    )

    assert response.status_code == 200
    assert (
        "The file has 11 rows; an import takes at most 10: split it into smaller files."
        in response.content.decode()
    )
    assert not MemberCity.objects.exists()


def test_an_import_file_over_the_size_limit_is_refused(staff_client, settings):
    settings.IMPORT_MAX_BYTES = 100
    upload = SimpleUploadedFile("members.csv", _csv(MEMBER_HEADERS, ABIDJAN, MEDELLIN), "text/csv")

    response = staff_client.post(
        reverse("admin:members_membercity_import"), {"format": "0", "import_file": upload, "resource": "0"}
    )

    assert "an import takes at most 100\xa0bytes: split it into smaller files." in response.content.decode()
    assert not MemberCity.objects.exists()
