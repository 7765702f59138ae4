"""Settings shared by every mode, read from the environment through django-environ."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is optional; real deployments set the variables themselves.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "metropolis.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "members",
    "activities",
    "gender",
    "reports",
    # The project's own commands (the dataset loader), a composition root above the apps.
    "metropolis",
]

MIDDLEWARE = [
    # First, so that every line logged while serving a request carries its id.
    "metropolis.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "metropolis.middleware.RejectNullCharactersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in: the session's second factor, then the second step for
    # every account that has (or must have) one.
    "django_otp.middleware.OTPMiddleware",
    "members.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# Security headers on every response, the admin's included. Scripts come only
# from the portal's own static files: no inline script, no handler attribute,
# except django-import-export's one "select every field" toggle, allowed by its
# hash. Inline style attributes stay allowed (the admin and the charts use them);
# nothing is loaded from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "'unsafe-hashes'", "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
# Browser features the portal does not use are switched off; the camera is
# allowed on the portal's own pages (scanning a badge's QR code at the door).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": ["self"],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

ROOT_URLCONF = "metropolis.urls"
WSGI_APPLICATION = "metropolis.wsgi.application"
ASGI_APPLICATION = "metropolis.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Embedded default: an SQLite file in the project folder. PostgreSQL via
# DATABASE_URL=postgres://user@host:5432/name (psycopg 3).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Two-factor sign-in (an authenticator app and recovery codes): required for
# the secretariat and communications when true (always in production),
# optional for every account.
TWO_FACTOR_REQUIRED_FOR_STAFF = env.bool("TWO_FACTOR_REQUIRED_FOR_STAFF", default=False)
# The name the authenticator app shows for the portal's entry.
OTP_TOTP_ISSUER = "Metropolis Portal"
# How long a member city's invitation link to the portal works (members.tokens).
PORTAL_INVITATION_TIMEOUT = 7 * 24 * 60 * 60  # seconds
# How long the link that verifies the address of a person who signed up works (members.tokens).
EMAIL_VERIFICATION_TIMEOUT = 3 * 24 * 60 * 60  # seconds

# Languages of the portal and of the reports.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "metropolis" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="Europe/Madrid")

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "/static/"
# collectstatic writes here; in production the HTTPS front (Caddy) serves it.
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Public files (city logos) under MEDIA_URL; private files (rendered reports,
# attachments, certificates, personal-data exports) in their own place, never
# publicly addressable: views that check the permission serve them
# (``metropolis.storage``). Where both live is chosen by the environment:
# - the local file system (the default), for one machine: MEDIA_ROOT, served
#   under /media/ by the HTTPS front, and PRIVATE_MEDIA_ROOT, served by nothing;
# - S3-compatible buckets (FILE_STORAGE=s3) when workers run on several
#   machines: a public bucket for the logos and a private one, whose objects
#   carry no public grant and get no address (the portal streams them).
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private"))
FILE_STORAGE = env.str("FILE_STORAGE", default="local")
if FILE_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"FILE_STORAGE must be 'local' or 's3', not {FILE_STORAGE!r}")


def s3_storages(environment: environ.Env) -> dict[str, dict]:
    """The public and private storages on S3-compatible buckets (AWS, MinIO,
    Scaleway, OVH...), read from the ``S3_*`` variables."""
    # An empty variable (compose passes them all through) means "not set".
    common = {
        "endpoint_url": environment("S3_ENDPOINT_URL", default="") or None,
        "region_name": environment("S3_REGION", default="") or None,
        "access_key": environment("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": environment("S3_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": environment("S3_ADDRESSING_STYLE", default="") or None,
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": "metropolis.storage.PublicS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": environment("S3_PUBLIC_BUCKET"),
                # Where browsers fetch the logos: the bucket's own address unless a
                # CDN or the HTTPS front answers for it.
                "custom_domain": environment("S3_PUBLIC_DOMAIN", default="") or None,
            },
        },
        "private": {
            "BACKEND": "metropolis.storage.PrivateS3Storage",
            "OPTIONS": {**common, "bucket_name": environment("S3_PRIVATE_BUCKET")},
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "metropolis.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if FILE_STORAGE == "s3":
    STORAGES.update(s3_storages(env))

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Metropolis Portal <portal@metropolis.org>")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Mailings to the members' contacts (members.services.mailing_delivery): a worker
# sends a batch of recipients per task, at most this many messages a second
# (0: no limit), and a mailing whose sending stopped this long ago is resumed.
MAILING_BATCH_SIZE = env.int("MAILING_BATCH_SIZE", default=100)
MAILING_MESSAGES_PER_SECOND = env.float("MAILING_MESSAGES_PER_SECOND", default=10.0)
MAILING_STALE_AFTER_SECONDS = env.int("MAILING_STALE_AFTER_SECONDS", default=900)
# How long the personal data of a former contact is kept (members.services.personal_data).
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=2)

# The portal's address as e-mails link to it (registration links, sent also by
# scheduled tasks that have no request to read it from).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Login protection (django-axes): 5 failures per account and address, then a
# 30-minute cool-off rather than a permanent lock. The account is counted
# whatever the letter case of its e-mail address, and attempts during the
# cool-off do not extend it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "members.lockout.lockout_username"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client's address: REMOTE_ADDR, unless the portal runs behind proxies it
# trusts (TRUSTED_PROXY_COUNT of them, e.g. 1 behind Caddy), whose
# X-Forwarded-For then names the client (metropolis.proxies). A forwarded
# header is never believed without a configured proxy count, so a client cannot
# choose its address, nor share the proxy's with everyone.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "metropolis.proxies.client_address"
# The lockout page says, in the visitor's language, when they can try again.
AXES_LOCKOUT_CALLABLE = "members.views.login_locked_out"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Integrations send "Authorization: Token <key>" (keys created and revoked by the
        # secretariat in the admin); first, so that a request without credentials gets 401.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per account (anonymous requests per address); the counts live in the default cache.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": "2000/hour",
        # Registrations for events, from anonymous visitors (the public form and API), per address.
        "public-registration": env("PUBLIC_REGISTRATION_RATE", default="30/minute"),
    },
    # Anonymous requests are throttled per client address, behind the same proxies.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Metropolis Portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The API's records share field names ("status", "kind"): one name per set of choices.
    "ENUM_NAME_OVERRIDES": {
        "MemberStatusEnum": "members.models.MemberStatus",
        "MemberKindEnum": "members.models.MemberKind",
        "InvoiceStatusEnum": "members.models.InvoiceStatus",
        "FeeStatusEnum": "members.selectors.fees.FeeStatus",
        "EventKindEnum": "activities.models.EventKind",
        "LearningKindEnum": "activities.models.LearningKind",
        "PublicationKindEnum": "activities.models.PublicationKind",
        "PlatformKindEnum": "activities.models.PlatformKind",
        "MeasureKindEnum": "activities.models.MeasureKind",
        "ProjectStatusEnum": "activities.models.ProjectStatus",
        "DeliverableStatusEnum": "activities.models.DeliverableStatusChoice",
        "ReportKindEnum": "reports.models.ReportKind",
        "RunStatusEnum": "reports.models.RunStatus",
        "RegistrationStatusEnum": "activities.models.RegistrationStatus",
        "RegistrantRoleEnum": "activities.models.RegistrantRole",
        "RegistrantGenderEnum": "activities.models.RegistrantGender",
        "GenderEnum": "members.models.Gender",
        "AttendanceModeEnum": "activities.models.AttendanceMode",
        "LanguageEnum": LANGUAGES,
    },
}

# Celery. With no broker configured, tasks run eagerly in the calling process
# (the embedded default); with CELERY_BROKER_URL (Redis) they go to workers.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only when it has finished, and a task whose worker died
# is put back on the queue: a killed worker never loses a job.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# Report rendering is the longest job (hard limit below); Redis must not hand an
# unacknowledged message to a second worker before that job could have ended.
REPORT_TASK_SOFT_TIME_LIMIT = 900
REPORT_TASK_TIME_LIMIT = 1200
# A worker rendering a report beats every REPORT_RUN_HEARTBEAT_SECONDS; a run
# without a beat for REPORT_RUN_STALE_SECONDS is taken over by another worker
# (reports.services.report_runs_recover, every minute through beat).
REPORT_RUN_HEARTBEAT_SECONDS = env.int("REPORT_RUN_HEARTBEAT_SECONDS", default=15)
REPORT_RUN_STALE_SECONDS = env.int("REPORT_RUN_STALE_SECONDS", default=90)
# New report runs an account may ask for in an hour (a run already queued or
# running for the same report is returned, not counted again).
REPORT_RUNS_PER_HOUR = env.int("REPORT_RUNS_PER_HOUR", default=20)
# Finished runs older than this are deleted with their file, except the latest
# successful run of each report (the figures they froze stay in their edition).
REPORT_RUN_RETENTION_DAYS = env.int("REPORT_RUN_RETENTION_DAYS", default=90)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# When the broker is down, a request that sends a task gives up within seconds
# (and says so) instead of hanging: what could not be sent is sent again later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"reports.tasks.*": {"queue": "reports"}}
CELERY_WORKER_QUEUES = "default,reports"
CELERY_BEAT_SCHEDULE = {
    # Fee reminders for overdue invoices, every morning; a stage already sent is never sent again.
    "members-fee-reminders": {"task": "members.fee_reminders_send", "schedule": crontab(hour=7, minute=0)},
    # Report runs the broker never received, or whose worker died, are sent again.
    "reports-recover-runs": {
        "task": "reports.recover_runs",
        "schedule": env.float("REPORT_RUN_RECOVER_EVERY_SECONDS", default=60.0),
    },
    # Old report runs and their files are deleted (the latest of each report is kept).
    "reports-prune-runs": {"task": "reports.prune_runs", "schedule": crontab(hour=3, minute=30)},
    # Mailings: start the scheduled ones whose time has come, resume any whose worker was lost.
    "members-mailings-due": {"task": "members.mailings_send_due", "schedule": crontab(minute="*")},
    # Erase the personal data of former contacts kept longer than the retention period.
    "members-personal-data-retention": {
        "task": "members.personal_data_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    # Event registration: reminders before events, offers of places not confirmed in
    # time, and the anonymisation of registrants past their event's retention period.
    "activities-registration-reminders": {
        "task": "activities.registration_reminders",
        "schedule": crontab(minute=5),
    },
    "activities-registration-offers-expire": {
        "task": "activities.registration_offers_expire",
        "schedule": crontab(minute="*/10"),
    },
    "activities-registrations-anonymise": {
        "task": "activities.registrations_anonymise",
        "schedule": crontab(hour=3, minute=30),
    },
}
CELERY_TIMEZONE = TIME_ZONE
# Beat records each run in the cache, for /healthz (metropolis.beat).
CELERY_BEAT_SCHEDULER = "metropolis.beat:HeartbeatScheduler"
# /healthz: how long it waits for workers to answer a ping, and after how long
# without a run beat is reported as stale.
HEALTHZ_PING_TIMEOUT = env.float("HEALTHZ_PING_TIMEOUT", default=1.0)
HEALTHZ_BEAT_STALE_SECONDS = env.int("HEALTHZ_BEAT_STALE_SECONDS", default=180)


def redis_cache_url(broker_url: str) -> str:
    """The Redis database next to the broker's: ``cache.clear()`` empties a
    whole database, which must never hold the broker's queues."""
    base, _, database = broker_url.rpartition("/")
    index = int(database) if database.isdigit() else 0
    return f"{base}/{(index + 8) % 16}"


# The cache (throttle counters, computed comparisons): Redis when one is
# configured (CACHE_URL, or next to a Redis broker), shared by every process;
# otherwise each process's memory (the embedded default).
CACHE_URL = env("CACHE_URL", default="") or (
    redis_cache_url(CELERY_BROKER_URL) if CELERY_BROKER_URL.startswith("redis") else ""
)
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "metropolis",
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Logs on standard output, one JSON object a line (LOG_FORMAT=json, the
# production default) or plain text; each line carries the id of the request
# or of the Celery task it belongs to (metropolis.requestlog).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "metropolis.requestlog.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
# Celery workers log through the same configuration instead of their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reports to Sentry (or a compatible service) when SENTRY_DSN is set; off
# otherwise. No personal data is sent (no cookies, no user e-mail).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# django-import-export: an import is previewed first and then commits all of its
# rows or none; each row is validated with the model's full_clean() (the
# resources set clean_model_instances).
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Importing writes records: it needs the change permission, so that the
# communications team's read-only admin cannot import.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
# An import is checked and written within one request: larger files are refused
# with a message that says to split them (a 60,000-row file outlived the
# server's timeout).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
