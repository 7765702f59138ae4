"""A person's rights over their data: a copy on request (logged), erasure on
request, and the retention rule that erases the data of former contacts.

Erasure anonymises rather than deletes: the row stays, with what counts keep
(a contact's member, language and gender; a head of government's title,
gender and terms), and so do the rows of its history, rewritten without the
person's name, address or phone. Figures computed from records and the shape
of the audit trail (who changed what record, when) are unchanged.

Refused, with nothing changed: the erasure of a head of government in office
(or about to be: the directory publishes the heads of the members), of a
member's primary contact (fee reminders and statutory notices go to them:
another contact is made primary first), and of one's own account."""

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    BoardMandate,
    ConsentRecord,
    Contact,
    DataRequestKind,
    DataSubjectKind,
    FeeReminder,
    HeadOfGovernment,
    Mailing,
    MailingRecipient,
    MailingStatus,
    PersonalDataRequest,
    User,
)
from members.services.accounts import user_deactivate

logger = logging.getLogger(__name__)


def erased_name(pk: int) -> str:
    """What an erased person's name becomes (the same in every language)."""
    return f"[erased #{pk}]"


def erased_user_email(pk: int) -> str:
    # Unique and valid (accounts are keyed by address), at a domain that cannot exist.
    return f"erased-{pk}@erased.invalid"


def retention_years() -> int:
    return int(getattr(settings, "PERSONAL_DATA_RETENTION_YEARS", 2))


def _log(
    kind: str,
    subject_kind: str,
    subject_id: int,
    label: str,
    *,
    by: User | None,
    reason: str = "",
    fmt: str = "",
) -> PersonalDataRequest:
    """Record a request about a person's data: its kind, whom it was about
    (kind, id and a label that outlives an erasure), who handled it and why."""
    request = PersonalDataRequest(
        kind=kind,
        subject_kind=subject_kind,
        subject_id=subject_id,
        subject_label=label[:200],
        handled_by=by,
        reason=reason[:300],
        export_format=fmt,
    )
    request.full_clean()
    request.save()
    return request


def _contact_label(contact: Contact) -> str:
    return f"contact #{contact.pk} of {contact.member.slug}"


# --- Copies -------------------------------------------------------------------------------------


@transaction.atomic
def personal_data_export_log(
    *, subject_kind: str, subject_id: int, label: str, fmt: str, by: User | None, reason: str = ""
) -> PersonalDataRequest:
    """Record that a copy of a person's data was handed out (who asked, when, which format)."""
    if fmt not in ("json", "csv"):
        raise ValidationError(_("A copy is made as JSON or CSV."))
    return _log(DataRequestKind.EXPORT, subject_kind, subject_id, label, by=by, reason=reason, fmt=fmt)


# --- What an address leaves behind ---------------------------------------------------------------


def _address_still_used(
    email: str, *, except_contact: int | None = None, except_user: int | None = None
) -> bool:
    """Whether another person the portal keeps still uses ``email`` (a shared
    mailbox): records found only by address are then theirs too, and kept."""
    if not email:
        return False
    contacts = Contact.objects.filter(email__iexact=email, erased_at__isnull=True)
    if except_contact is not None:
        contacts = contacts.exclude(pk=except_contact)
    users = User.objects.filter(email__iexact=email, erased_at__isnull=True)
    if except_user is not None:
        users = users.exclude(pk=except_user)
    return contacts.exists() or users.exists()


def _erase_address_records(*, email: str, contact_id: int | None, shared: bool) -> None:
    """The mailing rows, consent records and fee reminders of an erased person:
    the address goes, the status and dates stay (they are the counts)."""
    linked = Q(contact_id=contact_id) if contact_id is not None else Q(pk__in=[])
    by_address = Q(email__iexact=email) if email and not shared else Q(pk__in=[])
    MailingRecipient.objects.filter(linked | by_address).update(email="", name="")
    ConsentRecord.objects.filter(linked | by_address).update(email="")
    if email and not shared:
        FeeReminder.objects.filter(recipient__iexact=email).update(recipient="")


