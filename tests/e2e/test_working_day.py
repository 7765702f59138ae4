"""A working day in the browser (issue of the working day): a Chinese city editor
on a phone finds engagement open on the reporting year without choosing it; a
user with only the communications group requests the annual report in the
embedded default (`make run`: the web server and a background worker on kombu's
SQLAlchemy transport over an SQLite file, no Redis) and sees the progress bar
rise below 100 before it reaches 100."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from playwright.sync_api import expect

from metropolis.measure.serving import free_port
from tests.conftest import BASE_DIR
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, log_in
from tests.members.factories import CityEditorFactory, InvoiceFactory, MemberCityFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"  # the factories' password


def test_a_chinese_city_editor_on_a_phone_finds_engagement_open_on_2021(phone, live_server, screenshot):
    city = MemberCityFactory(name="Barcelona", name_en="Barcelona", name_zh_hans="巴塞罗那")
    InvoiceFactory(member=city, year=2021)
    CityEditorFactory(member_city=city, email="focal@barcelona.example.org")

    log_in(phone, "focal@barcelona.example.org", PASSWORD)
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}]
    )
    phone.goto("/my-city/engagement/")

    # The latest year with records, not the calendar year: nothing was chosen.
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(phone.locator("#engagement-title")).to_contain_text("2021")
    expect(phone.locator("select#id_year")).to_have_value("2021")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "engagement-zh-hans")


SETUP = """
import django
django.setup()
from tests.members.factories import CommunicationsFactory, InvoiceFactory, MemberCityFactory, PaymentFactory
for name in ("Barcelona", "Seoul", "Montréal"):
    member = MemberCityFactory(name=name, name_en=name)
    PaymentFactory(invoice=InvoiceFactory(member=member, year=2021))
CommunicationsFactory(email="comms@metropolis.example.org", is_staff=False)
"""


@pytest.fixture
def embedded_default(tmp_path):
    """The portal as `make run` serves it, on a fresh SQLite database: the
    development server and a Celery worker beside it (EMBEDDED_WORKER). Yields
    the server's address; both processes are stopped by process group."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "DATABASE_", "CACHE_", "TEST_", "PYTEST_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="metropolis.settings.local",
        EMBEDDED_WORKER="1",
        DEMO_ACCOUNTS="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL=f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        LOG_LEVEL="WARNING",
    )

    def run(*args: str) -> None:
        done = subprocess.run(  # noqa: S603
            [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=900
        )
        assert done.returncode == 0, done.stdout + done.stderr

    run("manage.py", "migrate", "--noinput", "-v0")
    run("-c", SETUP)
    port = free_port()
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "metropolis", "worker", "--pool", "solo"]
            + ["--queues", "default,reports", "--loglevel", "WARNING"],
            cwd=BASE_DIR,
            env=env,
            start_new_session=True,
        ),
        subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=BASE_DIR,
            env=env,
            start_new_session=True,
        ),
    ]
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "the development server did not start"
            time.sleep(0.5)
    try:
        yield address
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_communications_see_the_progress_rise_in_the_embedded_default(embedded_default, screenshot):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = chromium.new_context(base_url=embedded_default, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(60_000)
        try:
            # Only the communications group (no staff status given by hand).
            log_in(page, "comms@metropolis.example.org", PASSWORD)
            page.goto("/reports/")
            page.locator("#id_kind").select_option("annual")
            page.locator("#id_year").fill("2021")
            page.locator("#id_language").select_option("en")
            started = time.monotonic()
            page.get_by_role("button", name="Generate").click()
            page.wait_for_url(re.compile(r"/reports/runs/\d+/$"))
            # The request returned at once: the worker renders while the page polls.
            assert time.monotonic() - started < 10
            progress = page.locator("#run-progress")
            seen: list[int] = []
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                value = int(progress.get_attribute("value") or 0)
                if not seen or seen[-1] != value:
                    seen.append(value)
                    if 0 < value < 100 and len(seen) == 2:
                        screenshot(page, "progress-rising")
                if value == 100:
                    break
                time.sleep(0.1)
            assert seen[-1] == 100, seen
            assert any(0 < value < 100 for value in seen), seen
            assert seen == sorted(seen), seen
            expect(page.locator("#run-status")).to_have_text("Succeeded")
            expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            screenshot(page, "progress-done")
        finally:
            context.close()
            chromium.close()
