"""Writes of the members app. Every change to members' records goes through a
function here (``<entity>_<verb>``, keyword-only, atomic, validated).

The portal's writes (profile, head of government, contacts, submissions) take
only the fields a city may change, and record the acting account on the
history rows (``by``), so that the city's change log does not depend on the
request that made the change."""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F, Prefetch, QuerySet, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activities.models import (
    ORGANISING_ROLES,
    Campaign,
    Event,
    Participation,
    ParticipationRole,
    PlatformContribution,
    PlatformKind,
    Publication,
    PublicationKind,
)
from activities.services import (
    participation_add,
    participation_save,
    platform_contribution_save,
    publication_save,
)

from .models import (
    Contact,
    FeeReminder,
    FeeSchedule,
    HeadOfGovernment,
    Invoice,
    InvoiceStatus,
    MemberCity,
    MembershipChange,
    MemberStatus,
    Payment,
    Region,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    User,
)
from .permissions import CITY_ROLE_GROUPS
from .selectors import head_of_government_on, invoice_list
from .tokens import invitation_token_generator

logger = logging.getLogger(__name__)

# Which lifecycle step leads from which status to which.
_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "ratify": ({MemberStatus.CANDIDATE}, MemberStatus.ACTIVE),
    "suspend": ({MemberStatus.ACTIVE}, MemberStatus.SUSPENDED),
    "reinstate": ({MemberStatus.SUSPENDED}, MemberStatus.ACTIVE),
    "withdraw": (
        {MemberStatus.CANDIDATE, MemberStatus.ACTIVE, MemberStatus.SUSPENDED},
        MemberStatus.WITHDRAWN,
    ),
}
_STEP_NAMES = {
    "ratify": _("ratified"),
    "suspend": _("suspended"),
    "reinstate": _("reinstated"),
    "withdraw": _("withdrawn"),
}


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


def _member_transition(
    *, member: MemberCity, step: str, on: datetime.date, reason: str, by: User | None
) -> MemberCity:
    allowed_from, to_status = _TRANSITIONS[step]
    member = MemberCity.objects.select_for_update().get(pk=member.pk)
    if member.status not in allowed_from:
        raise ValidationError(
            _("%(member)s cannot be %(step)s: its membership is %(status)s.")
            % {
                "member": member.name,
                "step": _STEP_NAMES[step],
                "status": member.get_status_display().lower(),
            }
        )
    if step != "ratify" and member.ratified_on and on < member.ratified_on:
        raise ValidationError(
            _("The date cannot be before the ratification on %(date)s.") % {"date": member.ratified_on}
        )
    MembershipChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=to_status,
        effective_on=on,
        reason=reason,
        changed_by=by,
    )
    member.status = to_status
    if step == "ratify":
        member.ratified_on = on
    if step == "withdraw":
        member.withdrawn_on = on
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_ratify(
    *, member: MemberCity, on: datetime.date, reason: str = "", by: User | None = None
) -> MemberCity:
    """The Board ratified a candidate on ``on``: it becomes an active member."""
    return _member_transition(member=member, step="ratify", on=on, reason=reason, by=by)


@transaction.atomic
def member_suspend(
    *, member: MemberCity, on: datetime.date, reason: str, by: User | None = None
) -> MemberCity:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the suspension.")})
    return _member_transition(member=member, step="suspend", on=on, reason=reason, by=by)


@transaction.atomic
def member_reinstate(
    *, member: MemberCity, on: datetime.date, reason: str = "", by: User | None = None
) -> MemberCity:
    return _member_transition(member=member, step="reinstate", on=on, reason=reason, by=by)


@transaction.atomic
def member_withdraw(
    *, member: MemberCity, on: datetime.date, reason: str, by: User | None = None
) -> MemberCity:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    return _member_transition(member=member, step="withdraw", on=on, reason=reason, by=by)


