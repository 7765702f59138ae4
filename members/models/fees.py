"""Membership fees: the yearly schedule, one invoice per member and year, payments
and the reminders sent for overdue invoices. An invoice's status is derived from
its payments and dates, never typed."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .city import MemberCity

CURRENCY_VALIDATOR_MESSAGE = _("Use a three-letter ISO 4217 code such as EUR.")


class FeeSchedule(models.Model):
    """The fee of a category of member for a year."""

    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=40)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        ordering = ["-year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["year", "category"], name="one_fee_per_year_and_category")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.category}: {self.amount} {self.currency}"

    def clean(self) -> None:
        if not (len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()):
            raise ValidationError({"currency": CURRENCY_VALIDATOR_MESSAGE})


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PARTIALLY_PAID = "partially-paid", _("Partially paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    WAIVED = "waived", _("Waived")
    CANCELLED = "cancelled", _("Cancelled")


class Invoice(models.Model):
    """The membership fee invoice of one member for one year."""

    member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("fee year"))
    number = models.CharField(_("number"), max_length=30, unique=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    waived_on = models.DateField(_("waived on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Optimistic locking (members.services.versions).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-year", "member__name"]
        # The reporting year reads the latest invoice year; the lists filter by year.
        indexes = [
            models.Index(fields=["year"], name="invoice_year"),
            # The admin's list: the latest year first, then by number.
            models.Index(models.F("year").desc(), "number", name="invoice_year_desc_number"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_invoice_per_member_and_year"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("issued_on")), name="invoice_due_after_issue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.member}, {self.year})"

    def clean(self) -> None:
        if self.due_on and self.issued_on and self.due_on < self.issued_on:
            raise ValidationError({"due_on": _("An invoice cannot be due before it is issued.")})
        if not (len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()):
            raise ValidationError({"currency": CURRENCY_VALIDATOR_MESSAGE})

    @property
    def paid_amount(self) -> Decimal:
        # Selectors annotate ``paid_total`` so that lists need no query per row.
        annotated = getattr(self, "paid_total", None)
        if annotated is not None:
            return annotated
        return self.payments.aggregate(total=models.Sum("amount"))["total"] or Decimal("0")

    @property
    def outstanding(self) -> Decimal:
        if self.cancelled_on or self.waived_on:
            return Decimal("0")
        return max(self.amount - self.paid_amount, Decimal("0"))

    def status_on(self, day: datetime.date | None = None) -> str:
        """The invoice's status on ``day`` (today by default). The rule is the
        selectors' (``members.selectors.fees.invoice_list``'s ``derived_status``),
        read from the database, so that one invoice and a list always agree."""
        from members.selectors.fees import invoice_status_on

        return invoice_status_on(invoice=self, day=day or timezone.localdate())


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank-transfer", _("Bank transfer")
    CARD = "card", _("Card")
    CHEQUE = "cheque", _("Cheque")
    OTHER = "other", _("Other")


class Payment(models.Model):
    """Money received against an invoice."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["invoice", "paid_on"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} on {self.paid_on}"


class FeeReminder(models.Model):
    """A reminder e-mail sent for an overdue invoice at one stage. The unique
    constraint is what makes a stage's reminder go out at most once."""

    class Stage(models.TextChoices):
        FIRST = "first", _("First reminder (30 days overdue)")
        SECOND = "second", _("Second reminder (60 days overdue)")
        FINAL = "final", _("Final reminder (90 days overdue)")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("invoice")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipient = models.EmailField(_("recipient"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
        help_text=_("The person who sent it from the admin; empty when the daily schedule sent it."),
    )

    class Meta:
        verbose_name = _("fee reminder")
        verbose_name_plural = _("fee reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "stage"], name="one_reminder_per_invoice_stage")
        ]

    def __str__(self) -> str:
        return f"{self.invoice} – {self.get_stage_display()}"
