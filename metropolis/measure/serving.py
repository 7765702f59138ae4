"""Serving the portal to a benchmark: the throwaway database it runs on, the
URL other processes reach that database by, a free port, gunicorn and Celery
workers started in process groups of their own, and stopping them.

The benchmark commands use it, and the test suite starts its real Celery
workers with it, so that a worker is started and stopped one way only."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.management.base import CommandError, OutputWrapper
from django.db import connection

HOST = "127.0.0.1"
# How long a served process or a worker has to answer once started, in seconds.
START_TIMEOUT = 60


def free_port() -> int:
    """A TCP port of the loopback interface that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def database_url(*, keep_connections: bool = False) -> str:
    """The URL (``DATABASE_URL``) of the database this process is connected to,
    for a served process or a worker to open the same one; with
    ``keep_connections``, their connections are kept between requests, as a
    deployment does."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or HOST
    port = db.get("PORT") or 5432
    url = f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
    return f"{url}?conn_max_age=600" if keep_connections else url


def served_environment(*, keep_connections: bool = True, **extra: str) -> dict[str, str]:
    """The environment of a process that serves this process's database with
    its settings: this one's, with the database's URL."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(keep_connections=keep_connections),
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE),
        **extra,
    }


@contextmanager
def throwaway_database(
    stdout: OutputWrapper | TextIO, *, served: bool = False, own_name: str = ""
) -> Iterator[str]:
    """A database made beside the configured one as the test runner makes its
    own (migrated), connected to for the block and removed after it; yields
    its name, and says it is removed once the block has run.

    ``served``: other processes (gunicorn, a worker) open it too, so on SQLite
    it is a file (in a temporary folder removed with it), never in memory.
    ``own_name``: on PostgreSQL, named ``<configured>_<own_name>_<pid>``, for
    the other benchmarks' throwaway databases may exist at the same time."""
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    scratch = None
    if connection.vendor == "sqlite":
        if served:
            scratch = tempfile.mkdtemp(prefix="metropolis-bench-")
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(scratch) / "bench.sqlite3")
    elif own_name:
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_{own_name}_{os.getpid()}"
    test_name = creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield test_name
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    stdout.write(f"(throwaway database {test_name} removed)")


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET on a connection of its own: the status and the body."""
    client = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        client.request("GET", path, headers=headers or {})
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


def start_gunicorn(
    application: str,
    *,
    port: int,
    workers: int,
    env: dict[str, str],
    keep_alive: int | None = None,
    preload: bool = False,
) -> subprocess.Popen:
    """gunicorn serving ``application`` (``module:factory()``) on ``port`` of
    the loopback interface, in a process group of its own.

    ``preload``: the application is loaded once, in the master, before the
    workers are forked, so that every worker serves as soon as the first one
    does (the factory must leave no connection open). Without it each worker
    loads the project itself, and workers still booting share the cores with
    the first requests measured."""
    options = ["--keep-alive", str(keep_alive)] if keep_alive is not None else []
    if preload:
        options.append("--preload")
    return subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            *options,
            application,
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        start_new_session=True,
    )


def wait_until_serving(
    server: subprocess.Popen, port: int, path: str, headers: dict[str, str] | None = None
) -> None:
    """Returns once gunicorn answers ``path`` with 200; a CommandError if it
    stops first or does not answer in time."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError("gunicorn stopped before serving (see its output above).")
        try:
            if get(port, path, headers)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer within {START_TIMEOUT} s.")


def worker_hostname(name: str) -> str:
    """The node name of a worker this process starts (``%h``: the machine's)."""
    return f"{name}-{os.getpid()}@%h"


def worker_arguments(hostname: str, *, queues: str = "default", concurrency: int = 1) -> list[str]:
    """The arguments of ``celery worker`` for a worker of its own: quiet, and
    without the cluster's gossip, so that it starts fast and alone."""
    return [
        "worker",
        "--queues",
        queues,
        "--concurrency",
        str(concurrency),
        "--loglevel",
        "WARNING",
        "--hostname",
        hostname,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def start_celery_worker(
    name: str,
    *,
    env: dict[str, str],
    queues: str = "default",
    concurrency: int = 1,
    quiet: bool = False,
) -> subprocess.Popen:
    """A real Celery worker subprocess on the configured broker, working on
    this process's database with the test settings, in a process group of its
    own (its pool children included); returns once it answers a ping.
    ``env`` adds to (or overrides) its environment; ``quiet`` drops its banner
    (warnings still go to stderr)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    environment.update(
        DJANGO_SETTINGS_MODULE="metropolis.settings.test",
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
    )
    environment.update(env)
    hostname = worker_hostname(name)
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and celery
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "metropolis",
            *worker_arguments(hostname, queues=queues, concurrency=concurrency),
        ],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        start_new_session=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )
    wait_until_worker_answers(worker, hostname)
    return worker


def wait_until_worker_answers(worker: subprocess.Popen, hostname: str) -> None:
    """Returns once the Celery worker ``hostname`` (as given to it, ``%h``
    included) answers a ping; kills it and raises a CommandError if it stops
    first or does not answer in time."""
    from metropolis.celery import app

    destination = [hostname.replace("%h", os.uname().nodename)]
    deadline = time.monotonic() + START_TIMEOUT
    while not app.control.ping(destination=destination, timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise CommandError("The Celery worker did not start.")


def stop_process_group(process: subprocess.Popen, *, grace: float = 30.0, leader_only: bool = False) -> None:
    """Stops a process started in a session of its own and what it started:
    SIGTERM, ``grace`` seconds to end, then SIGKILL to the whole group.

    ``leader_only``: the SIGTERM goes to the leader alone (nothing is sent if
    it has already ended), for a Celery worker to stop its pool itself, as
    its warm shutdown does."""
    if leader_only:
        if process.poll() is not None:
            return
        process.terminate()
    else:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