def member_has_history(*, member: MemberCity) -> bool:
    """Whether anything refers to the member (invoices, mandates, lifecycle
    steps, participations, ...): such a member is withdrawn, never deleted."""
    for relation in member._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            accessor = relation.get_accessor_name()
            if accessor and getattr(member, accessor).exists():
                return True
    return member.status != MemberStatus.CANDIDATE


@transaction.atomic
def member_delete(*, member: MemberCity) -> None:
    """Delete a member created by mistake. A member with history is refused."""
    if member_has_history(member=member):
        raise ValidationError(
            _("%(member)s has a history with the association and cannot be deleted; withdraw it instead.")
            % {"member": member.name}
        )
    member.delete()


def _invoice_number(year: int) -> str:
    last = (
        Invoice.objects.filter(number__startswith=f"{year}-")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.split("-")[1]) + 1 if last else 1
    return f"{year}-{sequence:04d}"


@transaction.atomic
def invoices_issue_for_year(
    *,
    year: int,
    issued_on: datetime.date,
    due_on: datetime.date,
    members: QuerySet[MemberCity] | None = None,
) -> list[Invoice]:
    """Issue the fee invoice of ``year`` to every active member that has none
    (among ``members`` when given: the admin action acts on its selection).

    Idempotent: running it again issues nothing new. All invoices are issued or
    none (one transaction); a member whose category has no fee for the year
    stops the whole run with a message that names it.
    """
    if due_on < issued_on:
        raise ValidationError({"due_on": _("An invoice cannot be due before it is issued.")})
    schedule = {fee.category: fee for fee in FeeSchedule.objects.filter(year=year)}
    candidates = MemberCity.objects.all() if members is None else members
    members = (
        MemberCity.objects.select_for_update()
        .filter(pk__in=candidates.values("pk"), status=MemberStatus.ACTIVE)
        .exclude(invoices__year=year)
        .order_by("slug")
    )
    missing = sorted({m.fee_category for m in members if m.fee_category not in schedule})
    if missing:
        raise ValidationError(
            _("No fee is set for %(year)s in the categories: %(categories)s.")
            % {"year": year, "categories": ", ".join(missing)}
        )
    issued = []
    for member in members:
        fee = schedule[member.fee_category]
        invoice = Invoice(
            member=member,
            year=year,
            number=_invoice_number(year),
            amount=fee.amount,
            currency=fee.currency,
            issued_on=issued_on,
            due_on=due_on,
        )
        invoice.full_clean()
        invoice.save()
        issued.append(invoice)
    return issued


