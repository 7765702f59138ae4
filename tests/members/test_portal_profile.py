"""The city's profile in the portal: what an editor may change (descriptions in
four languages, website, population, logo, head of government, contacts), what
no form field can reach (name, status, region, fees, Board roles), optimistic
locking (no update is ever lost), and the logo checks."""

import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from members.models import BoardMandate, Contact, HeadOfGovernment, MemberCity, MemberStatus
from members.models.city import BoardRole
from members.services.profile import member_profile_update
from members.services.versions import StaleRecord
from tests.members.factories import (
    BoardMandateFactory,
    CityEditorFactory,
    CityViewerFactory,
    ContactFactory,
    HeadOfGovernmentFactory,
    MemberCityFactory,
    StaffFactory,
    region,
)
from tests.members.test_admin import _change_form_data

pytestmark = pytest.mark.django_db

PROFILE = "/my-city/profile/"


@pytest.fixture
def city():
    return MemberCityFactory(
        name="Barcelona",
        name_en="Barcelona",
        slug="barcelona",
        population=1_600_000,
        population_year=2020,
        website="https://www.barcelona.cat",
    )


@pytest.fixture
def editor(city):
    return CityEditorFactory(member_city=city, full_name="Laia Puig")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _profile_data(city, **changes):
    data = {
        "version": city.version,
        "description_en": city.description_en or "",
        "description_es": city.description_es or "",
        "description_fr": city.description_fr or "",
        "description_zh_hans": city.description_zh_hans or "",
        "website": city.website,
        "population": city.population or "",
        "population_year": city.population_year or "",
    }
    data.update(changes)
    return data


def _image(kind: str = "PNG", size=(40, 20), noise: bool = False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (228, 0, 58))
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


# --- What an editor changes ------------------------------------------------------------------------


def test_an_editor_changes_the_descriptions_in_four_languages_website_and_population(editor_client, city):
    response = editor_client.post(
        PROFILE,
        _profile_data(
            city,
            description_en="A Mediterranean city.",
            description_es="Una ciudad mediterránea.",
            description_fr="Une ville méditerranéenne.",
            description_zh_hans="一座地中海城市。",
            website="barcelona.example.org",
            population="1660000",
            population_year="2023",
        ),
    )

    assert response.status_code == 302 and response.url == reverse("portal:home")
    city.refresh_from_db()
    assert (city.description_en, city.description_es, city.description_fr, city.description_zh_hans) == (
        "A Mediterranean city.",
        "Una ciudad mediterránea.",
        "Une ville méditerranéenne.",
        "一座地中海城市。",
    )
    assert (city.website, city.population, city.population_year) == (
        "https://barcelona.example.org",
        1660000,
        2023,
    )
    assert city.version == 2
    page = editor_client.get(reverse("portal:home")).content.decode()
    assert "Une ville méditerranéenne." in page and "一座地中海城市。" in page


def test_forged_fields_never_reach_the_record(editor_client, city):
    other_region = region("asia-pacific")
    BoardMandateFactory(member=city, role=BoardRole.BOARD_MEMBER)

    response = editor_client.post(
        PROFILE,
        _profile_data(
            city,
            description_en="Changed",
            name="Hacked",
            name_en="Hacked",
            slug="hacked",
            status=MemberStatus.WITHDRAWN,
            region=other_region.pk,
            fee_category="exempt",
            ratified_on="2000-01-01",
            version="1",
            **{"mandates-0-role": BoardRole.PRESIDENT, "member": MemberCityFactory().pk},
        ),
    )

    assert response.status_code == 302
    city.refresh_from_db()
    assert city.description_en == "Changed"
    assert (city.name_en, city.slug, city.status, city.region.code, city.fee_category) == (
        "Barcelona",
        "barcelona",
        MemberStatus.ACTIVE,
        "europe",
        "standard",
    )
    assert list(BoardMandate.objects.filter(member=city).values_list("role", flat=True)) == [
        BoardRole.BOARD_MEMBER
    ]


def test_the_profile_form_lists_only_the_fields_a_city_may_change(editor_client):
    form = editor_client.get(PROFILE).context["form"]

    assert set(form.fields) == {
        "version",
        "description_en",
        "description_es",
        "description_fr",
        "description_zh_hans",
        "website",
        "population",
        "population_year",
        "logo",
        "remove_logo",
    }


