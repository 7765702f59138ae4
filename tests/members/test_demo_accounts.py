"""`make run` prints a demo login for each role (local settings only), and each
login opens its role's pages."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.models import User
from tests.members.factories import MemberCityFactory, restore_role_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(settings):
    settings.DEMO_ACCOUNTS = True
    settings.DEBUG = True
    restore_role_groups()


def _run() -> str:
    out = io.StringIO()
    call_command("ensure_demo_accounts", stdout=out)
    return out.getvalue()


def test_make_run_prints_a_login_for_each_role_and_each_one_works(local, client):
    city = MemberCityFactory(slug="barcelona", name="Barcelona", name_en="Barcelona")

    output = _run()

    for address in (
        "staff@metropolis.example",
        "communications@metropolis.example",
        "city-editor@metropolis.example",
        "city-viewer@metropolis.example",
    ):
        assert address in output
    assert "metropolis-demo-2021" in output and "Barcelona" in output
    pages = {
        "staff@metropolis.example": reverse("admin:members_membercity_changelist"),
        "communications@metropolis.example": reverse("reports:list"),
        "city-editor@metropolis.example": reverse("portal:profile"),
        "city-viewer@metropolis.example": reverse("portal:engagement"),
    }
    for address, page in pages.items():
        user = User.objects.get(email=address)
        assert user.is_active and user.check_password("metropolis-demo-2021"), address
        client.force_login(user)
        assert client.get(page).status_code == 200, address
    client.force_login(User.objects.get(email="communications@metropolis.example"))
    assert client.get(reverse("admin:index")).status_code == 200  # the group alone opens the admin
    editor = User.objects.get(email="city-editor@metropolis.example")
    assert editor.member_city == city and not editor.is_staff


def test_running_it_again_resets_the_accounts_rather_than_adding_any(local):
    MemberCityFactory(slug="barcelona")
    _run()
    User.objects.filter(email="city-viewer@metropolis.example").update(is_active=False)

    _run()

    assert User.objects.filter(email__endswith="@metropolis.example").count() == 4
    assert User.objects.get(email="city-viewer@metropolis.example").is_active


def test_the_demo_accounts_are_refused_outside_local_settings(settings):
    settings.DEBUG = True  # test settings have no DEMO_ACCOUNTS

    with pytest.raises(CommandError, match="local use only"):
        call_command("ensure_demo_accounts", stdout=io.StringIO())
    assert not User.objects.exists()
