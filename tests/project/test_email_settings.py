"""Outgoing e-mail through any backend the settings name: SMTP by default in
production, the console in local mode, and whatever EMAIL_BACKEND says."""

import sys

from tests.project.test_settings_modes import PRODUCTION_ENV, _run

CODE = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"


def test_production_sends_through_smtp_by_default():
    result = _run([sys.executable, "-c", CODE], "metropolis.settings.production", PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1] == "django.core.mail.backends.smtp.EmailBackend"


def test_local_mode_prints_e_mail_to_the_console():
    result = _run([sys.executable, "-c", CODE], "metropolis.settings.local")
    assert result.stdout.strip().splitlines()[-1] == "django.core.mail.backends.console.EmailBackend"


def test_any_backend_can_be_named_in_the_environment():
    env = {**PRODUCTION_ENV, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}
    result = _run([sys.executable, "-c", CODE], "metropolis.settings.production", env)
    assert result.stdout.strip().splitlines()[-1] == "django.core.mail.backends.filebased.EmailBackend"
