"""Fixtures shared by the whole suite."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    # Tests that need a real worker run where a broker is configured (.ci/run
    # runs the suite a second time on Redis); the embedded default has none.
    if settings.CELERY_BROKER_URL:
        return
    skip = pytest.mark.skip(reason="needs CELERY_BROKER_URL (a real broker); .ci/run runs these on Redis")
    for item in items:
        if "worker" in item.keywords:
            item.add_marker(skip)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def eager_celery():
    """Run tasks in the calling process even when a broker is configured, for
    tests about what a task does rather than how it travels."""
    from metropolis.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker subprocess on the configured broker, working on the
    test database. Yields the ``subprocess.Popen``; stops the worker afterwards."""
    from metropolis.celery import app

    app.control.purge()
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    env.update(
        DJANGO_SETTINGS_MODULE="metropolis.settings.test",
        DATABASE_URL=_database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        CELERY_RESULT_BACKEND=settings.CELERY_RESULT_BACKEND,
        TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    hostname = f"test-{os.getpid()}@%h"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "metropolis",
            "worker",
            "--queues",
            "default,reports",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--hostname",
            hostname,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    destination = [hostname.replace("%h", os.uname().nodename)]
    while not app.control.ping(destination=destination, timeout=1):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the Celery worker did not start")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