def _erase_in_place(
    record: Contact | HeadOfGovernment,
    replacement: dict[str, str],
    *,
    by: User | None,
    validate_constraints: bool = True,
) -> None:
    """Replace a person's details in ``record`` (``replacement``: field and
    new value) and mark it erased. Every earlier version too: the history
    keeps its rows (dates, who, what kind of change), without the person."""
    for name, value in replacement.items():
        setattr(record, name, value)
    record.erased_at = timezone.now()
    record._history_user = by  # type: ignore[union-attr]
    record.full_clean(validate_constraints=validate_constraints)
    record.save()
    type(record).history.filter(id=record.pk).update(**replacement)  # type: ignore[union-attr]


def _anonymise_contact(contact: Contact, *, by: User | None) -> None:
    old_email = contact.email
    shared = _address_still_used(old_email, except_contact=contact.pk)
    replacement = {"name": erased_name(contact.pk), "role": "", "email": "", "phone": ""}
    _erase_in_place(contact, replacement, by=by, validate_constraints=False)
    _erase_address_records(email=old_email, contact_id=contact.pk, shared=shared)


@transaction.atomic
def contact_erase(*, contact: Contact, by: User | None, reason: str = "") -> PersonalDataRequest:
    """Erase a contact's personal data on their request."""
    contact = Contact.objects.select_for_update().select_related("member").get(pk=contact.pk)
    if contact.erased_at is not None:
        raise ValidationError(_("This contact's data has already been erased."))
    if contact.is_primary:
        raise ValidationError(
            _(
                "%(name)s is the primary contact of %(member)s: fee reminders and statutory notices go to "
                "them. Make another contact primary (or add one), then erase this one. Nothing was erased."
            )
            % {"name": contact.name, "member": contact.member.name}
        )
    _anonymise_contact(contact, by=by)
    return _log(
        DataRequestKind.ERASURE,
        DataSubjectKind.CONTACT,
        contact.pk,
        _contact_label(contact),
        by=by,
        reason=reason,
    )


@transaction.atomic
def head_of_government_erase(
    *, head: HeadOfGovernment, by: User | None, reason: str = "", today: datetime.date | None = None
) -> PersonalDataRequest:
    """Erase a former head of government's name (title, gender and terms stay:
    the figures on women-led members are computed from them)."""
    today = today or timezone.localdate()
    head = HeadOfGovernment.objects.select_for_update().select_related("member").get(pk=head.pk)
    if head.erased_at is not None:
        raise ValidationError(_("This person's data has already been erased."))
    if head.term_end is None or head.term_end >= today:
        raise ValidationError(
            _(
                "%(name)s is the current head of government of %(member)s (or their term has not ended): "
                "the association publishes the heads of government of its members while they are in "
                "office. Their name can be erased once their term has ended. Nothing was erased."
            )
            % {"name": head.name, "member": head.member.name}
        )
    old_name = head.name
    _erase_in_place(head, {"name": erased_name(head.pk), "name_local": ""}, by=by)
    # The same person's Board seats of that member name them too.
    mandates = BoardMandate.objects.filter(member_id=head.member_id, holder_name=old_name)
    mandate_ids = list(mandates.values_list("pk", flat=True))
    mandates.update(holder_name=erased_name(head.pk))
    BoardMandate.history.filter(id__in=mandate_ids).update(holder_name=erased_name(head.pk))  # type: ignore[attr-defined]
    label = f"head of government #{head.pk} of {head.member.slug}"
    return _log(
        DataRequestKind.ERASURE, DataSubjectKind.HEAD_OF_GOVERNMENT, head.pk, label, by=by, reason=reason
    )


