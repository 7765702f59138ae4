"""Readiness of the services the portal depends on, for ``/healthz``."""

from django.conf import settings
from django.db import connection
from kombu import Connection


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
