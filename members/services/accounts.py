"""Portal accounts: the demo staff account, inviting a city's focal point (and,
through :func:`account_prepare_invitation` and :func:`invitation_link`, anyone
another app invites: a juror), accepting an invitation, signing up to apply to a
call and verifying the address, deactivating an account."""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from members.models import (
    MemberCity,
    User,
)
from members.permissions import CITY_ROLE_GROUPS, COMMUNICATIONS_GROUP, STAFF_ROLE_GROUPS
from members.tokens import invitation_token_generator
from metropolis.celery import enqueue_after_commit
from metropolis.mail import render_email

logger = logging.getLogger(__name__)


@transaction.atomic
def user_ensure_staff(*, email: str, password: str, full_name: str = "") -> User:
    """Create a superuser with ``email`` or reset its password and rights."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return User.objects.create_superuser(email=email, password=password, full_name=full_name)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_ensure_role(
    *, email: str, password: str, full_name: str, group: str, member_city: MemberCity | None = None
) -> User:
    """Create an active account of one role (a group; a city role with its
    ``member_city``), or reset its password, city and role: the demo accounts."""
    user = User.objects.filter(email__iexact=email).first() or User(email=email.lower())
    user.full_name, user.member_city, user.is_active = full_name, member_city, True
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=group)])
    return user_staff_status_sync(user=user)


def user_staff_status_sync(*, user: User) -> User:
    """Staff status follows the account's roles: a secretariat or communications
    account (or a superuser) may open the admin, whatever was ticked; an account
    with no such role (a city's focal point) may not, unless it was given
    permissions of its own. Called whenever an account's groups change."""
    is_staff = (
        user.is_superuser
        or user.groups.filter(name__in=STAFF_ROLE_GROUPS).exists()
        or user.user_permissions.exists()
    )
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    return user


def invitation_link(*, user: User, base_url: str) -> str:
    """The single-use link where an invited person chooses their password
    (valid for ``PORTAL_INVITATION_TIMEOUT``; ``base_url`` is the portal's address)."""
    path = reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def account_prepare_invitation(*, email: str, full_name: str, language: str | None = None) -> User:
    """The inactive account an invitation goes to, created or taken up again:
    a new random unusable password voids any earlier invitation link. Refused:
    no address, or an address whose account is in use (active, or with a
    password of its own). Call it inside the inviting service's transaction."""
    if not email:
        raise ValidationError({"email": _("The invitation goes to an e-mail address; give one.")})
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is not None and (user.is_active or user.has_usable_password()):
        raise ValidationError(
            _("%(email)s already has a portal account; change it in the user list instead.")
            % {"email": email}
        )
    if user is None:
        user = User(email=User.objects.normalize_email(email).lower())
    user.full_name = full_name or user.full_name
    if language:
        user.language = language
    user.is_active = False
    user.set_unusable_password()
    return user


@transaction.atomic
def user_invite(
    *,
    member: MemberCity,
    email: str,
    full_name: str,
    role: str,
    base_url: str,
    language: str = "en",
    by: User | None = None,
) -> User:
    """Invite a city's focal point to the portal: an inactive account bound to
    ``member`` with the ``role`` ("editor" or "viewer"), and an e-mail with a
    link where the person sets a password (single use, valid for
    ``PORTAL_INVITATION_TIMEOUT``; ``base_url`` is the portal's address).

    Inviting again someone who has not accepted yet sends a new link and the
    earlier one stops working. Refused: an address that already has an
    account in use, an unknown role. The account is created only if the e-mail
    could be sent.
    """
    if role not in CITY_ROLE_GROUPS:
        raise ValidationError({"role": _("Choose the role: editor or viewer.")})
    user = account_prepare_invitation(email=email, full_name=full_name, language=language)
    user.member_city = member
    user.full_clean()
    user.save()
    role_groups = list(Group.objects.filter(name__in=CITY_ROLE_GROUPS.values()))
    user.groups.remove(*role_groups)
    user.groups.add(next(group for group in role_groups if group.name == CITY_ROLE_GROUPS[role]))

    link = invitation_link(user=user, base_url=base_url)
    with translation.override(language):
        member_name = member.name
        role_name = _("editor") if role == "editor" else _("viewer")
    render_email(
        template="members/email/invitation",
        context={
            "user": user,
            "member_name": member_name,
            "role": role_name,
            "link": link,
            "days": settings.PORTAL_INVITATION_TIMEOUT // (24 * 60 * 60),
            "invited_by": by.get_full_name() if by else "",
        },
        to=[user.email],
        language=language,
    ).send()
    return user


@transaction.atomic
def user_accept_invitation(*, user: User, password: str) -> User:
    """The invited person sets their password: the account becomes active, and
    its address is verified (the link reached it). The password goes through
    Django's validators (common passwords included)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active or user.has_usable_password():
        raise ValidationError(_("This invitation has already been used."))
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.full_clean()
    user.save()
    return user


def end_sessions(*, user: User) -> int:
    """Delete every session of ``user``. The portal keeps its sessions in the
    database (Django's default engine), where they can be looked up."""
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    ended = 0
    for session in store_class.get_model_class().objects.filter(expire_date__gt=timezone.now()):
        if store_class().decode(session.session_data).get(SESSION_KEY) == str(user.pk):
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user: User, by: User | None = None) -> User:
    """Deactivate an account and end its sessions at once: a browser that is
    logged in is logged out on its next request. Other changes already made to
    ``user`` (the admin's form) are saved with it."""
    user.is_active = False
    user.full_clean()
    user.save()
    ended = end_sessions(user=user)
    logger.info(
        "Account %s deactivated by account %s; %s session(s) ended.", user.pk, by.pk if by else None, ended
    )
    return user


def _is_pending_sign_up(user: User) -> bool:
    """An account created by a sign-up and not verified yet. A deactivated
    account (staff, a role, a city, a login of its own) is never taken up again
    by a sign-up: only the secretariat reactivates it."""
    return (
        not user.is_active
        and user.email_verified_at is None
        and user.has_usable_password()
        and user.last_login is None
        and not user.is_staff
        and user.member_city_id is None
        and not user.groups.exists()
    )


@transaction.atomic
def applicant_sign_up(
    *, email: str, full_name: str, password: str, language: str, base_url: str, next_url: str = ""
) -> User | None:
    """Sign up to apply to a call: an inactive account with the person's own
    password, which becomes active once the address is verified through the
    link sent to it (single use, valid for ``EMAIL_VERIFICATION_TIMEOUT``).

    What the person sees does not tell whether the address has an account
    already (no account discovery): an address whose account is in use gets an
    e-mail saying so, with the login and password-reset links, and None is
    returned; a sign-up not verified yet is taken up again with the new
    password and a new link (the earlier link stops working). Refused, saving
    nothing: a bad address, a language the portal does not speak, a password
    Django's validators refuse. ``next_url`` (a path of the portal) is where
    the link leads once the address is verified.
    """
    candidate = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name,
        language=language,
        is_active=False,
    )
    # The checks come first and are the same whether or not the address has an account.
    candidate.full_clean(exclude=["password", "email"])
    try:
        User._meta.get_field("email").clean(candidate.email, candidate)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user = User.objects.select_for_update().filter(email__iexact=candidate.email).first()
    pending = user is not None and _is_pending_sign_up(user)
    if user is not None and not pending:
        from members.tasks import account_exists_notice_task  # the tasks call these services

        enqueue_after_commit(account_exists_notice_task, user.pk, base_url)
        return None
    if user is None:
        user = candidate
    user.full_name = full_name
    user.language = language
    # A new password also voids the link of an earlier sign-up.
    user.set_password(password)
    user.full_clean()
    user.save()
    from members.tasks import email_verification_send_task  # the tasks call these services

    enqueue_after_commit(email_verification_send_task, user.pk, base_url, next_url)
    return user


