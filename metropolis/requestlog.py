"""A request id on every log line, and one line per request.

Each request gets an id: the ``X-Request-ID`` the HTTPS front (Caddy) set, when
the portal runs behind proxies it trusts (``TRUSTED_PROXY_COUNT``) and the id
looks like one; a new one otherwise, so a client cannot choose it. The id is
sent back in the response's ``X-Request-ID``, tagged on Sentry's reports, and
added to every log record written while the request runs (``RequestIdFilter``),
as the id of the running task is inside a Celery worker.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

import sentry_sdk
from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

logger = logging.getLogger("metropolis.requests")


def request_id_for(request: HttpRequest) -> str:
    forwarded = request.META.get("HTTP_X_REQUEST_ID", "")
    if settings.TRUSTED_PROXY_COUNT and _VALID_ID.match(forwarded):
        return forwarded
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        token = current_request_id.set(request_id)
        sentry_sdk.set_tag("request_id", request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (the request being served) and ``task_id`` (the
    Celery task being run) to each record, None outside either."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        record.task_id = _current_task_id()
        return True


def _current_task_id() -> str | None:
    from celery import current_task

    task_request = getattr(current_task, "request", None)
    return getattr(task_request, "id", None)
