"""The secretariat admin of the members app: every page renders, the member list
keeps its query count whatever the number of members, history carries the
acting user, and the admin actions call the services."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core import mail
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from members.models import (
    FeeReminder,
    FeeSchedule,
    Invoice,
    MemberCity,
    MembershipChange,
    MemberStatus,
    Notification,
    NotificationKind,
    NotificationMute,
    Payment,
)
from members.services.reporting_year import reporting_year_set
from tests.activities.factories import SubmissionFactory
from tests.members.factories import (
    BoardMandateFactory,
    ContactFactory,
    FeeScheduleFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    StaffFactory,
    one_of_each_member_record,
)

pytestmark = pytest.mark.django_db

MEMBERS_ADMIN_MODELS = sorted(
    (model for model in apps.get_app_config("members").get_models() if admin.site.is_registered(model)),
    key=lambda model: model._meta.model_name,
)
HISTORY_MODELS = [model for model in MEMBERS_ADMIN_MODELS if hasattr(model, "history")]

# The member list, whatever the number of members: session, user, the two counts
# (filtered and total), the page of members with every figure annotated, the
# regions of the region filter and the years of the fee-status filter.
MEMBER_CHANGELIST_QUERIES = 7
# Without a chosen fee year the list shows the reporting year's fee: the year set
# by the secretariat, and the records per year (invoices, events).
REPORTING_YEAR_QUERIES = 3


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def one_of_each():
    """A row of every model of the app, so that each change form has something to show."""
    member = one_of_each_member_record()
    SubmissionFactory(member=member)
    reporting_year_set(year=2021)
    recipient = StaffFactory(email="notified@metropolis.org")
    Notification.objects.create(
        recipient=recipient, kind=NotificationKind.HEAD_CHANGED, member=member, subject="Mayor", key="k"
    )
    NotificationMute.objects.create(user=recipient, kind=NotificationKind.SUBMISSION_RECEIVED)
    return member


def test_every_model_of_the_app_is_in_the_admin():
    missing = [
        model.__name__
        for model in apps.get_app_config("members").get_models()
        if not model.__name__.startswith("Historical") and not admin.site.is_registered(model)
    ]

    assert missing == []


@pytest.mark.parametrize("model", MEMBERS_ADMIN_MODELS, ids=lambda model: model._meta.model_name)
def test_changelist_and_change_form_render_for_a_superuser(model, staff_client, one_of_each):
    obj = model._default_manager.order_by("pk").first()

    assert staff_client.get(_url(model, "changelist")).status_code == 200
    assert staff_client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda model: model._meta.model_name)
def test_history_page_renders(model, staff_client, one_of_each):
    obj = model._default_manager.order_by("pk").first()

    assert staff_client.get(_url(model, "history", obj.pk)).status_code == 200


def test_member_change_form_has_every_translation_and_read_only_membership(staff_client, one_of_each):
    response = staff_client.get(_url(MemberCity, "change", one_of_each.pk))

    form = response.context["adminform"].form
    assert {"name_en", "name_es", "name_fr", "name_zh_hans"} <= set(form.fields)
    assert not {"status", "ratified_on", "withdrawn_on"} & set(form.fields)
    assert response.context["inline_admin_formsets"]


@pytest.mark.parametrize("model", [MemberCity], ids=["membercity"])
def test_import_and_export_pages_render(model, staff_client):
    assert staff_client.get(_url(model, "import")).status_code == 200
    assert staff_client.get(_url(model, "export")).status_code == 200
    assert staff_client.get(_url(Invoice, "export")).status_code == 200


def _members_with_everything(count):
    today = timezone.localdate()
    for member in MemberCityFactory.create_batch(count):
        HeadOfGovernmentFactory(member=member)
        ContactFactory(member=member)
        BoardMandateFactory(member=member)
        invoice = InvoiceFactory(
            member=member,
            year=2021,
            issued_on=today - datetime.timedelta(days=90),
            due_on=today - datetime.timedelta(days=60),
        )
        PaymentFactory(invoice=invoice, amount=Decimal("10.00"))


@pytest.mark.parametrize("query", ["", "?fee=2021%3Aunpaid"], ids=["all", "fee-status-filter"])
def test_member_changelist_runs_the_same_queries_for_10_and_200_members(
    query, staff_client, django_assert_num_queries
):
    url = _url(MemberCity, "changelist") + query
    _members_with_everything(10)
    staff_client.get(url)  # warm the session and the content types
    expected = MEMBER_CHANGELIST_QUERIES + (0 if query else REPORTING_YEAR_QUERIES)

    with django_assert_num_queries(expected):
        small = staff_client.get(url)
    _members_with_everything(190)
    with django_assert_num_queries(expected):
        large = staff_client.get(url)

    assert small.context["cl"].result_count == 10
    assert large.context["cl"].result_count == 200
    assert "2021: unpaid" in large.content.decode()


def test_fee_status_filter_lists_the_members_in_that_status_for_that_year(staff_client):
    paid = MemberCityFactory(name="Paid City", name_en="Paid City")
    PaymentFactory(invoice=InvoiceFactory(member=paid, year=2021))
    unpaid = MemberCityFactory(name="Unpaid City", name_en="Unpaid City")
    InvoiceFactory(member=unpaid, year=2021)
    MemberCityFactory(name="New City", name_en="New City")

    def listed(value):
        response = staff_client.get(_url(MemberCity, "changelist"), {"fee": value})
        return {member.name for member in response.context["cl"].result_list}

    assert listed("2021:paid") == {"Paid City"}
    assert listed("2021:unpaid") == {"Unpaid City"}
    assert listed("2021:no-invoice") == {"New City"}


def test_member_search_finds_every_translation_of_the_name(staff_client):
    MemberCityFactory(
        slug="abidjan", name="Abidjan", name_en="Abidjan", name_es="Abiyán", name_zh_hans="阿比让"
    )
    MemberCityFactory(slug="lyon", name="Lyon", name_en="Lyon")

    for term in ("Abiyán", "阿比让", "abidjan"):
        response = staff_client.get(_url(MemberCity, "changelist"), {"q": term})
        assert [m.slug for m in response.context["cl"].result_list] == ["abidjan"], term


def test_board_role_filter_lists_members_holding_a_role_today(staff_client):
    board = BoardMandateFactory(role="treasurer", start=datetime.date(2020, 1, 1)).member
    BoardMandateFactory(role="treasurer", start=datetime.date(2010, 1, 1), end=datetime.date(2012, 1, 1))

    response = staff_client.get(_url(MemberCity, "changelist"), {"board": "treasurer"})

    assert list(response.context["cl"].result_list) == [board]


def _change_form_data(response):
    """The POST data of a rendered change form, as the browser would send it unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or isinstance(value, FieldFile) or value is False:
                continue
            data[form.add_prefix(name)] = value
    return data


