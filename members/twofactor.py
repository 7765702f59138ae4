"""Who must sign in with two factors, and the middleware that holds a signed-in
account at the second step until it has (members.services.twofactor writes the
devices)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from members.permissions import reads_every_city


def two_factor_required(user) -> bool:
    """The secretariat and communications (and any staff account) sign in with
    two factors when the settings require it (production)."""
    return bool(
        settings.TWO_FACTOR_REQUIRED_FOR_STAFF
        and user.is_authenticated
        and (user.is_staff or reads_every_city(user))
    )


# Pages an account reaches before its second factor: the second step itself
# (verifying, or setting up an authenticator for a first time), logging out,
# the language switch, static files and the health check.
_OPEN_PREFIXES = (
    "/accounts/two-factor/verify/",
    "/accounts/two-factor/setup/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/healthz",
)


class TwoFactorMiddleware:
    """A signed-in account that has an authenticator, or must have one, goes to
    the second step before anything else (the admin included); the API answers
    403 to its session. Token-authenticated API calls are not sessions and are
    not concerned."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or user.is_verified() or request.path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        has_device = user.two_factor_enabled
        if not has_device and not two_factor_required(user):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Finish signing in with your second factor first.")}, status=403)
        target = reverse("two_factor_verify" if has_device else "two_factor_setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
