"""Who the client is when the portal runs behind proxies it trusts.

Each trusted proxy appends the address it received the request from to
X-Forwarded-For, so with ``TRUSTED_PROXY_COUNT = n`` the client is the n-th
address from the right (the rule DRF's ``NUM_PROXIES`` follows). Whatever a
client writes into the header itself stands to the left and is never taken.
With no trusted proxy, the header is ignored and REMOTE_ADDR is the client."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        # Fewer hops than configured proxies: the request did not come through them.
        return remote
    return forwarded[-proxies]
