"""Public pages of the members app: the directory, the map, unsubscribing."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from members.models import ConsentSource, MailingKind
from members.selectors.directory import directory_members
from members.services.mailings import recipient_from_token, recipient_unsubscribe

from .forms import DirectoryFilterForm
from .map import members_map


def _filtered(request: HttpRequest) -> tuple[DirectoryFilterForm, list]:
    form = DirectoryFilterForm(request.GET or None)
    return form, list(directory_members(**form.filters()))


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form, members = _filtered(request)
    query = request.GET.urlencode()
    return render(
        request,
        "members/public/directory.html",
        {"form": form, "members": members, "query": query, "filtered": bool(query)},
    )


@require_GET
def members_map_page(request: HttpRequest) -> HttpResponse:
    form, members = _filtered(request)
    placed = [m for m in members if m.latitude is not None and m.longitude is not None]
    drawing = members_map(
        [(m.name, m.latitude, m.longitude, reverse("directory:city", args=[m.slug])) for m in placed],
        # A filtered map shows the part of the world around its members.
        zoom=bool(request.GET.urlencode()) and bool(placed),
    )
    context = {
        "form": form,
        "map": drawing,
        "placed": placed,
        "unplaced": [m for m in members if m.latitude is None or m.longitude is None],
        "query": request.GET.urlencode(),
    }
    return render(request, "members/public/map.html", context)


def _masked(email: str) -> str:
    """The address as the page shows it (a forwarded link does not reveal it whole)."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


# One-click unsubscribing (RFC 8058): e-mail programs POST to the link without a
# session or a CSRF token; the signed token in the address is the authority.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (a link opened by a mail scanner changes
    nothing); POST records the unsubscription."""
    recipient = recipient_from_token(token)
    if recipient is None:
        return render(request, "members/public/unsubscribe.html", {"invalid": True}, status=404)
    mailing = recipient.mailing
    context = {
        "recipient": recipient,
        "address": _masked(recipient.email),
        "kind": mailing.get_kind_display(),
        "statutory": mailing.kind == MailingKind.STATUTORY,
        "done": False,
    }
    if request.method == "POST" and not context["statutory"]:
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        source = ConsentSource.ONE_CLICK if one_click else ConsentSource.UNSUBSCRIBE_LINK
        recipient_unsubscribe(recipient=recipient, source=source)
        context["done"] = True
    return render(request, "members/public/unsubscribe.html", context)