@transaction.atomic
def user_erase(*, user: User, by: User | None, reason: str = "") -> PersonalDataRequest:
    """Erase a portal account's personal data: it can no longer log in, its
    sessions and API tokens end, its login records lose the address and the
    network details. The records it changed keep naming "an erased account"."""
    from rest_framework.authtoken.models import Token

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at is not None:
        raise ValidationError(_("This account's data has already been erased."))
    if by is not None and by.pk == user.pk:
        raise ValidationError(
            _("You cannot erase your own account: another member of the secretariat does it.")
        )
    old_email = user.email
    shared = _address_still_used(old_email, except_user=user.pk)
    user.email = erased_user_email(user.pk)
    user.full_name = ""
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.groups.clear()
    user.user_permissions.clear()
    user_deactivate(user=user, by=by)
    Token.objects.filter(user=user).delete()
    AccessAttempt.objects.filter(username__iexact=old_email).delete()
    for log in (AccessLog, AccessFailureLog):
        log.objects.filter(username__iexact=old_email).update(
            username=user.email, ip_address=None, user_agent=""
        )
    if not shared:
        _erase_address_records(email=old_email, contact_id=None, shared=False)
    return _log(
        DataRequestKind.ERASURE, DataSubjectKind.USER, user.pk, f"account #{user.pk}", by=by, reason=reason
    )


# --- Retention -----------------------------------------------------------------------------------


@dataclass
class RetentionRun:
    contacts_erased: list[int] = field(default_factory=list)
    removed_contacts_histories: int = 0
    mailing_addresses_cleared: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "contacts_erased": len(self.contacts_erased),
            "removed_contacts_histories": self.removed_contacts_histories,
            "mailing_addresses_cleared": self.mailing_addresses_cleared,
        }


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def personal_data_retention_apply(*, today: datetime.date) -> RetentionRun:
    """Erase what the portal keeps about former contacts once the retention
    period (``PERSONAL_DATA_RETENTION_YEARS``, two years by default) has passed:

    - the contacts of a member that withdrew before then;
    - the history rows of contacts removed before then;
    - the addresses of the recipients of mailings finished before then.

    Running it again changes nothing more."""
    run = RetentionRun()
    cutoff = _years_before(today, retention_years())
    cutoff_time = datetime.datetime.combine(cutoff, datetime.time.min, tzinfo=datetime.UTC)
    former = (
        Contact.objects.select_for_update()
        .filter(erased_at__isnull=True, member__withdrawn_on__lt=cutoff)
        .select_related("member")
    )
    for contact in former:
        _anonymise_contact(contact, by=None)
        _log(
            DataRequestKind.RETENTION,
            DataSubjectKind.CONTACT,
            contact.pk,
            _contact_label(contact),
            by=None,
            reason=_("Former contact: the member withdrew on %(date)s.")
            % {"date": contact.member.withdrawn_on},
        )
        run.contacts_erased.append(contact.pk)
    history = Contact.history  # type: ignore[attr-defined]
    removed = set(
        history.filter(history_type="-", history_date__lt=cutoff_time)
        .exclude(id__in=Contact.objects.values("pk"))
        .values_list("id", flat=True)
    )
    for contact_id in removed:
        kept = history.filter(id=contact_id).exclude(name=erased_name(contact_id))
        if kept.exists():
            kept.update(name=erased_name(contact_id), role="", email="", phone="")
            run.removed_contacts_histories += 1
    old_mailings = Mailing.objects.filter(
        status__in=[MailingStatus.SENT, MailingStatus.CANCELLED], finished_at__lt=cutoff_time
    )
    run.mailing_addresses_cleared = (
        MailingRecipient.objects.filter(mailing__in=old_mailings).exclude(email="").update(email="", name="")
    )
    if run.contacts_erased or run.removed_contacts_histories or run.mailing_addresses_cleared:
        logger.info("Personal data retention on %s: %s", today, run.as_dict())
    return run
