"""The backup drill: back up the database and the files, drop them, restore,
and every table's row count and every file's checksum are what they were."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import Invoice, MemberCity
from metropolis.backup import Manifest, backup_make, backup_restore, file_checksums, table_counts
from reports.models import ReportKind, ReportRun, RunStatus
from tests.members.factories import ContactFactory, InvoiceFactory, MemberCityFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="backups are of PostgreSQL (pg_dump); .ci/run's second pass runs the drill",
    ),
]


def _records() -> None:
    member = MemberCityFactory(name="Lyon", name_en="Lyon", slug="lyon")
    member.logo.save("logo.png", ContentFile(b"\x89PNG logo bytes"), save=True)
    ContactFactory(member=member, name="Émilie Roux")
    InvoiceFactory(member=member)
    run = ReportRun.objects.create(
        kind=ReportKind.ANNUAL, year=2021, language="fr", status=RunStatus.SUCCEEDED, params_key="drill"
    )
    run.output.save("report.pdf", ContentFile(b"%PDF-1.4 the drill"), save=True)


def _drop_everything() -> None:
    call_command("flush", "--no-input", verbosity=0)
    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True)


def test_back_up_drop_and_restore_give_back_every_row_and_file(tmp_path):
    _records()
    counts, checksums = table_counts(), file_checksums()
    assert checksums["media"] and checksums["private"]

    folder = backup_make(into=tmp_path)
    _drop_everything()
    assert not MemberCity.objects.exists() and file_checksums() == {"media": {}, "private": {}}

    manifest = backup_restore(folder=folder)

    assert table_counts() == counts == manifest.tables
    assert file_checksums() == checksums == manifest.files
    assert MemberCity.objects.get().contacts.get().name == "Émilie Roux"
    assert Invoice.objects.count() == 1
    assert ReportRun.objects.get().output.read() == b"%PDF-1.4 the drill"


def test_the_commands_write_and_check_a_backup(tmp_path, capsys):
    _records()
    call_command("backup", "--into", str(tmp_path))
    (folder,) = tmp_path.iterdir()
    assert {path.name for path in folder.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "private.tar.gz",
        "manifest.json",
    }

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(folder))
    call_command("restore", str(folder), "--yes")
    assert "all checked" in capsys.readouterr().out


def test_a_restore_that_does_not_match_its_manifest_says_so(tmp_path):
    _records()
    folder = backup_make(into=tmp_path)
    manifest = Manifest.read(folder / "manifest.json")
    manifest.tables["members_membercity"] += 1
    (folder / "manifest.json").write_text(manifest.to_json())

    with pytest.raises(Exception, match="members_membercity"):
        backup_restore(folder=folder)
