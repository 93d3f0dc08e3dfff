"""Enlace settings, read from the environment.

Every secret can also be given as a file: ``ENLACE_SECRET_KEY_FILE`` instead of
``ENLACE_SECRET_KEY``, and so on, which is how container secrets arrive.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets generic admin and queryset classes be subscripted at run time, as mypy wants.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("ENLACE_VAR_DIR", BASE_DIR / "var"))


def envget(name: str, default: str | None = None) -> str | None:
    """Read ``name`` from the environment, or from the file ``name_FILE`` names."""
    if path := os.getenv(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.getenv(name, default)


def envbool(name: str, default: str) -> bool:
    """Read a yes/no setting: true/false, 1/0, yes/no or on/off, in any case.

    Anything else is refused, so that a typo never quietly means false.
    """
    value = (envget(name, default) or "").strip()
    if value.lower() in ("true", "1", "yes", "on"):
        return True
    if value.lower() in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (or 1/0, yes/no, on/off), not {value!r}."
    )


def envlist(name: str) -> list[str]:
    return [v.strip() for v in (envget(name) or "").split(",") if v.strip()]


# "development" invents and keeps local keys under var/ so that a fresh clone runs;
# "production" refuses to start without every secret given explicitly.
ENVIRONMENT = envget("ENLACE_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"


def _development_secrets() -> dict[str, str]:
    path = VAR_DIR / "development-secrets.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    values = {
        "secret_key": secrets.token_urlsafe(50),
        "encryption_key": Fernet.generate_key().decode(),
        "linkage_key": secrets.token_urlsafe(32),
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, indent=2))
    path.chmod(0o600)
    return values


def _secret(name: str, dev_name: str) -> str:
    value = envget(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set in production.")
    return _development_secrets()[dev_name]


SECRET_KEY = _secret("ENLACE_SECRET_KEY", "secret_key")
# Comma-separated Fernet keys; the first encrypts, all decrypt (rotation).
ENCRYPTION_KEYS = [k for k in _secret("ENLACE_ENCRYPTION_KEYS", "encryption_key").split(",") if k]
# Keyed linkage tokens use their own key: knowing it never decrypts an identity.
LINKAGE_KEY = _secret("ENLACE_LINKAGE_KEY", "linkage_key")

# Off unless asked for, in every environment: Django's debug pages show tracebacks,
# settings and the URL configuration to whoever makes a request fail.
DEBUG = envbool("ENLACE_DEBUG", "false")
ALLOWED_HOSTS = envlist("ENLACE_ALLOWED_HOSTS") or (
    [] if PRODUCTION else ["127.0.0.1", "localhost"]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Recovery codes: single-use codes for when the phone is not at hand.
    "django_otp.plugins.otp_static",
    "enlace.core",
    "enlace.directory",
    "enlace.accounts",
    "enlace.audit",
    "enlace.registry",
    "enlace.linkage",
    "enlace.referrals",
    "enlace.assistance",
    "enlace.immigration",
    "enlace.funds",
    "enlace.capacity",
    "enlace.justice",
    "enlace.cases",
    "enlace.statistics",
    "enlace.reports",
    "enlace.demo",
    "enlace.exchange",
    "enlace.api",
    "enlace.ops",
    # Background tasks: Django's task API (the django-tasks backport) and its database
    # backend, whose worker is `enlace worker` (docs/deployment.md).
    "django_tasks",
    "django_tasks_db",
    # Serves the API's interactive docs from local static files, not a CDN.
    "ninja",
    "enlace.web",
]

MIDDLEWARE = [
    # First, so that every log line of the request carries its id.
    "enlace.audit.middleware.RequestIdMiddleware",
    # One log line per request: method, path without its query, status, time.
    "enlace.ops.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ itself (runserver does not once DEBUG is off); before the rest,
    # which a stylesheet does not need.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Marks the session for SessionMiddleware to save when its last save is a minute old.
    "enlace.accounts.middleware.SessionRenewMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "enlace.accounts.middleware.AccessDeniedAuditMiddleware",
    "enlace.accounts.middleware.SecondFactorMiddleware",
    "enlace.accounts.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Every template lives in its app's templates/ folder.
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "enlace.accounts.context_processors.membership",
            ],
        },
    },
]

# Persistent connections in production (a new PostgreSQL connection per request
# costs more than many a page), checked before reuse so that one the database
# dropped is replaced rather than failing a request. Development opens one per request.
DATABASES = {
    "default": dj_database_url.parse(
        envget("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'enlace.sqlite3'}",
        conn_max_age=int(envget("ENLACE_DB_CONN_MAX_AGE", "600" if PRODUCTION else "0") or 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A test database in a file, not in memory, so a test can read the bytes on disk.
    DATABASES["default"]["TEST"] = {
        "NAME": envget("ENLACE_TEST_DATABASE") or str(VAR_DIR / "test-enlace.sqlite3")
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": envget("ENLACE_TEST_DATABASE", "test_enlace")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Argon2id hashes new passwords; a PBKDF2 hash still verifies and is rehashed
# with Argon2 at the user's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while its username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(envget("ENLACE_SESSION_SECONDS", "1800") or 1800)
# The idle timeout counts from the session's last save: accounts.middleware.SessionRenewMiddleware
# saves it when that is a minute old, rather than on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from the page, never from the cookie.
CSRF_COOKIE_HTTPONLY = True

# Login throttling (django-axes): after this many failed sign-ins for one
# username from one address, that pair is refused until the cool-off ends.
# Keyed on the pair so that an attacker cannot lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = int(envget("ENLACE_LOGIN_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(envget("ENLACE_LOGIN_COOLOFF_MINUTES", "15") or 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address is REMOTE_ADDR unless Enlace runs behind this many trusted
# reverse proxies, whose X-Forwarded-For is then read (never a client-set header).
PROXY_COUNT = int(envget("ENLACE_PROXY_COUNT", "0") or 0)
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# TOTP second factor (django-otp). Required of the roles that can see
# identities when this is true; anyone may enrol, and who has a device must use it.
TOTP_REQUIRED = envbool("ENLACE_TOTP_REQUIRED", "true" if PRODUCTION else "false")
OTP_TOTP_ISSUER = "Enlace"

# HTTPS in production: HSTS for a year on every subdomain, with preload (the
# domain can then be submitted to browsers' preload lists; ENLACE_HSTS_PRELOAD=false
# for a domain whose other hosts are not all on HTTPS yet).
if PRODUCTION:
    SECURE_HSTS_SECONDS = int(envget("ENLACE_HSTS_SECONDS", "31536000") or 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("ENLACE_HSTS_PRELOAD", "true")
    SECURE_SSL_REDIRECT = envbool("ENLACE_SSL_REDIRECT", "true")
    # The service manager and the proxy probe these over plain HTTP on the host.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if PROXY_COUNT:
    # Only behind a proxy that sets this header itself: a client could forge it otherwise.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only this site's own scripts, styles and
# images, no inline script or style, no plugins, no framing, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Spanish (Mexico)")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envget("ENLACE_TIME_ZONE", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves what `enlace collectstatic` gathered into STATIC_ROOT; development
# (the demo, the tests) serves the files where they lie, found once at start, so that
# nothing needs collecting first.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # WhiteNoise looks in STATIC_ROOT too, and warns at every start while nothing
    # was ever collected there; an empty directory says the same without the noise.
    with contextlib.suppress(OSError):
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Open-data exports suppress cells (counts of people) below this.
OPEN_DATA_MIN_CELL = int(envget("ENLACE_OPEN_DATA_MIN_CELL", "5") or 5)
# The longest a supervisor's break-glass access to a person may last, in hours.
BREAK_GLASS_MAX_HOURS = int(envget("ENLACE_BREAK_GLASS_MAX_HOURS", "8") or 8)
# Differentially private open data (docs/disclosure.md): the budget each table spends,
# and the OpenDP mechanism, "laplace" or "geometric" (both discrete Laplace noise).
DP_EPSILON = float(envget("ENLACE_DP_EPSILON", "1.0") or 1.0)
DP_MECHANISM = envget("ENLACE_DP_MECHANISM", "laplace") or "laplace"
# The most epsilon all releases about one year may spend together: one full release by default.
DP_YEAR_BUDGET = float(envget("ENLACE_DP_YEAR_BUDGET", "6.0") or 6.0)
# Submissions with more rows than this are imported by `enlace worker` (a task), not in the request.
IMPORT_INLINE_MAX_ROWS = int(envget("ENLACE_IMPORT_INLINE_MAX_ROWS", "500") or 500)
# What a submission may be (docs/data-exchange.md, "Limits"): a file over one is
# refused as a whole, the limit named, before the cost the limit bounds is paid.
IMPORT_MAX_BYTES = int(envget("ENLACE_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)) or 0)
IMPORT_MAX_UNZIPPED_BYTES = int(
    envget("ENLACE_IMPORT_MAX_UNZIPPED_BYTES", str(200 * 1024 * 1024)) or 0
)
IMPORT_MAX_ROWS = int(envget("ENLACE_IMPORT_MAX_ROWS", "1000000") or 0)
IMPORT_MAX_COLUMNS = int(envget("ENLACE_IMPORT_MAX_COLUMNS", "200") or 0)
IMPORT_MAX_FIELD = int(envget("ENLACE_IMPORT_MAX_FIELD", "10000") or 0)

# The country profile the system runs with; another country is another file.
COUNTRY_PROFILE = envget("ENLACE_COUNTRY_PROFILE", "MX")

# Production logs one JSON object a line (time, level, logger, message, request id),
# for the journal and whatever collects it; development keeps readable lines.
# ENLACE_LOG_FORMAT=json|text overrides. config/logs.py says what a line may hold.
LOG_FORMAT = envget("ENLACE_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"ENLACE_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": envget("ENLACE_LOG_LEVEL", "INFO")},
    # Lockouts are warnings; axes' start-up banner and each failure stay out of the log.
    "loggers": {
        "axes": {"level": "WARNING"},
        # The access log: runserver writes its own in development.
        "enlace.access": {"level": "INFO" if PRODUCTION else "WARNING"},
    },
}

# Background tasks go to the database (no broker); `enlace worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Retention: days after which `enlace retention apply` removes each kind of
# record (docs/keys-and-retention.md gives the reasons); ENLACE_RETAIN_<KIND>_DAYS.
RETENTION_DAYS = {
    kind: int(envget(f"ENLACE_RETAIN_{kind.upper()}_DAYS", str(days)) or days)
    for kind, days in {
        "screenings": 730,  # screenings of people never identified as victims
        "submission_files": 30,  # uploaded files, once imported
        "submissions": 365,  # submission reports (row errors, counts)
        "api_tokens": 365,  # tokens, after they were revoked
        "sessions": 0,  # sessions, after they expired
        "sign_ins": 90,  # django-axes' sign-in records
        "failed_sign_ins": 90,  # django-axes' failed sign-ins and lockout counters
        "task_results": 30,  # finished background tasks (their ids, arguments, results)
    }.items()
}
