"""How a page of the city portal ("My city", under /my-city/) is reached. The
portal is one navigation made of pages that each app contributes for the
records it owns (profile, contacts and fees here; submissions and the change
log in ``activities``; engagement and the scorecard in ``reports``), on one base
template (``templates/portal/base.html``); every page is declared with
:func:`city_page`.

A page gets the account's city from the selectors (which scope every read to
that city), asks the rules permissions before any write, validates the form
and calls one service. Another city's record is not in the account's
querysets, so its address answers 404; an account that is not a city account
gets 403 on every page of the portal.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_http_methods

from members.models import MemberCity, User
from members.selectors.scoping import member_for_user

CityView = Callable[..., HttpResponseBase]


def account(request: HttpRequest) -> User:
    """The account of a request :func:`city_page` let through (a city account)."""
    return cast(User, request.user)


def city_page(
    *, methods: tuple[str, ...] = ("GET",), permission: str = "members.view_city_portal"
) -> Callable[[CityView], CityView]:
    """A page of the account's own city: anonymous visitors go to the login
    page; an account without a city role gets 403, as does one that lacks
    ``permission`` on its city (a viewer on a page that writes, whatever the
    method). The view receives the city after the request."""

    def decorator(view: CityView) -> CityView:
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            member = member_for_user(user=request.user)
            # rules.has_perm, not user.has_perm: a superuser is not a city editor.
            if member is None or not rules.has_perm(permission, request.user, member):
                raise PermissionDenied
            return view(request, member, *args, **kwargs)

        return wrapped

    return decorator


def can(request: HttpRequest, permission: str, member: MemberCity) -> bool:
    """Whether the account holds ``permission`` on its city (to show a button)."""
    return rules.has_perm(permission, request.user, member)
