"""The four languages are complete: every catalog of the project has each
message translated, none fuzzy, and passes gettext's own format checks
(placeholders kept, plural forms filled). `make catalogs` regenerates them
from the code; a new string without its translations fails here."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LANGUAGES = ("es", "fr", "zh_Hans")
APPS = ("metropolis", "members", "activities", "gender", "reports")
CATALOGS = [
    Path(settings.BASE_DIR) / app / "locale" / language / "LC_MESSAGES" / "django.po"
    for app in APPS
    for language in LANGUAGES
]

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: f"{p.parts[-5]}-{p.parts[-3]}")
def test_every_message_is_translated_and_none_is_fuzzy(catalog):
    assert catalog.exists(), f"{catalog} is missing"
    checked = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalog)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    statistics = checked.stderr.strip().splitlines()[-1]
    assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics
