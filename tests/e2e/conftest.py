"""Browser tests: Playwright drives the Chromium of Debian's ``chromium`` package
(never a browser Playwright downloads) against pytest-django's live server.
Screenshots go to artifacts/e2e/. Run with ``make e2e``."""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
# Rendering a report in the web process (no broker) takes a while.
TIMEOUT_MS = 180_000


@pytest.fixture
def browser(monkeypatch) -> Iterator:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make e2e does).")
    # Playwright's synchronous API keeps an event loop in the test's thread;
    # Django refuses ORM calls in such a thread unless told they are safe, and
    # here they are: the test sets up rows between browser steps, never inside the loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", accept_downloads=True, **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A desktop browser window."""
    context, page = _page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server) -> Iterator:
    """A phone-sized window with touch, as a focal point on the move uses the portal."""
    context, page = _page(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


@pytest.fixture
def screenshot(request) -> Callable:
    """``screenshot(page, "step")`` saves artifacts/e2e/<test>-<step>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, step: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def reports_worker(request) -> None:
    """With a broker configured, reports are rendered by a Celery worker: start
    one (tests/conftest.py); without one they render in the web process."""
    if settings.CELERY_BROKER_URL:
        request.getfixturevalue("celery_worker_process")


def log_in(page, email: str, password: str) -> None:
    """Log in with the keyboard only: the e-mail field has the focus on arrival."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    # Logged in, the portal's home page.
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"), timeout=20_000)
