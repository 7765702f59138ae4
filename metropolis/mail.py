"""E-mails the portal writes: one message from templates, rendered in the
recipient's language (dates, numbers and plurals included).

A kind of e-mail is a template prefix ``<app>/email/<kind>``: ``_subject.txt``
(one line), ``_body.txt`` and, when it exists, ``_body.html``. The message is
sent by the caller (a service, usually inside a Celery task sent after commit),
through whatever ``EMAIL_BACKEND`` the settings name."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def render_email(
    *,
    template: str,
    context: dict,
    to: Sequence[str],
    language: str,
    reply_to: Sequence[str] = (),
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """The message of ``template`` for ``to``, written in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}_body.txt", context)
        try:
            html = render_to_string(f"{template}_body.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
        headers=headers or {},
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message