def test_every_field_of_the_profile_form_has_a_label(editor_client):
    page = editor_client.get(PROFILE).content.decode()

    inputs = set(re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    hidden = set(re.findall(r'<input type="hidden"[^>]*\bid="([^"]+)"', page))
    assert inputs - hidden - labelled == set()


def test_a_viewer_cannot_save_the_profile(client, city):
    client.force_login(CityViewerFactory(member_city=city))

    response = client.post(PROFILE, _profile_data(city, description_en="Viewer was here"))

    assert response.status_code == 403
    city.refresh_from_db()
    assert city.description_en in (None, "")


# --- Optimistic locking ------------------------------------------------------------------------------


def test_two_editors_on_the_same_version_the_second_is_refused_and_keeps_its_input(city):
    first, second = Client(), Client()
    first.force_login(CityEditorFactory(member_city=city))
    second.force_login(CityEditorFactory(member_city=city))
    version = first.get(PROFILE).context["form"]["version"].value()
    assert second.get(PROFILE).context["form"]["version"].value() == version

    saved = first.post(
        PROFILE, _profile_data(city, version=version, description_en="The first editor's text")
    )
    refused = second.post(
        PROFILE,
        _profile_data(
            city,
            version=version,
            description_en="The second editor's text",
            website="https://second.example.org",
        ),
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone else saved this profile while you were editing it; nothing was saved." in page
    form = refused.context["form"]
    assert form["description_en"].value() == "The second editor's text"
    assert form["website"].value() == "https://second.example.org"
    conflicts = {row["label"]: row["saved"] for row in refused.context["conflicts"]}
    assert conflicts["Description in English"] == "The first editor's text"
    # No lost update: the first save stands.
    city.refresh_from_db()
    assert (city.description_en, city.website, city.version) == (
        "The first editor's text",
        "https://www.barcelona.cat",
        version + 1,
    )
    # Having seen both, the second editor saves again on purpose.
    again = second.post(PROFILE, {key: form[key].value() or "" for key in form.fields if key != "logo"})
    assert again.status_code == 302
    city.refresh_from_db()
    assert (city.description_en, city.version) == ("The second editor's text", version + 2)


def test_the_service_saves_only_over_the_version_it_was_given(city, editor):
    changes = {
        "description_en": "Text",
        "description_es": "",
        "description_fr": "",
        "description_zh_hans": "",
        "website": "",
        "population": None,
        "population_year": None,
    }
    with CaptureQueriesContext(connection) as queries:
        member_profile_update(member=city, version=1, by=editor, **changes)
    # One statement compares and increments: UPDATE ... SET version = version + 1 WHERE ... version = 1.
    update = next(query["sql"] for query in queries.captured_queries if query["sql"].startswith("UPDATE"))
    assert re.search(r'^UPDATE .*SET "version" = .*"version" \+ 1.* WHERE .*"version" = 1', update), update

    with pytest.raises(StaleRecord) as refused:
        member_profile_update(member=city, version=1, by=editor, **{**changes, "description_en": "Late"})

    assert refused.value.current.version == 2
    city.refresh_from_db()
    assert (city.description_en, city.version) == ("Text", 2)


def test_a_secretariat_save_in_the_admin_makes_an_open_portal_form_stale(editor_client, city):
    version = editor_client.get(PROFILE).context["form"]["version"].value()
    staff = Client()
    staff.force_login(StaffFactory())
    url = reverse("admin:members_membercity_change", args=[city.pk])
    data = _change_form_data(staff.get(url))
    data["website"] = "https://secretariat.example.org"
    assert staff.post(url, data).status_code == 302

    response = editor_client.post(PROFILE, _profile_data(city, version=version, description_en="Late"))

    assert response.status_code == 200 and response.context["conflicts"]
    city.refresh_from_db()
    assert city.website == "https://secretariat.example.org" and not city.description_en


# --- The logo --------------------------------------------------------------------------------------------


def _upload(client, city, name, content, content_type="image/png"):
    data = _profile_data(city)
    data["logo"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(PROFILE, data)


def test_a_png_logo_is_stored_under_a_generated_name(editor_client, city):
    response = _upload(editor_client, city, "Logo Ajuntament.png", _image("PNG"))

    assert response.status_code == 302
    city.refresh_from_db()
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", city.logo.name)
    assert city.logo.read() == _image("PNG")


def test_a_jpeg_logo_is_accepted_and_named_from_its_content(editor_client, city):
    response = _upload(editor_client, city, "logo.png", _image("JPEG"), content_type="image/png")

    assert response.status_code == 302
    city.refresh_from_db()
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.jpg", city.logo.name)


def test_a_logo_over_two_megabytes_is_refused(editor_client, city):
    big = _image("PNG", size=(900, 900), noise=True)
    assert len(big) > 2 * 1024 * 1024

    response = _upload(editor_client, city, "logo.png", big)

    assert response.status_code == 200
    assert "at most 2 MB is accepted" in response.content.decode()
    city.refresh_from_db()
    assert not city.logo and city.version == 1


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"This is a text file, not a picture.\n" * 20, id="text-named-png"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 50, id="png-header-then-rubbish"),
        pytest.param(_image("GIF"), id="gif"),
    ],
)
def test_a_file_that_is_not_a_png_or_jpeg_is_refused_whatever_its_name(editor_client, city, content):
    response = _upload(editor_client, city, "logo.png", content)

    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image" in response.content.decode()
    city.refresh_from_db()
    assert not city.logo