def test_history_rows_carry_the_acting_user_of_an_admin_change(staff_client, staff, one_of_each):
    url = _url(MemberCity, "change", one_of_each.pk)
    data = _change_form_data(staff_client.get(url))
    data["website"] = "https://changed.example.org"
    data["contacts-0-role"] = "Mayor's office"

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = one_of_each.history.latest()
    assert (latest.website, latest.history_user) == ("https://changed.example.org", staff)
    contact = one_of_each.contacts.get()
    assert (contact.history.latest().role, contact.history.latest().history_user) == ("Mayor's office", staff)


# --- Lifecycle actions ------------------------------------------------------------


def _action(client, model, action, objects, **data):
    payload = {"action": action, "_selected_action": [obj.pk for obj in objects], **data}
    return client.post(_url(model, "changelist"), payload)


def test_ratify_action_asks_for_a_date_and_reason_then_ratifies(staff_client, staff):
    candidate = MemberCityFactory(status=MemberStatus.CANDIDATE, ratified_on=None)

    page = _action(staff_client, MemberCity, "ratify", [candidate])
    assert page.status_code == 200
    assert "Effective on" in page.content.decode()
    response = _action(
        staff_client, MemberCity, "ratify", [candidate], apply="1", on="2021-10-20", reason="Board meeting"
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.ratified_on) == (MemberStatus.ACTIVE, datetime.date(2021, 10, 20))
    assert MembershipChange.objects.get(member=candidate).changed_by == staff