@transaction.atomic
def user_verify_email(*, user: User) -> User:
    """The person opened the link sent to their address: it is verified, and
    an account waiting for it becomes active. Refused: a link already used."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_verified_at is not None:
        raise ValidationError(_("This address is verified already; log in."))
    if not _is_pending_sign_up(user):
        raise ValidationError(_("This account cannot be activated with this link; write to the secretariat."))
    user.email_verified_at = timezone.now()
    user.is_active = True
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_invite_communications(
    *, email: str, full_name: str, base_url: str, language: str = "en", by: User | None = None
) -> User:
    """Invite a member of the communications team, as a city's focal point is
    invited (:func:`user_invite`): an inactive account in the communications
    group, with the staff status that role needs, and an e-mail in
    ``language`` with a single-use link where the person sets a password.
    Refused: an address whose account is in use. Sent only if committed."""
    user = account_prepare_invitation(email=email, full_name=full_name, language=language)
    user.member_city = None
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=COMMUNICATIONS_GROUP))
    user_staff_status_sync(user=user)
    render_email(
        template="members/email/staff_invitation",
        context={
            "user": user,
            "link": invitation_link(user=user, base_url=base_url),
            "days": settings.PORTAL_INVITATION_TIMEOUT // (24 * 60 * 60),
            "invited_by": by.get_full_name() if by else "",
        },
        to=[user.email],
        language=language,
    ).send()
    return user
