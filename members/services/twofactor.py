"""Two-factor sign-in (django-otp): an authenticator app (TOTP) confirmed with a
first code, and ten recovery codes, each usable once, for the day the phone is
lost. Required for the secretariat and communications in production
(``TWO_FACTOR_REQUIRED_FOR_STAFF``), optional for city accounts."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import User
from members.services.accounts import end_sessions

logger = logging.getLogger(__name__)

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(two_factor_enabled=False)
    user.two_factor_enabled = False


@transaction.atomic
def two_factor_start(*, user: User) -> TOTPDevice:
    """A new authenticator secret for ``user``, not yet confirmed (the person
    scans it, then types a first code). An earlier unconfirmed one is replaced."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def two_factor_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a first code it shows; returns the new
    recovery codes (shown once). Any earlier authenticator of the account is
    replaced. Refused: a wrong code."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError({"token": _("This code is not the one the app shows: type the current code.")})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    User.objects.filter(pk=user.pk).update(two_factor_enabled=True)
    user.two_factor_enabled = True
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new recovery codes for ``user`` (the earlier ones stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_turn_off(*, user: User, required: bool) -> None:
    """Remove the account's authenticator and recovery codes; refused when the
    account must sign in with two factors."""
    if required:
        raise ValidationError(_("Your role requires two-factor sign-in: it cannot be turned off."))
    _remove_devices(user)


@transaction.atomic
def two_factor_reset(*, user: User, by: User | None = None) -> None:
    """The secretariat removes an account's authenticator and recovery codes (a
    lost phone) and ends its sessions: at the next sign-in the person sets an
    authenticator up again (with their password)."""
    _remove_devices(user)
    end_sessions(user=user)
    logger.info("Two-factor sign-in of account %s reset by account %s.", user.pk, by.pk if by else None)
