"""The signed links of a registration (django.core.signing), sent in its e-mails.

- the registrant's link (``registration_token``): the registration's page, where
  the registrant cancels, downloads or erases their data and downloads their
  certificate. It holds no personal data, only the registration's id signed
  with the project's secret; it stops working once the registration is
  anonymised (the page finds nothing to show);
- the offer link (``offer_token``): confirm a place offered from the waiting
  list, valid for the hours the event gives to confirm.
"""

from django.core import signing

REGISTRATION_SALT = "activities.registration"
OFFER_SALT = "activities.registration.offer"


def registration_token(registration_id: int) -> str:
    return signing.dumps(registration_id, salt=REGISTRATION_SALT, compress=True)


def registration_id_from_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=REGISTRATION_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def offer_token(registration_id: int) -> str:
    return signing.dumps(registration_id, salt=OFFER_SALT, compress=True)


def registration_id_from_offer_token(token: str, *, max_age_seconds: int) -> int | None:
    """The id in an offer link, or ``None`` for a link that is forged or older
    than ``max_age_seconds``."""
    try:
        value = signing.loads(token, salt=OFFER_SALT, max_age=max_age_seconds)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return value if isinstance(value, int) else None
