"""Fixtures shared by the whole suite."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from metropolis.measure.serving import start_celery_worker, stop_process_group

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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: a rolled-back test database can
    give the next test the same row ids, and with them the same cache keys
    (computed comparisons, throttle counters) for different data."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request or a task that
    activates the user's language leaves it active in the thread, and the next
    test in the same worker would read its messages in Chinese."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def eager_celery():
    """Run tasks in the calling process even when a broker is configured, for
    tests about what a task does rather than how it travels."""
    from metropolis.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def _start_worker(name: str, extra_env: dict[str, str], concurrency: int = 1) -> subprocess.Popen:
    """A real Celery worker subprocess on the configured broker, working on the
    test database and its media folders, in a process group of its own (its
    pool children included)."""
    return start_celery_worker(
        name,
        env={
            "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
            "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "TEST_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            **extra_env,
        },
        queues="default,reports",
        concurrency=concurrency,
    )


def _stop_worker(proc: subprocess.Popen) -> None:
    stop_process_group(proc, grace=20, leader_only=True)


@pytest.fixture
def celery_worker_process(request, transactional_db):
    """A real Celery worker subprocess on the configured broker, working on the
    test database. Yields the ``subprocess.Popen``; stops the worker afterwards.
    One worker process; a test parametrizes it indirectly for more."""
    from metropolis.celery import app

    app.control.purge()
    proc = _start_worker("test", {}, concurrency=getattr(request, "param", 1))
    yield proc
    _stop_worker(proc)


@pytest.fixture
def celery_workers(transactional_db):
    """Starts real Celery worker subprocesses: ``start(name, **env)`` returns
    the ``subprocess.Popen`` of a worker whose process group can be killed
    whole; every worker is stopped afterwards."""
    from metropolis.celery import app

    app.control.purge()
    started: list[subprocess.Popen] = []

    def start(name: str, **extra_env: str) -> subprocess.Popen:
        proc = _start_worker(name, extra_env)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        _stop_worker(proc)


@pytest.fixture
def requests_commit(monkeypatch, django_capture_on_commit_callbacks, eager_celery):
    """Each test runs in a transaction that never commits, so what a request
    sends after commit (``enqueue_after_commit``: e-mail tasks) would never
    run: with this fixture it runs, in the test's process, when each
    test-client request ends, as it would after the request's real commit."""
    from django.test.client import Client

    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)