@transaction.atomic
def invoice_record_payment(
    *,
    invoice: Invoice,
    amount: Decimal,
    currency: str,
    paid_on: datetime.date,
    method: str,
    reference: str = "",
) -> Payment:
    """Record money received against ``invoice``.

    Refused: a currency other than the invoice's, more than what is outstanding,
    and payments on a waived or cancelled invoice.
    """
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.cancelled_on:
        raise ValidationError(_("Invoice %(number)s is cancelled.") % {"number": invoice.number})
    if invoice.waived_on:
        raise ValidationError(_("Invoice %(number)s is waived.") % {"number": invoice.number})
    if currency != invoice.currency:
        raise ValidationError(
            {
                "currency": _("Invoice %(number)s is in %(expected)s, not %(given)s.")
                % {"number": invoice.number, "expected": invoice.currency, "given": currency}
            }
        )
    if amount <= 0:
        raise ValidationError({"amount": _("A payment must be more than zero.")})
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    outstanding = invoice.amount - paid
    if amount > outstanding:
        raise ValidationError(
            {
                "amount": _(
                    "%(amount)s %(currency)s is more than the %(outstanding)s %(currency)s outstanding."
                )
                % {"amount": amount, "currency": currency, "outstanding": outstanding}
            }
        )
    payment = Payment(
        invoice=invoice, amount=amount, currency=currency, paid_on=paid_on, method=method, reference=reference
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def invoice_waive(*, invoice: Invoice, on: datetime.date, reason: str) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status_on(on) in {InvoiceStatus.PAID, InvoiceStatus.CANCELLED}:
        raise ValidationError(_("Only an unpaid invoice can be waived."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the waiver.")})
    invoice.waived_on = on
    invoice.note = (invoice.note + "\n" if invoice.note else "") + reason
    invoice.full_clean()
    invoice.save()
    return invoice


@transaction.atomic
def invoice_cancel(*, invoice: Invoice, on: datetime.date, reason: str) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.payments.exists():
        raise ValidationError(_("An invoice with payments cannot be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the cancellation.")})
    invoice.cancelled_on = on
    invoice.note = (invoice.note + "\n" if invoice.note else "") + reason
    invoice.full_clean()
    invoice.save()
    return invoice


# The reminder stages and the number of days past the due date at which each
# is reached, in the order they escalate. The stage labels on FeeReminder name
# the same days.
REMINDER_STAGES: tuple[tuple[str, int], ...] = (
    (FeeReminder.Stage.FIRST, 30),
    (FeeReminder.Stage.SECOND, 60),
    (FeeReminder.Stage.FINAL, 90),
)
_STAGE_ORDER = [stage for stage, _days in REMINDER_STAGES]


@dataclass
class FeeReminderRun:
    """What one run of the daily reminders did."""

    sent: list[FeeReminder] = field(default_factory=list)
    without_contact: list[Invoice] = field(default_factory=list)
    failed: list[Invoice] = field(default_factory=list)


def _latest_stage_reached(*, invoice: Invoice, today: datetime.date) -> int:
    days_overdue = (today - invoice.due_on).days
    reached = [i for i, (_stage, days) in enumerate(REMINDER_STAGES) if days_overdue >= days]
    return reached[-1] if reached else -1


def _last_stage_sent(invoice: Invoice) -> int:
    sent = {reminder.stage for reminder in invoice.reminders.all()}
    return max((_STAGE_ORDER.index(stage) for stage in sent), default=-1)


def _primary_contact(invoice: Invoice) -> Contact | None:
    contact = next((c for c in invoice.member.contacts.all() if c.is_primary), None)
    return contact if contact is not None and contact.email else None


def _invoices_for_reminders(*, today: datetime.date, status: str | None = None) -> QuerySet[Invoice]:
    return invoice_list(today=today, status=status).prefetch_related(
        Prefetch("member__contacts", queryset=Contact.objects.filter(is_primary=True)),
        "reminders",
    )


def _fee_reminder_message(*, invoice: Invoice, stage: str, contact: Contact) -> EmailMultiAlternatives:
    # The member's name, dates and amounts are rendered in the contact's language.
    with translation.override(contact.preferred_language):
        context = {
            "contact": contact,
            "invoice": invoice,
            "member_name": invoice.member.name,
            "stage": stage,
            "outstanding": invoice.outstanding,
        }
        subject = render_to_string("members/email/fee_reminder_subject.txt", context)
        text = render_to_string("members/email/fee_reminder_body.txt", context)
        html = render_to_string("members/email/fee_reminder_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def _fee_reminder_send(
    *, invoice: Invoice, stage: str, contact: Contact, by: User | None
) -> FeeReminder | None:
    """Log the reminder of ``stage`` for ``invoice`` and e-mail it; None when it
    was already sent. The e-mail goes out only once the log row exists, and the
    row is rolled back if the e-mail cannot be sent, so a reminder is never
    sent twice and never logged without being sent."""
    with transaction.atomic():
        if FeeReminder.objects.filter(invoice=invoice, stage=stage).exists():
            return None
        reminder = FeeReminder(invoice=invoice, stage=stage, recipient=contact.email, sent_by=by)
        reminder.full_clean()
        try:
            with transaction.atomic():
                reminder.save()
        except IntegrityError:
            # Another run logged this stage between the check and the insert.
            return None
        _fee_reminder_message(invoice=invoice, stage=stage, contact=contact).send()
    return reminder


def fee_reminders_send(*, today: datetime.date) -> FeeReminderRun:
    """Send the reminders due on ``today`` for every overdue, unpaid invoice.

    An invoice gets the latest stage it has reached (30, 60, 90 days past due)
    if neither that stage nor a later one has been sent: a run that missed some
    days sends one reminder, not a catch-up series. Each reminder goes to the
    member's primary contact, in their language, and is logged as a
    :class:`FeeReminder`; a stage is never sent twice for an invoice.
    """
    # Not one transaction for the whole run: each reminder commits on its own,
    # so that an e-mail failure for one invoice neither un-logs the reminders
    # already sent (which would send them again tomorrow) nor stops the others.
    run = FeeReminderRun()
    for invoice in _invoices_for_reminders(today=today, status=InvoiceStatus.OVERDUE):
        reached = _latest_stage_reached(invoice=invoice, today=today)
        if reached < 0 or reached <= _last_stage_sent(invoice):
            continue
        contact = _primary_contact(invoice)
        if contact is None:
            logger.warning(
                "Invoice %s is overdue but %s has no primary contact e-mail.", invoice, invoice.member
            )
            run.without_contact.append(invoice)
            continue
        try:
            reminder = _fee_reminder_send(
                invoice=invoice, stage=_STAGE_ORDER[reached], contact=contact, by=None
            )
        except Exception:
            logger.exception("The fee reminder for invoice %s could not be sent.", invoice)
            run.failed.append(invoice)
            continue
        if reminder is not None:
            run.sent.append(reminder)
    return run


@transaction.atomic
def invoice_send_reminder_now(
    *, invoice: Invoice, by: User | None, today: datetime.date | None = None
) -> FeeReminder:
    """Send a reminder for an overdue invoice now, from the admin.

    It is the stage the daily run would send, or, when that one has been sent,
    the next stage, brought forward: it is logged like the scheduled ones (with
    ``by``), so the daily run does not send that stage again. Refused for an
    invoice that is not overdue, when the final reminder has been sent, and
    when the member has no primary contact with an e-mail address.
    """
    today = today or timezone.localdate()
    invoice = _invoices_for_reminders(today=today).get(pk=invoice.pk)
    status = invoice.status_on(today)
    if status != InvoiceStatus.OVERDUE:
        raise ValidationError(
            _("Invoice %(number)s is not overdue (%(status)s): no reminder is sent.")
            % {"number": invoice.number, "status": InvoiceStatus(status).label.lower()}
        )
    stage_index = max(_latest_stage_reached(invoice=invoice, today=today), _last_stage_sent(invoice) + 1)
    if stage_index >= len(_STAGE_ORDER):
        raise ValidationError(
            _("The final reminder for invoice %(number)s has already been sent.") % {"number": invoice.number}
        )
    contact = _primary_contact(invoice)
    if contact is None:
        raise ValidationError(
            _("%(member)s has no primary contact with an e-mail address.") % {"member": invoice.member.name}
        )
    reminder = _fee_reminder_send(invoice=invoice, stage=_STAGE_ORDER[stage_index], contact=contact, by=by)
    if reminder is None:
        raise ValidationError(
            _("That reminder for invoice %(number)s has just been sent.") % {"number": invoice.number}
        )
    return reminder


# --- Portal accounts --------------------------------------------------------------


def _invitation_link(*, user: User, base_url: str) -> str:
    path = reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


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
    user.member_city = member
    user.is_active = False
    # A new random unusable password also voids any earlier invitation link.
    user.set_unusable_password()
    user.full_clean()
    user.save()
    role_groups = list(Group.objects.filter(name__in=CITY_ROLE_GROUPS.values()))
    user.groups.remove(*role_groups)
    user.groups.add(next(group for group in role_groups if group.name == CITY_ROLE_GROUPS[role]))

    link = _invitation_link(user=user, base_url=base_url)
    with translation.override(language):
        context = {
            "user": user,
            "member_name": member.name,
            "role": _("editor") if role == "editor" else _("viewer"),
            "link": link,
            "days": settings.PORTAL_INVITATION_TIMEOUT // (24 * 60 * 60),
            "invited_by": by.get_full_name() if by else "",
        }
        subject = render_to_string("members/email/invitation_subject.txt", context)
        body = render_to_string("members/email/invitation_body.txt", context)
    EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    ).send()
    return user


@transaction.atomic
def user_accept_invitation(*, user: User, password: str) -> User:
    """The invited person sets their password: the account becomes active.
    The password goes through Django's validators (common passwords included)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active or user.has_usable_password():
        raise ValidationError(_("This invitation has already been used."))
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.full_clean()
    user.save()
    return user


def _end_sessions(*, user: User) -> int:
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
    ended = _end_sessions(user=user)
    logger.info(
        "Account %s deactivated by account %s; %s session(s) ended.", user.pk, by.pk if by else None, ended
    )
    return user


# --- The member-city portal: profile, head of government, contacts --------------------


class StaleProfile(ValidationError):
    """The profile was saved by someone else since the form was loaded."""

    def __init__(self, *, current: MemberCity):
        super().__init__(
            _("Someone else saved this profile while you were editing it; nothing was saved."),
            code="stale",
        )
        self.current = current


@transaction.atomic
def member_profile_update(
    *,
    member: MemberCity,
    version: int,
    description_en: str,
    description_es: str,
    description_fr: str,
    description_zh_hans: str,
    website: str,
    population: int | None,
    population_year: int | None,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
    by: User | None = None,
) -> MemberCity:
    """Save the fields of the profile a city keeps up to date, over ``version``
    (the version the form was loaded with). Nothing else of the member (name,
    status, region, Board roles, fees) can change here.

    Optimistic locking: ``UPDATE ... SET version = version + 1 WHERE version =
    <version>`` first; when no row matches, someone saved in between and
    :class:`StaleProfile` is raised with the current profile, so that no update
    is ever lost. A logo is a PNG or JPEG of at most 2 MB (checked from its
    content) and is stored under a generated name.
    """
    if not MemberCity.objects.filter(pk=member.pk, version=version).update(version=F("version") + 1):
        raise StaleProfile(current=MemberCity.objects.get(pk=member.pk))
    # The row is ours until the transaction ends (the update holds its lock).
    member = MemberCity.objects.get(pk=member.pk)
    member.description_en = description_en  # type: ignore[attr-defined]
    member.description_es = description_es  # type: ignore[attr-defined]
    member.description_fr = description_fr  # type: ignore[attr-defined]
    member.description_zh_hans = description_zh_hans  # type: ignore[attr-defined]
    member.website = website
    member.population = population
    member.population_year = population_year
    if logo is not None:
        member.logo = logo  # type: ignore[assignment]
    elif remove_logo:
        member.logo = ""  # type: ignore[assignment]
    member._history_user = by  # type: ignore[attr-defined]
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_version_bump(*, member: MemberCity) -> int:
    """Take the next version of ``member``'s profile for a save made elsewhere
    (the secretariat's admin), so that a portal form loaded before it is
    refused rather than saved over it. Returns the new version."""
    MemberCity.objects.filter(pk=member.pk).update(version=F("version") + 1)
    return MemberCity.objects.values_list("version", flat=True).get(pk=member.pk)


def _save_as(instance: models.Model, by: User | None) -> None:
    instance._history_user = by  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save()


@transaction.atomic
def head_of_government_start_term(
    *,
    member: MemberCity,
    name: str,
    title: str,
    gender: str,
    term_start: datetime.date,
    name_local: str = "",
    by: User | None = None,
) -> HeadOfGovernment:
    """A new head of government takes office on ``term_start``: a new term is
    recorded and the current one (if any) ends the day before. Earlier terms
    are kept."""
    current = head_of_government_on(member=member)
    if current is not None:
        if term_start <= current.term_start:
            raise ValidationError(
                {
                    "term_start": _(
                        "The new term must start after the current one (%(name)s, since %(date)s)."
                    )
                    % {"name": current.name, "date": current.term_start}
                }
            )
        current = HeadOfGovernment.objects.select_for_update().get(pk=current.pk)
        day_before = term_start - datetime.timedelta(days=1)
        if current.term_end is None or current.term_end > day_before:
            current.term_end = day_before
            _save_as(current, by)
    head = HeadOfGovernment(
        member=member, name=name, name_local=name_local, title=title, gender=gender, term_start=term_start
    )
    _save_as(head, by)
    return head


@transaction.atomic
def head_of_government_correct(
    *,
    head: HeadOfGovernment,
    name: str,
    title: str,
    gender: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
    name_local: str = "",
    by: User | None = None,
) -> HeadOfGovernment:
    """Correct the record of the current head of government (a misspelt name,
    a wrong date). Earlier terms are kept as recorded: refused for them."""
    head = HeadOfGovernment.objects.select_for_update().get(pk=head.pk)
    if head_of_government_on(member=head.member) != head:
        raise ValidationError(_("Only the current head of government can be corrected."))
    head.name, head.name_local, head.title, head.gender = name, name_local, title, gender
    head.term_start, head.term_end = term_start, term_end
    _save_as(head, by)
    return head


def _make_primary(contact: Contact, by: User | None) -> None:
    """One primary contact per member (a database constraint): the others stop
    being primary first."""
    for other in (
        Contact.objects.select_for_update()
        .filter(member_id=contact.member_id, is_primary=True)
        .exclude(pk=contact.pk)
    ):
        other.is_primary = False
        _save_as(other, by)


@transaction.atomic
def contact_add(
    *,
    member: MemberCity,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "en",
    gender: str = "",
    is_primary: bool = False,
    by: User | None = None,
) -> Contact:
    """Add a contact person to ``member``. The first contact of a member is its
    primary contact (fee reminders go to the primary contact)."""
    if not Contact.objects.filter(member=member, is_primary=True).exists():
        is_primary = True
    contact = Contact(
        member=member,
        name=name,
        role=role,
        email=email,
        phone=phone,
        preferred_language=preferred_language,
        gender=gender,
        is_primary=is_primary,
    )
    contact.full_clean(validate_constraints=False)
    if is_primary:
        _make_primary(contact, by)
    _save_as(contact, by)
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "en",
    gender: str = "",
    is_primary: bool = False,
    by: User | None = None,
) -> Contact:
    """Change a contact person. The primary contact stays primary until another
    contact is made primary."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_primary and not is_primary:
        raise ValidationError(
            {"is_primary": _("A city has a primary contact: make another contact primary instead.")}
        )
    contact.name, contact.role, contact.email, contact.phone = name, role, email, phone
    contact.preferred_language, contact.gender, contact.is_primary = preferred_language, gender, is_primary
    contact.full_clean(validate_constraints=False)
    if is_primary:
        _make_primary(contact, by)
    _save_as(contact, by)
    return contact


@transaction.atomic
def contact_remove(*, contact: Contact, by: User | None = None) -> None:
    """Remove a contact person; refused for the primary contact, which fee
    reminders are sent to."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_primary:
        raise ValidationError(
            _("%(name)s is the primary contact: make another contact primary before removing them.")
            % {"name": contact.name}
        )
    contact._history_user = by  # type: ignore[attr-defined]
    contact.delete()


# --- Submissions and their review ----------------------------------------------------------


@transaction.atomic
def submission_create(
    *,
    member: MemberCity,
    kind: str,
    year: int,
    title: str,
    url: str = "",
    happened_on: datetime.date | None = None,
    description: str = "",
    publication_kind: str = "",
    by: User | None = None,
) -> Submission:
    """A city proposes an item; it waits for the secretariat's review."""
    if kind == SubmissionKind.PUBLICATION and publication_kind not in PublicationKind.values:
        raise ValidationError({"publication_kind": _("Say what kind of publication it is.")})
    submission = Submission(
        member=member,
        kind=kind,
        year=year,
        title=title,
        url=url,
        happened_on=happened_on,
        description=description,
        publication_kind=publication_kind if kind == SubmissionKind.PUBLICATION else "",
        submitted_by=by,
    )
    _save_as(submission, by)
    return submission


def _world_metropolitan_day_event(*, year: int) -> Event | None:
    """The World Metropolitan Day event of ``year`` a city's organised event is
    recorded under: the one the association leads, else the first by date."""
    return (
        Event.objects.filter(year=year, campaign=Campaign.WORLD_METROPOLITAN_DAY)
        .order_by("-led_by_association", F("start_date").asc(nulls_last=True), "slug")
        .first()
    )


def _unique_publication_slug(title: str, year: int) -> str:
    base = slugify(f"{year} {title}")[:90] or str(year)
    slug, number = base, 1
    while Publication.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


_PLATFORM_KINDS = {
    SubmissionKind.USX_CASE: PlatformKind.USX_CASE,
    SubmissionKind.CGH_INITIATIVE: PlatformKind.CGH_INITIATIVE,
}


def _submission_record(submission: Submission) -> None:
    """Create the record an approved submission becomes, through the activities services."""
    if submission.kind in _PLATFORM_KINDS:
        submission.platform_contribution = platform_contribution_save(
            contribution=PlatformContribution(
                member=submission.member,
                year=submission.year,
                kind=_PLATFORM_KINDS[SubmissionKind(submission.kind)],
                title=submission.title,
                url=submission.url,
                published_on=submission.happened_on,
            )
        )
    elif submission.kind == SubmissionKind.WMD_EVENT:
        event = _world_metropolitan_day_event(year=submission.year)
        if event is None:
            raise ValidationError(
                _("There is no World Metropolitan Day event for %(year)s: record it first.")
                % {"year": submission.year}
            )
        note = submission.title[:300]
        existing = Participation.objects.filter(event=event, member=submission.member).first()
        if existing is None:
            submission.participation = participation_add(
                event=event, member=submission.member, role=ParticipationRole.ORGANISER, note=note
            )
        else:
            # An attending member that also organised is an organiser (its most prominent role).
            if existing.role not in ORGANISING_ROLES:
                existing.role, existing.note = ParticipationRole.ORGANISER, note
                participation_save(participation=existing)
            submission.participation = existing
    elif submission.kind == SubmissionKind.PUBLICATION:
        # The title as the city wrote it is the reference (default-language) title,
        # whatever the reviewer's language; the secretariat translates it.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            publication = Publication(
                slug=_unique_publication_slug(submission.title, submission.year),
                title=submission.title,
                kind=submission.publication_kind,
                year=submission.year,
                published_on=submission.happened_on,
                url=submission.url,
                languages=[],
            )
        submission.publication = publication_save(
            publication=publication, contributing_members=[submission.member]
        )


@transaction.atomic
def submission_approve(*, submission: Submission, by: User | None = None) -> Submission:
    """Approve a pending submission: it becomes its record (a platform
    contribution, an organiser's participation in the year's World Metropolitan
    Day event, or a publication the city contributed to)."""
    submission = Submission.objects.select_for_update().select_related("member").get(pk=submission.pk)
    if submission.status != SubmissionStatus.PENDING:
        raise ValidationError(
            _("“%(title)s” has already been reviewed (%(status)s).")
            % {"title": submission.title, "status": submission.get_status_display().lower()}
        )
    _submission_record(submission)
    submission.status = SubmissionStatus.APPROVED
    submission.reviewed_by, submission.reviewed_at = by, timezone.now()
    _save_as(submission, by)
    return submission


@transaction.atomic
def submission_reject(*, submission: Submission, reason: str, by: User | None = None) -> Submission:
    """Reject a pending submission; the city sees ``reason``."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.PENDING:
        raise ValidationError(
            _("“%(title)s” has already been reviewed (%(status)s).")
            % {"title": submission.title, "status": submission.get_status_display().lower()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection: the city sees it.")})
    submission.status, submission.reason = SubmissionStatus.REJECTED, reason.strip()
    submission.reviewed_by, submission.reviewed_at = by, timezone.now()
    _save_as(submission, by)
    return submission


# The fields the secretariat sets on a member with member_create/member_update.
PROFILE_FIELDS = (
    "slug",
    "country",
    "region",
    "kind",
    "fee_category",
    "website",
    "population",
    "population_year",
    "latitude",
    "longitude",
    "name_en",
    "name_es",
    "name_fr",
    "name_zh_hans",
    "description_en",
    "description_es",
    "description_fr",
    "description_zh_hans",
)


def _member_save(member: MemberCity, by: User | None) -> MemberCity:
    member._history_user = by  # type: ignore[attr-defined]
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_create(
    *,
    name_en: str,
    slug: str,
    country: str,
    region: Region | None,
    kind: str,
    fee_category: str = "standard",
    website: str = "",
    population: int | None = None,
    population_year: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    name_es: str = "",
    name_fr: str = "",
    name_zh_hans: str = "",
    description_en: str = "",
    description_es: str = "",
    description_fr: str = "",
    description_zh_hans: str = "",
    by: User | None = None,
) -> MemberCity:
    """Record a new member city: a candidate until the Board ratifies it
    (``member_ratify``)."""
    # The untranslated columns take the default language's values, whatever
    # the language of the request (modeltranslation saves the active one).
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        member = MemberCity(
            name_en=name_en,
            name_es=name_es or None,
            name_fr=name_fr or None,
            name_zh_hans=name_zh_hans or None,
            description_en=description_en or None,
            description_es=description_es or None,
            description_fr=description_fr or None,
            description_zh_hans=description_zh_hans or None,
            slug=slug,
            country=country,
            region=region,
            kind=kind,
            fee_category=fee_category,
            website=website,
            population=population,
            population_year=population_year,
            latitude=latitude,
            longitude=longitude,
            status=MemberStatus.CANDIDATE,
        )
        return _member_save(member, by)


@transaction.atomic
def member_update(*, member: MemberCity, by: User | None = None, **changes: object) -> MemberCity:
    """Change the fields of ``member`` given in ``changes`` (among
    :data:`PROFILE_FIELDS`). The profile's version moves on, so that a portal
    form loaded before this change is refused rather than saved over it."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"member_update() cannot change {', '.join(sorted(unknown))}")
    version = member_version_bump(member=member)
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        member = MemberCity.objects.select_for_update().get(pk=member.pk)
        for name, value in changes.items():
            # Empty translations are stored as NULL, as modeltranslation does.
            if name.startswith(("name_", "description_")) and name != "name_en" and value == "":
                value = None
            setattr(member, name, value)
        member.version = version
        return _member_save(member, by)


__all__ = [
    "member_create",
    "member_update",
    "REMINDER_STAGES",
    "StaleProfile",
    "FeeReminderRun",
    "contact_add",
    "contact_remove",
    "contact_update",
    "fee_reminders_send",
    "head_of_government_correct",
    "head_of_government_start_term",
    "invoice_cancel",
    "invoice_record_payment",
    "invoice_send_reminder_now",
    "invoice_waive",
    "invoices_issue_for_year",
    "member_delete",
    "member_profile_update",
    "member_version_bump",
    "member_has_history",
    "member_ratify",
    "member_reinstate",
    "member_suspend",
    "member_withdraw",
    "submission_approve",
    "submission_create",
    "submission_reject",
    "user_accept_invitation",
    "user_deactivate",
    "user_ensure_staff",
    "user_invite",
]
