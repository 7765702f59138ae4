"""Security headers on every page, the admin's included: a Content-Security-
Policy that allows no inline script (the pages hold none), Referrer-Policy and
Permissions-Policy."""

import re

import pytest
from django.urls import reverse

from tests.members.factories import CityEditorFactory, MemberCityFactory, StaffFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
# django-import-export's one handler, allowed by its hash in the policy.
ALLOWED_HANDLERS = {'onchange="onSelectToggleChange(event)"'}


def _check(response) -> None:
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    if response.get("Content-Type", "").startswith("text/html"):
        page = response.content.decode()
        assert INLINE_SCRIPT.findall(page) == []
        handlers = {m.group(0) for m in re.finditer(r'\son[a-z]+\s*="[^"]*"', page)} - {
            f" {h}" for h in ALLOWED_HANDLERS
        }
        assert handlers == set()


@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/login/", "/api/v1/docs/", "/api/v1/redoc/", "/admin/login/"],
)
def test_public_pages_carry_the_policy_and_no_inline_script(client, url):
    response = client.get(url)
    assert response.status_code == 200
    _check(response)


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:members_membercity_changelist",
        "admin:members_membercity_add",
        "admin:members_membercity_import",
        "admin:members_membercity_export",
        "admin:members_invoice_changelist",
        "admin:members_invoice_statement",
        "admin:search",
        "admin:activities_event_add",
        "admin:reports_reportrun_changelist",
        "reports:list",
    ],
)
def test_staff_pages_carry_the_policy_and_no_inline_script(client, name):
    MemberCityFactory()
    client.force_login(StaffFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200
    _check(response)


def test_an_admin_change_form_and_the_city_portal_carry_the_policy(client):
    member = MemberCityFactory()
    client.force_login(StaffFactory())
    _check(client.get(reverse("admin:members_membercity_change", args=[member.pk])))
    client.force_login(CityEditorFactory(member_city=member))
    for name in ("portal:home", "portal:profile", "portal:contact-new", "portal:engagement"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        _check(response)


def test_swagger_ui_starts_from_a_script_file():
    from django.test import Client

    response = Client().get("/api/v1/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
