"""Signing up to apply to a call: an inactive account until the address is
verified through a single-use, expiring link sent by e-mail in the person's
language; no account discovery; an accepted invitation verifies the address
too."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from members.models import User
from members.services.accounts import user_invite
from members.tokens import email_verification_token_generator
from tests.members.factories import CityEditorFactory, MemberCityFactory, UserFactory

# The e-mails go from Celery tasks sent after commit.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

PASSWORD = "Avinguda-Diagonal-640"


def _link(message) -> str:
    found = re.search(r"https?://\S+", message.body).group(0)
    return "/" + found.split("/", 3)[3]


def _sign_up(client, email="ana@recife.example.org", language="fr", next_url="/calls/"):
    return client.post(
        reverse("sign_up") + f"?next={next_url}",
        {
            "full_name": "Ana Souza",
            "email": email,
            "password": PASSWORD,
            "password_again": PASSWORD,
            "language": language,
            "next": next_url,
        },
    )


def test_a_sign_up_opens_the_account_only_once_the_link_is_followed(client):
    response = _sign_up(client)

    assert response.status_code == 302 and response.url.startswith(reverse("sign_up_done"))
    user = User.objects.get(email="ana@recife.example.org")
    assert (user.is_active, user.email_verified_at, user.language) == (False, None, "fr")
    refused = client.post(reverse("login"), {"username": "ana@recife.example.org", "password": PASSWORD})
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    [message] = mail.outbox
    assert message.to == ["ana@recife.example.org"]
    link = _link(message)
    assert "next=%2Fcalls%2F" in link

    page = client.get(link)
    assert page.status_code == 200 and page.context["validlink"]
    # Opening the link changes nothing: an e-mail scanner does not verify.
    user.refresh_from_db()
    assert not user.is_active
    confirmed = client.post(link)

    assert confirmed.status_code == 302 and confirmed.url == "/calls/"
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None
    # Logged in at once.
    assert client.get(reverse("calls:my-submissions")).status_code == 200
    # Used: the link no longer works.
    client.logout()
    assert client.get(link).context["validlink"] is False


def test_the_link_expires(client, monkeypatch):
    _sign_up(client)
    user = User.objects.get(email="ana@recife.example.org")
    token = email_verification_token_generator.make_token(user)
    later = datetime.datetime.now() + datetime.timedelta(days=3, minutes=1)
    monkeypatch.setattr(email_verification_token_generator, "_now", lambda: later)

    assert not email_verification_token_generator.check_token(user, token)
    assert client.get(_link(mail.outbox[0])).context["validlink"] is False


def test_signing_up_with_the_address_of_an_account_in_use_tells_its_owner_and_nobody_else(client):
    owner = CityEditorFactory(email="focal@recife.example.org")
    owner_password = owner.password

    response = _sign_up(client, email="Focal@Recife.example.org")

    # The same answer as for a new address: no account discovery.
    assert response.status_code == 302 and response.url.startswith(reverse("sign_up_done"))
    owner.refresh_from_db()
    assert owner.password == owner_password and owner.email_verified_at is None
    [message] = mail.outbox
    assert message.to == ["focal@recife.example.org"]
    assert reverse("password_reset") in message.body


def test_signing_up_again_before_verifying_sends_a_new_link_and_voids_the_first(client):
    _sign_up(client)
    _sign_up(client, language="es")

    first, second = mail.outbox
    assert User.objects.filter(email="ana@recife.example.org").count() == 1
    assert client.get(_link(first)).context["validlink"] is False
    assert client.get(_link(second)).context["validlink"] is True


def test_a_deactivated_account_is_not_reopened_by_a_sign_up(client):
    UserFactory(
        email="gone@recife.example.org",
        is_active=False,
        last_login=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
    )

    _sign_up(client, email="gone@recife.example.org")

    user = User.objects.get(email="gone@recife.example.org")
    assert not user.is_active
    [message] = mail.outbox
    assert "already have an account" in message.body


def test_a_weak_password_is_refused_and_nothing_is_saved(client):
    response = client.post(
        reverse("sign_up"),
        {
            "full_name": "Ana Souza",
            "email": "ana@recife.example.org",
            "password": "password123",
            "password_again": "password123",
            "language": "en",
        },
    )

    assert response.status_code == 200
    assert "too common" in response.content.decode()
    # What was typed stays in the form.
    assert 'value="ana@recife.example.org"' in response.content.decode()
    assert not User.objects.filter(email="ana@recife.example.org").exists()
    assert mail.outbox == []


def test_accepting_an_invitation_verifies_the_address(client):
    city = MemberCityFactory()
    user = user_invite(
        member=city, email="new@city.example.org", full_name="N", role="editor", base_url="http://testserver/"
    )
    landing = client.get(_link(mail.outbox[0]))
    client.post(landing.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None
