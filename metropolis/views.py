"""Site-wide views: the portal home page and the health check."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import beat_state, broker_state, database_state, workers_state


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The database, the broker and the workers must answer (503 otherwise);
    when beat last ran is reported alongside."""
    checks = {"database": database_state(), "broker": broker_state()}
    checks["workers"] = (
        workers_state() if checks["broker"]["ok"] else {"ok": False, "answered": [], "error": "no broker"}
    )
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks, "beat": beat_state()},
        status=200 if healthy else 503,
    )
