"""The production stack as deployed, driven over HTTPS: .ci/smoke.sh starts
gunicorn (production settings) behind Caddy, two Celery workers each in a
folder of its own, beat, PostgreSQL, Redis and an S3 bucket, then runs this
test. The communications team signs in with their second factor, asks for the
annual report, one worker is killed with SIGKILL while it renders, the other
finishes, and the PDF comes from the bucket through the web process; /healthz
answers 200, then 503 once every worker is stopped."""

import json
import os
import re
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django_otp.oath import totp
from playwright.sync_api import expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.smoke

TIMEOUT_MS = 240_000


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: this test runs against the stack .ci/smoke.sh starts")
    return value


def healthz() -> tuple[int, dict]:
    # Caddy's local certificate authority is not one this machine trusts.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        url = _env("SMOKE_BASE_URL") + "/healthz"
        with urllib.request.urlopen(url, context=context, timeout=15) as answer:  # noqa: S310
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def wait_for_health(expected_status: int, seconds: int = 60) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        status, body = healthz()
        if status == expected_status or time.monotonic() > deadline:
            assert status == expected_status, body
            return body
        time.sleep(1)


def report_files() -> list[str]:
    s3 = boto3.client(
        "s3",
        endpoint_url=_env("S3_ENDPOINT_URL"),
        region_name="us-east-1",
        aws_access_key_id=_env("S3_ACCESS_KEY_ID"),
        aws_secret_access_key=_env("S3_SECRET_ACCESS_KEY"),
    )
    listed = s3.list_objects_v2(Bucket=_env("S3_PRIVATE_BUCKET"), Prefix="reports/")
    return [item["Key"] for item in listed.get("Contents", [])]


def rendering_worker() -> str:
    """The name of the worker whose task is rendering a report now."""
    from metropolis.celery import app

    for _ in range(60):
        active = app.control.inspect(timeout=1).active() or {}
        for hostname, tasks in active.items():
            if any(task["name"].startswith("reports.") for task in tasks):
                return hostname.split("@")[0]
        time.sleep(0.5)
    pytest.fail("no worker is rendering the report")


def test_the_stack_over_https_survives_a_killed_worker_and_reports_its_health():
    base_url = _env("SMOKE_BASE_URL")
    pids = dict(pair.split("=") for pair in _env("SMOKE_WORKER_PIDS").split())
    artifacts = Path(_env("SMOKE_ARTIFACTS"))
    artifacts.mkdir(parents=True, exist_ok=True)

    body = wait_for_health(200)
    assert {name.split("@")[0] for name in body["workers"]["answered"]} == set(pids)
    assert body["database"]["vendor"] == "postgresql"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=base_url, locale="en-GB", accept_downloads=True, ignore_https_errors=True
        )
        page = context.new_page()
        page.set_default_timeout(60_000)

        page.goto("/accounts/login/")
        page.get_by_label("E-mail address").fill(_env("SMOKE_EMAIL"))
        page.get_by_label("Password").fill(_env("SMOKE_PASSWORD"))
        page.get_by_label("Password").press("Enter")
        # Staff sign in with two factors in production: the code of the device's secret.
        page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
        # A code is accepted once: wait for a step after the one that confirmed the device.
        while int(time.time()) // 30 <= int(_env("SMOKE_TOTP_USED_STEP")):
            time.sleep(1)
        page.locator("input[name=token]").fill(f"{totp(bytes.fromhex(_env('SMOKE_TOTP_KEY'))):06d}")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"^https://[^/]+/$"))
        # The session holds over HTTPS: its cookie is Secure.
        assert all(cookie["secure"] for cookie in context.cookies() if cookie["name"] == "sessionid")

        page.get_by_role("link", name="Reports").click()
        page.locator("#id_kind").select_option("annual")
        page.locator("#id_year").fill("2021")
        page.locator("#id_language").select_option("en")
        page.get_by_role("button", name="Generate").click()
        expect(page.locator("#run-progress")).to_be_visible()

        # Kill the worker that renders it, pool and all, as a machine dies.
        victim = rendering_worker()
        os.killpg(int(pids[victim]), signal.SIGKILL)
        survivor = next(name for name in pids if name != victim)

        expect(page.locator("#run-progress")).to_have_attribute("value", "100", timeout=TIMEOUT_MS)
        expect(page.locator("#run-status")).to_have_text("Succeeded")
        page.screenshot(path=str(artifacts / "finished.png"), full_page=True)
        with page.expect_download() as started:
            page.get_by_role("link", name="Download the PDF").click()
        pdf = artifacts / "annual-report-2021-en.pdf"
        started.value.save_as(pdf)
        context.close()
        browser.close()

    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2021" in text
    # One file, rendered by the surviving worker into the bucket, served by the web process.
    assert len(report_files()) == 1

    body = wait_for_health(200)
    assert [name.split("@")[0] for name in body["workers"]["answered"]] == [survivor]
    assert body["beat"]["ok"] is True, body

    os.killpg(int(pids[survivor]), signal.SIGTERM)
    body = wait_for_health(503)
    assert body["workers"] == {"ok": False, "answered": []}
    assert body["database"]["ok"] is True and body["broker"]["ok"] is True
