"""Celery beat that leaves a trace: the scheduler records when it last ran in the
shared cache (Redis), so that ``/healthz`` can tell an operator whether the
periodic tasks (report recovery, reminders, retention) are being sent at all."""

import logging
import time

from celery.beat import PersistentScheduler
from django.core.cache import cache

logger = logging.getLogger(__name__)

BEAT_LAST_RUN_KEY = "beat:last-run"
# Beat records at most this often, and never sleeps longer, so the trace stays fresh.
RECORD_EVERY_SECONDS = 30.0


def beat_record(now: float | None = None) -> None:
    """Record that beat ran at ``now`` (a Unix time)."""
    cache.set(BEAT_LAST_RUN_KEY, time.time() if now is None else now, timeout=None)


def beat_last_run() -> float | None:
    """When beat last ran (a Unix time), or None if it never recorded a run."""
    return cache.get(BEAT_LAST_RUN_KEY)


class HeartbeatScheduler(PersistentScheduler):
    """Celery's file-backed scheduler, recording each of its ticks (at most every
    ``RECORD_EVERY_SECONDS``). A cache that cannot be reached is logged, never
    allowed to stop the schedule."""

    _recorded_at = float("-inf")

    def tick(self, *args, **kwargs) -> float:
        now = time.monotonic()
        if now - self._recorded_at >= RECORD_EVERY_SECONDS:
            try:
                beat_record()
                self._recorded_at = now
            except Exception:  # the cache's transport errors vary; the schedule goes on
                logger.warning("beat could not record its run in the cache", exc_info=True)
        return min(super().tick(*args, **kwargs), RECORD_EVERY_SECONDS)
