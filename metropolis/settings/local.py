"""Local development: DEBUG on, a fixed development secret, console e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")

# `make run` creates one demo account per role with a known password
# (ensure_demo_accounts); never in production or test settings.
DEMO_ACCOUNTS = env.bool("DEMO_ACCOUNTS", default=True)

# The embedded default's background worker. `make run` sets EMBEDDED_WORKER and
# starts a Celery worker beside the web server on kombu's SQLAlchemy transport
# over an SQLite file: a report request returns at once and its progress moves
# while the worker renders, with no Redis. (Without it, or with a Redis broker
# in CELERY_BROKER_URL, the base settings apply: eager tasks, or the broker.)
EMBEDDED_WORKER = env.bool("EMBEDDED_WORKER", default=False)
if EMBEDDED_WORKER and not CELERY_BROKER_URL:  # noqa: F405
    CELERY_BROKER_URL = f"sqla+sqlite:///{BASE_DIR / 'celery-broker.sqlite3'}"  # noqa: F405
if CELERY_BROKER_URL.startswith("sqla+"):  # noqa: F405
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_RESULT_BACKEND = None
    # Redis's options (visibility_timeout) mean nothing to SQLAlchemy's engine.
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
    # The web server and the worker share the SQLite database: in WAL mode a
    # long read (a report being laid out) never blocks a write (its progress).
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
        DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
            {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
        )