def test_a_refused_step_shows_the_error_and_changes_no_member(staff_client):
    active = MemberCityFactory(name="Active City", name_en="Active City")
    withdrawn = MemberCityFactory(name="Gone City", name_en="Gone City", status=MemberStatus.WITHDRAWN)

    response = _action(
        staff_client,
        MemberCity,
        "suspend",
        [active, withdrawn],
        apply="1",
        on="2021-10-20",
        reason="Unpaid fees",
    )

    assert response.status_code == 302
    assert "Gone City cannot be suspended: its membership is withdrawn." in _messages(response)
    assert "Nothing was changed." in _messages(response)
    active.refresh_from_db()
    assert active.status == MemberStatus.ACTIVE
    assert not MembershipChange.objects.exists()


@pytest.mark.parametrize(
    ("action", "status", "expected"),
    [
        ("suspend", MemberStatus.ACTIVE, MemberStatus.SUSPENDED),
        ("reinstate", MemberStatus.SUSPENDED, MemberStatus.ACTIVE),
        ("withdraw", MemberStatus.SUSPENDED, MemberStatus.WITHDRAWN),
    ],
)
def test_lifecycle_actions_change_the_status(action, status, expected, staff_client):
    member = MemberCityFactory(status=status)

    _action(staff_client, MemberCity, action, [member], apply="1", on="2021-10-20", reason="Board decision")

    member.refresh_from_db()
    assert member.status == expected


def test_a_step_without_a_required_reason_is_refused_with_the_service_message(staff_client):
    member = MemberCityFactory()

    response = _action(staff_client, MemberCity, "withdraw", [member], apply="1", on="2021-10-20", reason="")

    assert "Give the reason for the withdrawal." in _messages(response)
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE


# --- Invoices ---------------------------------------------------------------------


def test_issue_invoices_action_issues_the_year_for_the_selected_active_members(staff_client):
    FeeScheduleFactory(year=2030, amount=Decimal("8000.00"))
    members = MemberCityFactory.create_batch(2)
    candidate = MemberCityFactory(status=MemberStatus.CANDIDATE, ratified_on=None)
    selected = [*members, candidate]
    form = {"apply": "1", "year": "2030", "issued_on": "2030-01-10", "due_on": "2030-03-31"}

    assert _action(staff_client, MemberCity, "issue_invoices", selected).status_code == 200
    first = _action(staff_client, MemberCity, "issue_invoices", selected, **form)
    second = _action(staff_client, MemberCity, "issue_invoices", selected, **form)

    assert "2 invoice(s) issued for 2030." in _messages(first)
    assert "Every selected active member already has its invoice for 2030." in _messages(second)
    assert set(Invoice.objects.filter(year=2030).values_list("member", flat=True)) == {m.pk for m in members}


def test_issue_invoices_action_issues_nothing_when_a_fee_is_missing(staff_client):
    members = MemberCityFactory.create_batch(2)
    form = {"apply": "1", "year": "2030", "issued_on": "2030-01-10", "due_on": "2030-03-31"}

    response = _action(staff_client, MemberCity, "issue_invoices", members, **form)

    # The form comes back as typed, with the refusal on it.
    assert response.status_code == 200
    assert (
        "No fee is set for 2030 in the categories: standard." in response.context["form"].non_field_errors()
    )
    assert response.context["form"]["due_on"].value() == "2030-03-31"
    assert not Invoice.objects.exists()


def test_issue_invoices_action_sets_the_years_fee_with_the_invoices(staff_client):
    FeeScheduleFactory(year=2029, category="standard", amount=Decimal("7000.00"))
    members = MemberCityFactory.create_batch(2)
    form = {"apply": "1", "year": "2030", "issued_on": "2030-01-10", "due_on": "2030-03-31"}

    page = _action(staff_client, MemberCity, "issue_invoices", members)
    assert page.context["form"]["fee_standard"].value() == Decimal("7000.00")
    response = _action(
        staff_client,
        MemberCity,
        "issue_invoices",
        members,
        fee_standard="7500.00",
        fee_currency="EUR",
        **form,
    )

    assert "2 invoice(s) issued for 2030." in _messages(response)
    assert FeeSchedule.objects.get(year=2030, category="standard").amount == Decimal("7500.00")
    assert set(Invoice.objects.filter(year=2030).values_list("amount", flat=True)) == {Decimal("7500.00")}


