"""Django settings for Siaga. Every value that differs between machines comes
from the environment through the typed readers in ``siaga.env``; all of them
are listed, with a comment, in ``.env.example``. SQLite needs no variable."""

from __future__ import annotations

import os
from pathlib import Path

from siaga.env import env_bool, env_choice, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("SIAGA_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("SIAGA_DEBUG", False)
PRODUCTION = env_bool("SIAGA_PRODUCTION", False)
SECRET_KEY = env_str("SIAGA_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SIAGA_SECRET_KEY (or SIAGA_SECRET_KEY_FILE) must be set in production")
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("SIAGA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SIAGA_CSRF_TRUSTED_ORIGINS", [])
#: Addresses of the reverse proxies (nginx) whose X-Forwarded-For gives the client's address.
TRUSTED_PROXIES = env_list("SIAGA_TRUSTED_PROXIES", [])
SITE_URL = env_str("SIAGA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # Siaga's apps, lowest layer first (a lower app never imports a higher one).
    "web",
    "ops",
    "accounts",
    "people",
    "imports",
    "curriculum",
    "training",
    "credentials",
    "hours",
    "certification",
    "readiness",
    "privacy",
]

MIDDLEWARE = [
    "siaga.middleware.ForwardedForMiddleware",
    "siaga.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.RequestContextMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "web.middleware.UserTimezoneMiddleware",
    "web.middleware.SecurityHeadersMiddleware",
    "siaga.middleware.OutOfRangeMiddleware",
]

ROOT_URLCONF = "siaga.urls"
WSGI_APPLICATION = "siaga.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "web.context_processors.siaga",
            ],
        },
    }
]

_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": parse_database_url(_database_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "siaga.sqlite3"),
        }
    }
_db = DATABASES["default"]
if _db["ENGINE"].endswith("sqlite3"):
    # WAL lets readers and one writer work at once; IMMEDIATE transactions take the
    # write lock at BEGIN so concurrent writers queue instead of failing mid-way.
    # Siaga's SQLite backend adds a kernel lock that hands the write lock over without SQLite's
    # sleep-and-poll waits (decision 0012).
    _db["ENGINE"] = "siaga.db.sqlite"
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SIAGA_SQLITE_TIMEOUT", 30, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
    }
    # ":memory:" spelled out: test runners (pytest-django under xdist) treat a missing name of an engine
    # other than django.db.backends.sqlite3 as a file name to suffix.
    _db["TEST"] = {"NAME": env_str("SIAGA_TEST_SQLITE_NAME", "") or ":memory:"}
    # Reusing the connection saves SQLite re-reading the schema on every request (a few ms).
    _db["CONN_MAX_AGE"] = env_int("SIAGA_DB_CONN_MAX_AGE", 600, minimum=0)
