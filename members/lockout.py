"""How django-axes counts failed logins: per account, whatever the spelling of
its e-mail address (logins ignore letter case, so the count must too), and per
client address as the configured proxies report it."""

from typing import Any

from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a login attempt is for, as the login itself finds it: the
    e-mail address without surrounding spaces, in lower case
    (``AXES_USERNAME_CALLABLE``)."""
    if credentials:
        username = credentials.get("username")
    else:
        data = getattr(request, "data", None) or request.POST
        username = data.get("username")
    if not isinstance(username, str):
        return None
    return username.strip().lower()
