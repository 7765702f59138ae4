"""No update is ever lost: two people saving the same contact, head of
government, member or invoice from forms loaded at the same time. The second
save is refused with the same message whatever the record, nothing of theirs is
saved, and the page keeps what they typed."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Contact, HeadOfGovernment, Invoice, MemberCity
from tests.members.factories import (
    CityEditorFactory,
    ContactFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
    StaffFactory,
)
from tests.members.test_admin import _change_form_data

pytestmark = pytest.mark.django_db

STALE = "Someone else saved this {what} while you were editing it; nothing was saved."


@pytest.fixture
def city():
    return MemberCityFactory(name="Barcelona", name_en="Barcelona")


def _editor(city) -> Client:
    client = Client()
    client.force_login(CityEditorFactory(member_city=city))
    return client


def _form_data(response) -> dict:
    form = response.context["form"]
    return {
        name: ("" if value is None else value)
        for name in form.fields
        if (value := form[name].value()) is not False
    }


def test_two_editors_saving_the_same_contact_keep_the_first_and_refuse_the_second(city):
    contact = ContactFactory(member=city, name="Marta Vidal", role="Protocol", is_primary=True)
    url = reverse("portal:contact-edit", args=[contact.pk])
    first, second = _editor(city), _editor(city)
    loaded_first, loaded_second = _form_data(first.get(url)), _form_data(second.get(url))

    assert first.post(url, {**loaded_first, "role": "International relations"}).status_code == 302
    refused = second.post(url, {**loaded_second, "phone": "+34 600 000 000"})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert STALE.format(what="contact") in page
    assert 'value="+34 600 000 000"' in page  # what was typed is kept
    assert refused.context["conflicts"][0]["label"] == "Role"
    contact.refresh_from_db()
    assert (contact.role, contact.phone) == ("International relations", "")
    # The person keeps the role saved meanwhile and saves again, over the version now shown.
    again = second.post(url, {**_form_data(refused), "role": "International relations"})
    assert again.status_code == 302
    contact.refresh_from_db()
    assert (contact.role, contact.phone) == ("International relations", "+34 600 000 000")


def test_two_editors_correcting_the_same_head_of_government(city):
    head = HeadOfGovernmentFactory(member=city, name="Ada Colao", term_start=datetime.date(2015, 6, 13))
    url = reverse("portal:head-edit", args=[head.pk])
    first, second = _editor(city), _editor(city)
    loaded_first, loaded_second = _form_data(first.get(url)), _form_data(second.get(url))

    assert first.post(url, {**loaded_first, "name": "Ada Colau"}).status_code == 302
    refused = second.post(url, {**loaded_second, "title": "Alcaldesa"})

    assert STALE.format(what="head of government") in refused.content.decode()
    head.refresh_from_db()
    assert (head.name, head.title) == ("Ada Colau", HeadOfGovernment.objects.get(pk=head.pk).title)
    assert head.title != "Alcaldesa"


@pytest.mark.parametrize(
    ("model", "make", "field", "first_value", "second_value"),
    [
        (MemberCity, lambda city: city, "website", "https://one.example.org", "https://two.example.org"),
        (Contact, lambda city: ContactFactory(member=city), "role", "Protocol", "Press"),
        (HeadOfGovernment, lambda city: HeadOfGovernmentFactory(member=city), "title", "Mayor", "Mayoress"),
        (Invoice, lambda city: InvoiceFactory(member=city), "note", "Sent by post", "Sent by e-mail"),
    ],
    ids=["member", "contact", "head", "invoice"],
)
def test_two_staff_change_forms_of_the_same_record(city, model, make, field, first_value, second_value):
    record = make(city)
    url = reverse(f"admin:members_{model._meta.model_name}_change", args=[record.pk])
    first, second = Client(), Client()
    first.force_login(StaffFactory())
    second.force_login(StaffFactory())
    loaded_first, loaded_second = _change_form_data(first.get(url)), _change_form_data(second.get(url))

    assert first.post(url, {**loaded_first, field: first_value}).status_code == 302
    refused = second.post(url, {**loaded_second, field: second_value})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert STALE.format(what=model._meta.verbose_name) in page
    assert second_value in page  # the typed value is still in the form
    record.refresh_from_db()
    assert getattr(record, field) == first_value
    # Saved again as shown (now over the current version), it goes through.
    again = second.post(url, _change_form_data(refused))
    assert again.status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == second_value


def test_a_portal_contact_form_opened_before_a_staff_save_is_refused(city):
    contact = ContactFactory(member=city, role="Protocol", is_primary=True)
    editor = _editor(city)
    url = reverse("portal:contact-edit", args=[contact.pk])
    loaded = _form_data(editor.get(url))
    staff = Client()
    staff.force_login(StaffFactory())
    admin_url = reverse("admin:members_contact_change", args=[contact.pk])
    assert (
        staff.post(admin_url, {**_change_form_data(staff.get(admin_url)), "role": "Press"}).status_code == 302
    )

    refused = editor.post(url, {**loaded, "role": "Cabinet"})

    assert STALE.format(what="contact") in refused.content.decode()
    contact.refresh_from_db()
    assert contact.role == "Press"
