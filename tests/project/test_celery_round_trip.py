"""Tasks sent from a transaction reach a real worker only after commit."""

import uuid

import pytest
from celery.result import AsyncResult
from django.db import transaction

from members.models import User
from metropolis.celery import enqueue_after_commit, worker_probe

pytestmark = pytest.mark.worker


def test_task_enqueued_in_a_transaction_runs_after_commit(celery_worker_process):
    task_id = str(uuid.uuid4())
    with transaction.atomic():
        user = User.objects.create_user(email="focal.point@example.org", password="x")
        enqueue_after_commit(worker_probe, user.pk, task_id=task_id)
        # Inside the transaction nothing has been sent yet.
        assert AsyncResult(task_id).state == "PENDING"
    # The worker saw the committed row.
    assert AsyncResult(task_id).get(timeout=30) == "focal.point@example.org"


def test_task_enqueued_in_a_rolled_back_transaction_never_runs(celery_worker_process):
    rolled_back_id = str(uuid.uuid4())
    with pytest.raises(RuntimeError), transaction.atomic():
        user = User.objects.create_user(email="gone@example.org", password="x")
        enqueue_after_commit(worker_probe, user.pk, task_id=rolled_back_id)
        raise RuntimeError("roll back")
    # A task sent afterwards on the same single-process worker finishes; had the
    # first one been sent, it would have run before it.
    sentinel_id = str(uuid.uuid4())
    enqueue_after_commit(worker_probe, 0, task_id=sentinel_id)
    assert AsyncResult(sentinel_id).get(timeout=30) is None
    assert AsyncResult(rolled_back_id).state == "PENDING"
    assert not User.objects.filter(email="gone@example.org").exists()
