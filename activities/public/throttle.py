"""How many registrations one address may send: the public form uses the same
throttle, and the same rate, as the public registration API
(``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public-registration"]``)."""

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import AnonRateThrottle


class RegistrationThrottle(AnonRateThrottle):
    """Per address, for visitors who are not logged in."""

    scope = "public-registration"

    def get_rate(self) -> str | None:
        # Read when asked (DRF reads its rates once, at import), so that a
        # deployment, a test or the load benchmark can set it.
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope)


def registration_throttled(request: HttpRequest) -> bool:
    """Count this registration attempt; True when the address sent too many."""
    return not RegistrationThrottle().allow_request(request, view=None)