else:
    _db["CONN_MAX_AGE"] = env_int("SIAGA_DB_CONN_MAX_AGE", 0, minimum=0)
    _db.setdefault("OPTIONS", {})
    if env_bool("SIAGA_DB_PREPARED", True):
        # Parameters bound by the server, and a statement run five times on one connection is
        # prepared: PostgreSQL then skips parsing and planning it (decision 0015). Off behind a
        # pooler in transaction mode that does not track prepared statements.
        _db["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
    if env_bool("SIAGA_DB_POOL", False):
        _db["OPTIONS"]["pool"] = {"min_size": 1, "max_size": env_int("SIAGA_DB_POOL_MAX", 10, minimum=1)}
        _db["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

#: Admin roles (accounts.roles.TWO_FACTOR_ROLES) must sign in with a TOTP code; their next login enrols them.
REQUIRE_TWO_FACTOR = env_bool("SIAGA_REQUIRE_2FA", False)

SESSION_COOKIE_AGE = env_int("SIAGA_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Times are stored in UTC and shown in the user's zone (WIB/WITA/WIT), see web.middleware.
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "siaga_language"
USE_THOUSAND_SEPARATOR = True  # "1.665"; numbers a browser sends back use |unlocalize
#: Dates with the month written out ("7 September 2020"), see siaga/formats/id/formats.py.
FORMAT_MODULE_PATH = ["siaga.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(env_str("SIAGA_MEDIA_ROOT", str(DATA_DIR / "media")))
# Uploaded files are never served directly: views stream them after an access check.
MEDIA_URL = "/media-not-served/"
# Uploaded and generated files: the filesystem (MEDIA_ROOT), or S3-compatible object storage
# (MinIO, Ceph, AWS S3, ...) through django-storages when SIAGA_S3_BUCKET is set. Either way every
# file is read and written through the storage API (web.files) and delivered only after an access check.
S3_BUCKET = env_str("SIAGA_S3_BUCKET", "")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("SIAGA_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("SIAGA_S3_REGION", "") or None,
            "access_key": env_str("SIAGA_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("SIAGA_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("SIAGA_S3_PREFIX", "").strip("/"),
            "addressing_style": env_choice("SIAGA_S3_ADDRESSING_STYLE", ("path", "virtual", "auto"), "path"),
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("SIAGA_FILE_URL_SECONDS", 60, minimum=5),
            # Like the filesystem: a new file never silently replaces another of the same name.
            "file_overwrite": False,
            "verify": env_bool("SIAGA_S3_VERIFY_TLS", True),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
#: "stream": protected files pass through the app server; "redirect" (object storage only): after the
#: access check the app answers with a presigned URL valid for FILE_URL_SECONDS.
FILE_DELIVERY = env_choice("SIAGA_FILE_DELIVERY", ("stream", "redirect"), "stream")
FILE_URL_SECONDS = env_int("SIAGA_FILE_URL_SECONDS", 60, minimum=5)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

UPLOAD_MAX_BYTES = env_int("SIAGA_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
IMPORT_MAX_ROWS = env_int("SIAGA_IMPORT_MAX_ROWS", 1_100_000, minimum=1)

#: Retention periods (``siaga retention``; rules, their legal basis and defaults in ``privacy/retention.py``
#: and docs/decisions/0009-retention-and-personal-data-export.md). A period of 0 turns its rule off.
RETENTION = {
    "import_days": env_int("SIAGA_RETAIN_IMPORT_DAYS", 30, minimum=0),
    "rejected_evidence_days": env_int("SIAGA_RETAIN_REJECTED_EVIDENCE_DAYS", 180, minimum=0),
    "certificate_job_days": env_int("SIAGA_RETAIN_CERTIFICATE_JOB_DAYS", 30, minimum=0),
    "callup_days": env_int("SIAGA_RETAIN_CALLUP_DAYS", 730, minimum=0),
    "token_days": env_int("SIAGA_RETAIN_TOKEN_DAYS", 90, minimum=0),
    "task_result_days": env_int("SIAGA_RETAIN_TASK_RESULT_DAYS", 30, minimum=0),
    "audit_detail_years": env_int("SIAGA_RETAIN_AUDIT_DETAIL_YEARS", 5, minimum=0),
    "inactive_person_years": env_int("SIAGA_RETAIN_INACTIVE_PERSON_YEARS", 5, minimum=0),
}
RETENTION_BATCH = env_int("SIAGA_RETENTION_BATCH", 500, minimum=1)

EMAIL_BACKEND = env_str("SIAGA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("SIAGA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SIAGA_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("SIAGA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("SIAGA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SIAGA_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("SIAGA_EMAIL_FROM", "Siaga <siaga@kemensos.go.id>")

_TASK_BACKEND = env_choice(
    "SIAGA_TASK_BACKEND",
    (
        "django_tasks_db.DatabaseBackend",
        "ops.task_backend.DatabaseBackend",
        "django_tasks.backends.immediate.ImmediateBackend",
    ),
    "django_tasks_db.DatabaseBackend",
)
TASKS = {
    "default": {
        # the database queue is always Siaga's subclass (its task row is one plain INSERT)
        "BACKEND": {"django_tasks_db.DatabaseBackend": "ops.task_backend.DatabaseBackend"}.get(
            _TASK_BACKEND, _TASK_BACKEND),
    }
}

# Processes that draw certificate PDFs in a bulk run (1: draw in the task's own process).
CERTIFICATE_RENDER_WORKERS = env_int("SIAGA_CERTIFICATE_WORKERS", min(2, os.cpu_count() or 1), minimum=1)

_redis_url = env_str("REDIS_URL", "")
if _redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "siaga",
        }
    }

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SIAGA_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SIAGA_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = env_choice("SIAGA_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")
LOG_FORMAT = env_choice("SIAGA_LOG_FORMAT", ("plain", "json"), "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "siaga.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
#: When set, /metrics requires "Authorization: Bearer <token>" (Prometheus bearer_token).
METRICS_TOKEN = env_str("SIAGA_METRICS_TOKEN", "")
