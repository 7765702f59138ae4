"""Readiness of the services the portal depends on, for ``/healthz``. Every
check has a timeout: the health check answers within seconds, never hangs."""

import datetime
import time

from django.conf import settings
from django.db import connection
from kombu import Connection

from .beat import beat_last_run


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict:
    url = settings.CELERY_BROKER_URL
    if not url:
        # The embedded default: tasks run in the web process, no broker needed.
        return {"ok": True, "mode": "eager"}
    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises several transport-specific errors
        return {"ok": False, "mode": "broker", "error": str(exc)}
    return {"ok": True, "mode": "broker"}


def _embedded(url: str) -> bool:
    """The embedded default's worker (``make run``): kombu's SQLAlchemy
    transport, which carries tasks but no broadcast, so no ping."""
    return url.startswith("sqla+")


def workers_state() -> dict:
    """Which Celery workers answer a ping within ``HEALTHZ_PING_TIMEOUT``
    seconds; not ok when none does (nothing would render a report)."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return {"ok": True, "mode": "eager"}
    if _embedded(url):
        return {"ok": True, "mode": "embedded worker (no ping on this transport)"}
    from .celery import app

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            replies = app.control.ping(timeout=settings.HEALTHZ_PING_TIMEOUT, connection=conn)
    except Exception as exc:  # kombu raises several transport-specific errors
        return {"ok": False, "answered": [], "error": str(exc)}
    answered = sorted(name for reply in replies for name in reply)
    return {"ok": bool(answered), "answered": answered}


def beat_state() -> dict:
    """When Celery beat last ran, and whether that is recent enough
    (``HEALTHZ_BEAT_STALE_SECONDS``). Reported, but the portal still serves
    pages without beat: it does not make the check fail."""
    if not settings.CELERY_BROKER_URL:
        return {"ok": True, "mode": "eager"}
    if _embedded(settings.CELERY_BROKER_URL):
        return {"ok": True, "mode": "embedded worker (no beat)"}
    try:
        last = beat_last_run()
    except Exception as exc:  # the cache (Redis) cannot be reached
        return {"ok": False, "last_run": None, "error": str(exc)}
    if last is None:
        return {"ok": False, "last_run": None}
    age = max(0.0, time.time() - last)
    return {
        "ok": age <= settings.HEALTHZ_BEAT_STALE_SECONDS,
        "last_run": datetime.datetime.fromtimestamp(last, tz=datetime.UTC).isoformat(),
        "seconds_ago": round(age),
    }