def test_record_payment_action_records_the_payment(staff_client):
    invoice = InvoiceFactory(amount=Decimal("10000.00"))

    page = _action(staff_client, Invoice, "record_payment", [invoice])
    assert page.context["form"].initial["amount"] == Decimal("10000.00")
    response = _action(
        staff_client,
        Invoice,
        "record_payment",
        [invoice],
        apply="1",
        amount="4000.00",
        currency="EUR",
        paid_on="2021-02-01",
        method="bank-transfer",
        reference="SWIFT-123",
    )

    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.reference) == (Decimal("4000.00"), "SWIFT-123")


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("10000.01", "EUR", "more than the 10000.00 EUR outstanding"),
        ("100.00", "USD", "is in EUR, not USD"),
    ],
)
def test_record_payment_action_refuses_and_records_nothing(amount, currency, message, staff_client):
    invoice = InvoiceFactory(amount=Decimal("10000.00"), currency="EUR")

    response = _action(
        staff_client,
        Invoice,
        "record_payment",
        [invoice],
        apply="1",
        amount=amount,
        currency=currency,
        paid_on="2021-02-01",
        method="bank-transfer",
    )

    # The refusal is shown on the form, which keeps what was typed.
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in text for errors in form.errors.values() for text in errors)
    assert (form["amount"].value(), form["currency"].value()) == (amount, currency)
    assert not Payment.objects.exists()


def test_record_payment_action_wants_exactly_one_invoice(staff_client):
    invoices = InvoiceFactory.create_batch(2)

    response = _action(staff_client, Invoice, "record_payment", invoices)

    assert response.status_code == 302
    assert "Select exactly one invoice to record a payment." in _messages(response)


def test_send_reminder_now_action_emails_the_primary_contact(staff_client, staff):
    today = timezone.localdate()
    invoice = InvoiceFactory(
        issued_on=today - datetime.timedelta(days=60), due_on=today - datetime.timedelta(days=10)
    )
    ContactFactory(member=invoice.member, email="focal@city.example.org")
    paid = InvoiceFactory()
    PaymentFactory(invoice=paid)

    response = _action(staff_client, Invoice, "send_reminder_now", [invoice, paid])

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["focal@city.example.org"]]
    reminder = FeeReminder.objects.get()
    assert (reminder.invoice, reminder.sent_by) == (invoice, staff)
    assert any("is not overdue (paid)" in text for text in _messages(response))


@pytest.mark.parametrize(("action", "date_field"), [("waive", "waived_on"), ("cancel", "cancelled_on")])
def test_waive_and_cancel_actions_settle_the_selected_invoices(action, date_field, staff_client):
    invoice = InvoiceFactory()

    assert _action(staff_client, Invoice, action, [invoice]).status_code == 200
    _action(staff_client, Invoice, action, [invoice], apply="1", on="2021-05-01", reason="Earthquake")

    invoice.refresh_from_db()
    assert getattr(invoice, date_field) == datetime.date(2021, 5, 1)


def test_a_refused_cancellation_shows_the_error_and_changes_no_invoice(staff_client):
    unpaid, paid_in_part = InvoiceFactory(), InvoiceFactory()
    PaymentFactory(invoice=paid_in_part, amount=Decimal("10.00"))

    response = _action(
        staff_client, Invoice, "cancel", [unpaid, paid_in_part], apply="1", on="2021-05-01", reason="Error"
    )

    assert f"{paid_in_part.number}: An invoice with payments cannot be cancelled." in _messages(response)
    unpaid.refresh_from_db()
    assert unpaid.cancelled_on is None


def test_invoice_changelist_filters_by_derived_status(staff_client):
    paid = InvoiceFactory()
    PaymentFactory(invoice=paid)
    InvoiceFactory()

    response = staff_client.get(_url(Invoice, "changelist"), {"status": "paid"})

    assert list(response.context["cl"].result_list) == [paid]
