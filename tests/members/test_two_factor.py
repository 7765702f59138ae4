"""Two-factor sign-in: an authenticator app (TOTP) with recovery codes,
required for the secretariat and communications in production, optional for
city accounts; the password's lockout still comes first."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.services.twofactor import two_factor_confirm, two_factor_start
from tests.members.factories import CityEditorFactory, CommunicationsFactory, SecretariatFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def _code(device: TOTPDevice, drift: int = 0) -> str:
    """The code the app shows (``drift=1``: the next one, as a phone a little
    ahead shows it; a code already used is never accepted twice)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _log_in(client, user, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": user.email, "password": password}, **extra)


def _with_authenticator(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor_start(user=user)
    codes = two_factor_confirm(user=user, device=device, token=_code(device))
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True


def test_production_settings_require_two_factors_for_staff(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "production-settings-under-test")
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example.org")
    production = importlib.import_module("metropolis.settings.production")
    assert production.TWO_FACTOR_REQUIRED_FOR_STAFF is True


def test_staff_without_an_authenticator_must_set_one_up_before_anything_else(client, required):
    staff = SecretariatFactory()
    _log_in(client, staff)

    assert client.get(reverse("admin:index")).url.startswith(reverse("two_factor_setup"))
    assert client.get("/api/v1/members/").status_code == 403

    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    wrong = client.post(
        reverse("two_factor_setup"), {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "This code is not the one the app shows" in wrong.content.decode()

    done = client.post(reverse("two_factor_setup"), {"token": _code(device)})
    codes = re.findall(r"<code>([a-z0-9]+)</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_with_an_authenticator_give_its_code_after_the_password(client, required):
    staff = CommunicationsFactory()
    device, _codes = _with_authenticator(staff)

    assert _log_in(client, staff).status_code == 302
    held = client.get(reverse("admin:index"))
    assert held.url.startswith(reverse("two_factor_verify"))
    # A stolen password alone cannot replace the owner's authenticator.
    assert client.get(reverse("two_factor_setup")).url.startswith(reverse("two_factor_verify"))

    refused = client.post(reverse("two_factor_verify"), {"token": "12345", "next": "/admin/"})
    assert "This code is not valid" in refused.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )

    passed = client.post(reverse("two_factor_verify"), {"token": _code(device, drift=1), "next": "/admin/"})
    assert passed.status_code == 302 and passed.url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_recovery_code_works_once(client, required):
    staff = SecretariatFactory()
    _device, codes = _with_authenticator(staff)
    _log_in(client, staff)

    assert client.post(reverse("two_factor_verify"), {"token": codes[0]}).status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post(reverse("logout"))
    _log_in(client, staff)
    again = client.post(reverse("two_factor_verify"), {"token": codes[0]})
    assert "This code is not valid" in again.content.decode()


def test_the_lockout_still_applies_before_the_second_factor(client, required):
    staff = SecretariatFactory()
    _with_authenticator(staff)
    for _attempt in range(5):
        _log_in(client, staff, password="not-the-password")
    assert _log_in(client, staff).status_code == 429


def test_two_factors_are_optional_for_a_city_account_and_then_always_asked(client, required):
    editor = CityEditorFactory()
    _log_in(client, editor)
    assert client.get(reverse("portal:home")).status_code == 200  # not required

    device = two_factor_start(user=editor)
    two_factor_confirm(user=editor, device=device, token=_code(device))
    client.post(reverse("logout"))
    _log_in(client, editor)
    assert client.get(reverse("portal:home")).url.startswith(reverse("two_factor_verify"))


def test_a_required_second_factor_cannot_be_turned_off(client, required):
    staff = SecretariatFactory()
    device, _codes = _with_authenticator(staff)
    _log_in(client, staff)
    client.post(reverse("two_factor_verify"), {"token": _code(device, drift=1)})

    response = client.post(reverse("two_factor_manage"), {"action": "turn-off"}, follow=True)

    assert "Your role requires two-factor sign-in" in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_the_secretariat_resets_a_lost_authenticator_and_the_person_sets_one_up_again(client, required):
    from django.test import Client

    person = CommunicationsFactory()
    _with_authenticator(person)
    secretariat = SecretariatFactory()
    staff_client = Client()
    staff_client.force_login(secretariat)
    device, _codes = _with_authenticator(secretariat)
    staff_client.post(reverse("two_factor_verify"), {"token": _code(device, drift=1)})

    staff_client.post(
        reverse("admin:members_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [person.pk]},
    )

    assert not TOTPDevice.objects.filter(user=person).exists()
    _log_in(client, person)
    assert client.get(reverse("admin:index")).url.startswith(reverse("two_factor_setup"))
