"""A mailing sent by real Celery workers on the broker: every recipient gets
it once, even when the batch tasks are delivered several times and two worker
processes take batches at the same time."""

import email
import os
import time
from pathlib import Path

import pytest
from django.db import connection

from members.models import Mailing, MailingKind, MailingRecipient, MailingStatus, RecipientStatus
from members.selectors.segments import ACTIVE_MEMBERS
from members.services.mailings import mailing_save, mailing_send
from members.tasks import mailing_send_batch_task
from tests.members.factories import ContactFactory, MemberCityFactory, SecretariatFactory

pytestmark = pytest.mark.worker

LANGUAGES = ["en", "es", "fr", "zh-hans"]


def _sent_messages(folder: Path) -> list[email.message.Message]:
    """Every message the workers wrote (the file backend: one file per connection)."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


@pytest.fixture
def outbox(tmp_path, monkeypatch) -> Path:
    # Read by the worker subprocess: its messages go to files, sent without a rate limit.
    monkeypatch.setenv("TEST_EMAIL_FILE_PATH", str(tmp_path))
    monkeypatch.setenv("MAILING_MESSAGES_PER_SECOND", "0")
    return tmp_path


@pytest.mark.parametrize(
    "celery_worker_process", [2 if connection.vendor == "postgresql" else 1], indirect=True
)
def test_workers_send_each_recipient_once_even_with_duplicate_batch_tasks(
    outbox, celery_worker_process, settings
):
    settings.MAILING_MESSAGES_PER_SECOND = 0
    staff = SecretariatFactory()
    for n in range(60):
        member = MemberCityFactory(slug=f"worker-city-{n}")
        ContactFactory(
            member=member, email=f"focal{n}@worker.example.org", preferred_language=LANGUAGES[n % 4]
        )
    mailing = mailing_save(
        mailing=Mailing(
            kind=MailingKind.NEWS,
            segment=ACTIVE_MEMBERS,
            subject_en="Hello",
            body_en="Text",
            subject_es="Hola",
            body_es="Texto",
            subject_fr="Bonjour",
            body_fr="Texte",
            subject_zh_hans="你好",
            body_zh_hans="正文",
        ),
        by=staff,
    )
    started = time.monotonic()
    mailing_send(mailing=mailing, by=staff, base_url="https://portal.example.org")
    assert time.monotonic() - started < 5  # the request only queues it
    # Batch tasks delivered again and again, as a retry or a second worker would.
    for _ in range(4):
        mailing_send_batch_task.apply_async(args=[mailing.pk])

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        mailing.refresh_from_db()
        if mailing.status == MailingStatus.SENT:
            break
        time.sleep(0.5)
    assert mailing.status == MailingStatus.SENT
    assert MailingRecipient.objects.filter(mailing=mailing, status=RecipientStatus.SENT).count() == 60

    time.sleep(1)  # the last file is closed with its connection
    messages = _sent_messages(outbox)
    addresses = [message["To"] for message in messages]
    assert len(addresses) == 60
    assert len(set(addresses)) == 60
    subjects = {
        message["To"]: str(email.header.make_header(email.header.decode_header(message["Subject"])))
        for message in messages
    }
    assert subjects["focal0@worker.example.org"] == "Hello"
    assert subjects["focal1@worker.example.org"] == "Hola"
    assert subjects["focal3@worker.example.org"] == "你好"
    assert os.environ["TEST_EMAIL_FILE_PATH"] == str(outbox)
