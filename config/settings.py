"""Corroborate settings: one module, driven by the environment.

With no environment set the app runs embedded: SQLite under ``var/`` and Celery tasks run in-process
after commit. ``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch it to PostgreSQL, Redis and workers.
Bad values fail loudly at start-up instead of being guessed at.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from accounts.client_address import trusted_networks_parse

# Lets admin classes be written as ModelAdmin[Model] for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CORROBORATE_VAR_DIR", BASE_DIR / "var"))
# WordNet 3.0 for the checks (claims/detection/wordnet.py); Debian's wordnet-base puts it here.
WORDNET_DIR = Path(os.environ.get("CORROBORATE_WORDNET_DIR") or "/usr/share/wordnet")

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"  # noqa: S105 (public by design)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from error


RATE_PERIODS = ("second", "minute", "hour", "day")


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate, ``N/second``, ``N/minute``, ``N/hour`` or ``N/day`` (N a whole number)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    count, _, period = raw.strip().partition("/")
    if not (count.isascii() and count.isdigit() and int(count) > 0) or period not in RATE_PERIODS:
        raise ImproperlyConfigured(
            f"{name} must be a rate such as 120/minute (a whole number per {', '.join(RATE_PERIODS)}), "
            f"got {raw!r}"
        )
    return f"{int(count)}/{period}"


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key_from_file(path: Path) -> str:
    """The key kept in ``path``, made (random, readable by this user only) on first use.

    For ``docker compose up`` without a key in the environment: web, worker and beat share the file
    on one volume. O_EXCL decides which process writes it when they start together.
    """
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        import time

        time.sleep(0.1)  # the creating process has not written it yet
    raise ImproperlyConfigured(f"DJANGO_SECRET_KEY_FILE {path} is empty: delete it to have a new key made.")


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    secret_key_from_file(Path(os.environ["DJANGO_SECRET_KEY_FILE"]))
    if os.environ.get("DJANGO_SECRET_KEY_FILE")
    else DEVELOPMENT_SECRET_KEY
)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off: the development key is public."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# The organisation named as author of ClaimReview exports.
ORGANISATION_NAME = os.environ.get("CORROBORATE_ORGANISATION", "Corroborate Newsroom")
ORGANISATION_URL = os.environ.get("CORROBORATE_ORGANISATION_URL", "https://corroborate.example")
# Absolute base for ids in exports when a request is not at hand (management commands, tasks).
PUBLIC_BASE_URL = os.environ.get("CORROBORATE_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "accounts",
    "articles",
    "annotations",
    "claims",
]

MIDDLEWARE = [
    "config.guards.ApiJsonErrorsMiddleware",
    "config.guards.ApiAnonymousThrottleMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.guards.QueryNulMiddleware",
    "config.guards.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "claims.web.context.notification_bell",
            ],
            "builtins": ["config.template_filters"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres://, postgresql:// or sqlite://, got {DATABASE_URL!r}"
        )
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})
        # A request must not hang when PostgreSQL is gone: fail fast and let the 503 handler answer.
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 3))
        # Short statements over indexes: JIT compilation cost a check's counter refresh 50-150 ms
        # at 100k claims and saved nothing (a URL's own ?options= wins).
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "corroborate.sqlite3"),
            "OPTIONS": {
                # WAL lets the reader keep reading while a check writes its findings.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
if os.environ.get("DJANGO_TEST_DB_NAME"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["DJANGO_TEST_DB_NAME"]
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# export_data writes datetimes with their microseconds (Django's JSON keeps milliseconds).
SERIALIZATION_MODULES = {"jsonl-exact": "claims.serialization"}

# --- Cache ----------------------------------------------------------------------------------------
# API throttle counters live in the cache. The default is per process: with several gunicorn
# workers or hosts, point every process at one Redis so a rate means the same everywhere.
CACHE_URL = os.environ.get("CORROBORATE_CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"CORROBORATE_CACHE_URL must be a redis:// URL, got {CACHE_URL!r}")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- Auth -------------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling: five failures lock the username/IP pair out for fifteen minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every client arrives from the proxy's address: with the proxy listed here,
# the address comes from X-Forwarded-For (accounts.client_address), so a lockout (and an API
# throttle) applies to the client, not to everyone behind the proxy.
try:
    TRUSTED_PROXY_NETWORKS = trusted_networks_parse(env_list("CORROBORATE_TRUSTED_PROXIES", []))
except ValueError as error:
    raise ImproperlyConfigured(f"CORROBORATE_TRUSTED_PROXIES: {error}") from error
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_ip"

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the reader's fetch() calls read the token from the cookie
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# No inline scripts or styles anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Limits, each with an error message that names it (see README "Limits").
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("CORROBORATE_MAX_REQUEST_BYTES", 2 * 1024 * 1024)
ARTICLE_MAX_CHARS = env_int("CORROBORATE_ARTICLE_MAX_CHARS", 200_000)
ANNOTATION_MAX_CHARS = env_int("CORROBORATE_ANNOTATION_MAX_CHARS", 2_000)
CLAIM_MAX_CHARS = env_int("CORROBORATE_CLAIM_MAX_CHARS", 1_000)
API_MAX_PAGE_SIZE = env_int("CORROBORATE_API_MAX_PAGE_SIZE", 200)

# Importing articles from a URL (articles/fetch.py): one page, its redirects followed by hand.
FETCH_TIMEOUT_SECONDS = env_int("CORROBORATE_FETCH_TIMEOUT_SECONDS", 10)
FETCH_MAX_BYTES = env_int("CORROBORATE_FETCH_MAX_BYTES", 5 * 1024 * 1024)
# Off: addresses inside the newsroom network (private, loopback, link-local...) are refused.
FETCH_ALLOW_PRIVATE = env_bool("CORROBORATE_FETCH_ALLOW_PRIVATE", False)
if FETCH_TIMEOUT_SECONDS < 1 or FETCH_MAX_BYTES < 1024:
    raise ImproperlyConfigured(
        "CORROBORATE_FETCH_TIMEOUT_SECONDS must be at least 1 and CORROBORATE_FETCH_MAX_BYTES at least 1024"
    )

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "apicore.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # Per user (any of their tokens, or their session); the match endpoint adds its own lower rate;
    # failed authentication is counted per address by config.guards.ApiAnonymousThrottleMiddleware.
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_rate("CORROBORATE_API_RATE_USER", "3000/minute"),
        "match": env_rate("CORROBORATE_API_RATE_MATCH", "60/minute"),
        "anon": env_rate("CORROBORATE_API_RATE_ANONYMOUS", "60/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    # The docs page's assets come from this server (no CDN: offline newsrooms, and the CSP allows
    # only 'self').
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "Corroborate API",
    "DESCRIPTION": "Claims, their sources, findings and verdicts, for newsroom systems.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apicore.schema.forbid_unknown_request_fields",
        "claims.api.schema_hooks.claim_update_needs_a_change",
    ],
}

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"CELERY_BROKER_URL must be a redis:// URL, got {CELERY_BROKER_URL!r}")
# No broker configured means the embedded mode: tasks run in-process, after commit.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
if not CELERY_BROKER_URL:
    # Never reached in eager mode, but stops kombu from guessing a broker on localhost.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The hard limit stays below the visibility timeout, so a task is never redelivered while it runs.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT * 9 // 10)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
    # A web request that saves a claim must not hang on a broker that is down: the check waits in
    # the outbox and the relay sends it later.
    "socket_connect_timeout": 2,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "corroborate")
CELERY_BEAT_SCHEDULE = {
    "checks-relay": {
        "task": "claims.tasks.claim_checks_relay_task",
        "schedule": env_int("CHECK_RELAY_SECONDS", 10),
    },
    "checks-sweep-stuck": {
        "task": "claims.tasks.claim_checks_sweep_task",
        "schedule": env_int("CHECK_SWEEP_SECONDS", 15),
    },
    "notifications-relay": {"task": "claims.tasks.notification_mails_relay_task", "schedule": 30.0},
    "notifications-digests": {
        "task": "claims.tasks.notification_digests_send_task",
        "schedule": env_int("NOTIFICATION_DIGEST_SECONDS", 300),
    },
    "annotations-relay": {"task": "annotations.tasks.annotations_reanchor_relay_task", "schedule": 30.0},
    "triage-sweep": {"task": "claims.tasks.triage_sweep_task", "schedule": 30.0},
}
# Triage on arrival: every new article revision is matched against the stored claims and scored for
# check-worthiness by a worker. Off, new revisions are not triaged and the sweeper leaves triage alone.
TRIAGE_ON_ARRIVAL = env_bool("CORROBORATE_TRIAGE_ON_ARRIVAL", True)
# A check that has been running this long is considered stuck and is re-enqueued by the sweeper.
# Requests taken before check leases existed only; a leased one is taken over when its lease ends.
CHECK_STUCK_AFTER = timedelta(seconds=env_int("CHECK_STUCK_AFTER_SECONDS", CELERY_TASK_TIME_LIMIT * 2))
# A worker holds a running check for this long and renews the lease every quarter of it while the
# check runs; a killed worker's check is taken over once the lease ends (by the sweeper, every
# CHECK_SWEEP_SECONDS, or a redelivery): within CHECK_LEASE_SECONDS + CHECK_SWEEP_SECONDS.
CHECK_LEASE_SECONDS = env_int("CHECK_LEASE_SECONDS", 20)
if CHECK_LEASE_SECONDS < 4:
    raise ImproperlyConfigured("CHECK_LEASE_SECONDS must be at least 4: the worker renews it every quarter")
CHECK_LEASE = timedelta(seconds=CHECK_LEASE_SECONDS)

# --- Mail (notifications) -----------------------------------------------------------------------
# Without EMAIL_HOST, mail is printed on the console (development); with it, it goes over SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Corroborate <corroborate@localhost>")

# --- Detection ----------------------------------------------------------------------------------
DETECTION_CACHE_DIR = Path(os.environ.get("CORROBORATE_MODEL_CACHE", VAR_DIR / "models"))
DETECTION_INDEX_DIR = Path(os.environ.get("CORROBORATE_INDEX_DIR", VAR_DIR / "index"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Each task's start and success line would drown the output of management commands in the
    # embedded mode, where tasks run in-process.
    "loggers": {"axes": {"level": "WARNING"}, "celery.app.trace": {"level": "WARNING"}},
}
