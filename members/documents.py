"""The fee documents a member receives: the invoice of a year and the receipt
of a payment, as PDF in the member's language (its primary contact's)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members.models import Contact, Invoice, MemberCity, Payment
from metropolis.pdf import render_pdf, static_file_url

STYLESHEET = "members/fee_document.css"


def member_language(member: MemberCity) -> str:
    """The language the member is written to in: its primary contact's preferred
    language, English when it has none."""
    language = (
        Contact.objects.filter(member=member, is_primary=True, erased_at__isnull=True)
        .values_list("preferred_language", flat=True)
        .first()
    )
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE


def _render(template: str, context: dict, *, member: MemberCity) -> bytes:
    language = member_language(member)
    with translation.override(language):
        html = render_to_string(
            template,
            {
                **context,
                "member": member,
                "language": language,
                "stylesheet_url": static_file_url(STYLESHEET),
                "today": timezone.localdate(),
            },
        )
    pdf, _pages = render_pdf(html)
    return pdf


def invoice_pdf(*, invoice: Invoice) -> bytes:
    """The invoice, with what has been paid on it and what is outstanding."""
    payments = list(invoice.payments.order_by("paid_on", "pk"))
    return _render(
        "members/pdf/invoice.html",
        {"invoice": invoice, "payments": payments, "outstanding": invoice.outstanding},
        member=invoice.member,
    )


def receipt_pdf(*, payment: Payment) -> bytes:
    """The receipt of one payment, with what remains outstanding on its invoice."""
    invoice = payment.invoice
    return _render(
        "members/pdf/receipt.html",
        {"payment": payment, "invoice": invoice, "outstanding": invoice.outstanding},
        member=invoice.member,
    )


def invoice_file_name(invoice: Invoice) -> str:
    return f"invoice-{invoice.number}.pdf"


def receipt_file_name(payment: Payment) -> str:
    return f"receipt-{payment.invoice.number}-{payment.pk}.pdf"
