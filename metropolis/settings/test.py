"""Test settings: the same database and broker variables as ``local``, a fast
password hasher, and files written to a temporary media folder."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, env, redis_cache_url

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="test-only-not-secret")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker subprocess started by a test writes its messages to files there, for
# the test to read (its locmem outbox is in another process).
if env("TEST_EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH")
# A worker subprocess started by a test is given the same folder (TEST_MEDIA_ROOT).
MEDIA_ROOT = env("TEST_MEDIA_ROOT", default="") or tempfile.mkdtemp(prefix="metropolis-test-media-")
PRIVATE_MEDIA_ROOT = env("TEST_PRIVATE_MEDIA_ROOT", default="") or tempfile.mkdtemp(
    prefix="metropolis-test-private-"
)
if FILE_STORAGE == "local":  # noqa: F405
    STORAGES = {
        **STORAGES,  # noqa: F405
        "private": {
            "BACKEND": "metropolis.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
        },
    }

# Each pytest-xdist process gets its own Redis database, so that a worker started
# by one process never takes a task meant for another process's test database.
_xdist = os.environ.get("PYTEST_XDIST_WORKER", "")
if CELERY_BROKER_URL and _xdist.startswith("gw"):
    _index = 1 + int(_xdist[2:])
    CELERY_BROKER_URL = CELERY_BROKER_URL.rsplit("/", 1)[0] + f"/{_index}"
    CELERY_RESULT_BACKEND = CELERY_BROKER_URL
    # Celery prefers the environment variable to the setting: keep them equal.
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
    # And its own cache database, next to its broker's.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_cache_url(CELERY_BROKER_URL),
            "KEY_PREFIX": "metropolis",
        }
    }

# A worker subprocess must see the test database: with SQLite that means a file
# (without a broker there is no worker, and an in-memory database is faster).
if CELERY_BROKER_URL and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {
        "NAME": str(env.path("TEST_SQLITE_PATH", default=f"/tmp/metropolis-test-{_xdist or 'main'}.sqlite3"))
    }
STATIC_ROOT = tempfile.mkdtemp(prefix="metropolis-test-static-")
