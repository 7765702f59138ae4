"""Each settings mode imports cleanly; production passes the deployment checks."""

import os
import subprocess
import sys

import pytest

from tests.conftest import BASE_DIR

PRODUCTION_ENV = {
    "SECRET_KEY": "k8#Qz!p2Vw9Lr4Tn7Xs1Bc6Hj3Mf0Gd5Ye8Ua2Ri7Po4Ws1Zx9Cv6Bn3Ml0Kq5",
    "ALLOWED_HOSTS": "portal.metropolis.org",
}


def _run(args, settings_module, extra_env=None):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    env.update(extra_env or {})
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("module", "extra_env", "debug"),
    [
        ("metropolis.settings.base", {"SECRET_KEY": "x"}, "False"),
        ("metropolis.settings.local", {}, "True"),
        ("metropolis.settings.test", {}, "False"),
        ("metropolis.settings.production", PRODUCTION_ENV, "False"),
    ],
)
def test_settings_module_imports_cleanly(module, extra_env, debug):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = _run([sys.executable, "-c", code], module, extra_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == debug


def test_production_settings_refuse_to_start_without_a_secret():
    code = "import django; django.setup()"
    result = _run([sys.executable, "-c", code], "metropolis.settings.production", {"ALLOWED_HOSTS": "x.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "metropolis.settings.production",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_api_default_permission_requires_authentication():
    from django.conf import settings

    permissions = settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]
    assert permissions == ["rest_framework.permissions.IsAuthenticated"]
