"""The e-mails about a person's own account that the portal sends from a
Celery task (``members.tasks``), in the person's language: the link that
verifies the address of a sign-up, and the notice that an address signing up
has an account already."""

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode

from members.models import User
from members.tokens import email_verification_token_generator
from metropolis.mail import render_email


def email_verification_link(*, user: User, base_url: str, next_url: str = "") -> str:
    """The single-use link that verifies ``user``'s address; ``next_url`` (a
    path of the portal) is where it leads afterwards."""
    path = reverse(
        "email_verify",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token_generator.make_token(user),
        },
    )
    query = "?" + urlencode({"next": next_url}) if next_url.startswith("/") else ""
    return base_url.rstrip("/") + path + query


def email_verification_send(*, user: User, base_url: str, next_url: str = "") -> bool:
    """Send the verification link to a sign-up waiting for it; False (nothing
    sent) when the address is verified already, so that a task run twice
    sends one link that works."""
    if user.email_verified_at is not None or user.is_active:
        return False
    render_email(
        template="members/email/verify_address",
        context={
            "user": user,
            "link": email_verification_link(user=user, base_url=base_url, next_url=next_url),
            "days": settings.EMAIL_VERIFICATION_TIMEOUT // (24 * 60 * 60),
        },
        to=[user.email],
        language=user.language,
    ).send()
    return True


def account_exists_notice_send(*, user: User, base_url: str) -> None:
    """Someone signed up with the address of an account in use: tell its owner,
    with the login and password-reset pages."""
    base = base_url.rstrip("/")
    render_email(
        template="members/email/account_exists",
        context={
            "user": user,
            "login_link": base + reverse("login"),
            "reset_link": base + reverse("password_reset"),
        },
        to=[user.email],
        language=user.language,
    ).send()
