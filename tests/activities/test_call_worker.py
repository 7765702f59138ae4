"""With a broker, the review engine's e-mails go from a real Celery worker once
the change is committed: a juror's invitation is recorded as sent by the
worker, which saw the committed juror."""

import time

import pytest

from activities.models import Juror
from activities.services.jury import juror_invite
from tests.activities.call_factories import CallFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_jurors_invitation_is_sent_by_the_worker_after_commit(celery_worker_process):
    call = CallFactory()

    juror = juror_invite(
        call=call,
        email="jury@lyon.example.org",
        full_name="Claire Martin",
        country="FR",
        base_url="http://testserver/",
        by=None,
    )

    deadline = time.monotonic() + 30
    while Juror.objects.get(pk=juror.pk).invitation_sent_at is None:
        assert time.monotonic() < deadline, "the worker did not send the invitation"
        time.sleep(0.2)