def test_the_admin_checks_the_logo_too(city):
    staff = Client()
    staff.force_login(StaffFactory())
    url = reverse("admin:members_membercity_change", args=[city.pk])
    data = _change_form_data(staff.get(url))
    data["logo"] = SimpleUploadedFile("logo.png", b"text, not a picture", content_type="image/png")

    response = staff.post(url, data)

    assert response.status_code == 200
    city.refresh_from_db()
    assert not city.logo


@pytest.mark.parametrize("side", [12000, 20000])
def test_a_logo_of_too_many_pixels_is_refused_with_its_own_message(editor_client, city, side):
    # A PNG of one colour: a few kilobytes that would take hundreds of megabytes to decode.
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG", optimize=True)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024

    response = _upload(editor_client, city, "logo.png", buffer.getvalue())

    assert response.status_code == 200
    page = response.content.decode()
    assert f"The logo is {side * side // 1_000_000:,} megapixels; at most 16 megapixels" in page
    assert "must be a PNG or JPEG" not in page
    city.refresh_from_db()
    assert not city.logo


def test_a_replaced_or_removed_logo_file_is_deleted(editor_client, city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(editor_client, city, "first.png", _image("PNG"))
    city.refresh_from_db()
    first = city.logo.name
    storage = city.logo.storage

    with django_capture_on_commit_callbacks(execute=True):
        _upload(editor_client, city, "second.png", _image("PNG", size=(30, 30)))
    city.refresh_from_db()
    second = city.logo.name
    assert second != first and storage.exists(second) and not storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(PROFILE, _profile_data(city, remove_logo="on"))
    city.refresh_from_db()
    assert not city.logo and not storage.exists(second)


# --- Head of government ------------------------------------------------------------------------------


def test_a_new_head_of_government_ends_the_current_term(editor_client, city):
    current = HeadOfGovernmentFactory(member=city, name="Ada Colau", term_start="2015-06-13")

    response = editor_client.post(
        reverse("portal:head-new"),
        {"name": "Jaume Collboni", "title": "Mayor", "gender": "man", "term_start": "2023-06-17"},
    )

    assert response.status_code == 302
    current.refresh_from_db()
    assert str(current.term_end) == "2023-06-16"
    new = HeadOfGovernment.objects.get(member=city, name="Jaume Collboni")
    assert new.term_end is None
    assert "Jaume Collboni" in editor_client.get(reverse("portal:home")).content.decode()


def test_a_new_term_must_start_after_the_current_one(editor_client, city):
    HeadOfGovernmentFactory(member=city, term_start="2019-06-15")

    response = editor_client.post(
        reverse("portal:head-new"),
        {"name": "Too early", "title": "Mayor", "gender": "man", "term_start": "2019-01-01"},
    )

    assert response.status_code == 200
    assert not HeadOfGovernment.objects.filter(name="Too early").exists()


def test_the_current_head_can_be_corrected_but_not_an_earlier_term(editor_client, city):
    earlier = HeadOfGovernmentFactory(member=city, term_start="2011-01-01", term_end="2015-06-12")
    current = HeadOfGovernmentFactory(member=city, name="Ada Colao", term_start="2015-06-13")
    # As the page posts it: the version the form was loaded with goes along.
    data = {
        "name": "Ada Colau",
        "title": "Mayor",
        "gender": "woman",
        "term_start": "2015-06-13",
        "version": "1",
    }

    corrected = editor_client.post(reverse("portal:head-edit", args=[current.pk]), data)
    earlier_response = editor_client.post(reverse("portal:head-edit", args=[earlier.pk]), data)

    assert corrected.status_code == 302
    current.refresh_from_db()
    assert current.name == "Ada Colau"
    assert earlier_response.status_code == 404


# --- Contacts ----------------------------------------------------------------------------------------------


def _contact(**changes):
    # As the page posts it: an edit form carries the version it was loaded with.
    return {
        "version": "1",
        "name": "Marta Vidal",
        "role": "International relations",
        "email": "marta@bcn.example.org",
        "phone": "",
        "preferred_language": "es",
        "gender": "",
        **changes,
    }


def test_the_first_contact_of_a_city_is_its_primary_contact(editor_client, city):
    editor_client.post(reverse("portal:contact-new"), _contact())

    assert Contact.objects.get(member=city).is_primary


def test_making_a_contact_primary_leaves_one_primary_contact(editor_client, city):
    first = ContactFactory(member=city, is_primary=True)

    response = editor_client.post(reverse("portal:contact-new"), _contact(is_primary="on"))

    assert response.status_code == 302
    first.refresh_from_db()
    assert not first.is_primary
    assert list(Contact.objects.filter(member=city, is_primary=True).values_list("name", flat=True)) == [
        "Marta Vidal"
    ]


def test_a_contact_added_with_a_forged_member_stays_in_the_editors_city(editor_client, city):
    other = MemberCityFactory()

    editor_client.post(reverse("portal:contact-new"), _contact(member=other.pk))

    assert Contact.objects.get(name="Marta Vidal").member == city
    assert not Contact.objects.filter(member=other).exists()


def test_the_primary_contact_cannot_be_removed_or_unmarked(editor_client, city):
    primary = ContactFactory(member=city, is_primary=True)

    removed = editor_client.post(reverse("portal:contact-delete", args=[primary.pk]), follow=True)
    unmarked = editor_client.post(reverse("portal:contact-edit", args=[primary.pk]), _contact(is_primary=""))

    assert "is the primary contact" in removed.content.decode()
    assert unmarked.status_code == 200
    primary.refresh_from_db()
    assert primary.is_primary


def test_another_citys_contact_answers_404_and_stays_as_it_is(client, city):
    contact = ContactFactory(member=city, is_primary=False, name="Marta Vidal")
    client.force_login(CityEditorFactory())

    edited = client.post(reverse("portal:contact-edit", args=[contact.pk]), _contact(name="Renamed"))
    removed = client.post(reverse("portal:contact-delete", args=[contact.pk]))

    assert (edited.status_code, removed.status_code) == (404, 404)
    contact.refresh_from_db()
    assert contact.name == "Marta Vidal"


def test_a_removed_contact_is_gone_and_logged(editor_client, city):
    ContactFactory(member=city, is_primary=True)
    second = ContactFactory(member=city, is_primary=False, name="Pau Serra")

    editor_client.post(reverse("portal:contact-delete", args=[second.pk]))

    assert not Contact.objects.filter(pk=second.pk).exists()
    log = editor_client.get(reverse("portal:changes")).content.decode()
    assert "removed: Contact “Pau Serra”" in log


def test_the_profile_page_runs_the_same_queries_whatever_the_number_of_contacts(
    editor_client, city, django_assert_num_queries
):
    for _ in range(2):
        ContactFactory(member=city, is_primary=False)
    # Session, user, groups (the role), the city with its figures, contacts,
    # heads of government, the current head; the layout asks for the reports
    # permission (the account's permissions and its groups' permissions).
    with django_assert_num_queries(9):
        editor_client.get(reverse("portal:home"))
    for _ in range(10):
        ContactFactory(member=city, is_primary=False)
    with django_assert_num_queries(9):
        editor_client.get(reverse("portal:home"))


def test_city_profile_fields_not_in_the_form_are_not_in_the_page_as_inputs(editor_client):
    page = editor_client.get(PROFILE).content.decode()

    for forbidden in ('name="name', 'name="status"', 'name="region"', 'name="fee_category"', 'name="slug"'):
        assert forbidden not in page


def test_only_the_members_records_change(editor_client, city):
    other = MemberCityFactory(description_en="Untouched")

    editor_client.post(PROFILE, _profile_data(city, description_en="Changed"))

    other.refresh_from_db()
    assert other.description_en == "Untouched"
    assert MemberCity.objects.get(pk=city.pk).description_en == "Changed"
