"""The Celery application. Configuration comes from Django settings (``CELERY_*``);
without a broker, tasks run eagerly in the calling process."""

import os

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metropolis.settings.local")

app = Celery("metropolis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_after_commit(task, *args, task_id: str | None = None) -> None:
    """Send ``task`` with ``args`` once the current transaction commits.

    After a rollback nothing is sent, so a worker never sees a row that does
    not exist. Outside a transaction the task is sent at once. Tasks take IDs,
    never model instances.
    """
    transaction.on_commit(lambda: task.apply_async(args=args, task_id=task_id))


@app.task(name="metropolis.worker_probe", ignore_result=False)
def worker_probe(user_id: int) -> str | None:
    """Report the e-mail of user ``user_id`` as the worker's database sees it.

    Used to check that a worker runs on the same database as the web process and
    only sees committed rows.
    """
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).only("email").first()
    return user.email if user else None
