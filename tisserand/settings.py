"""Settings of Tisserand, read from the environment.

``TISSERAND_ENV`` selects the mode: ``development`` (default), ``test`` or ``production``.
Production refuses to start without ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``.
See docs/operations.md for every variable.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


ENVIRONMENT = env("TISSERAND_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"TISSERAND_ENV inconnu : {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", ENVIRONMENT == "development")

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY est obligatoire en production.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS est obligatoire en production.")
else:
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production-tisserand-0123456789"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "tisserand.core",
    "tisserand.accounts",
    "tisserand.structures",
    "tisserand.referentials.geo",
    "tisserand.referentials.rome",
    "tisserand.referentials.trainings",
    "tisserand.referentials.vocabularies",
    "tisserand.people",
    "tisserand.companies",
    "tisserand.accompaniment",
    "tisserand.appointments",
    "tisserand.guidance",
    "tisserand.events",
    "tisserand.opportunities",
    "tisserand.clauses",
    "tisserand.referrals",
    "tisserand.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tisserand.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tisserand.core.middleware.NoReferrerOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tisserand.structures.middleware.CurrentMembershipMiddleware",
    "tisserand.accounts.middleware.RequireMfaMiddleware",
    "tisserand.core.middleware.DefaultDenyMiddleware",
]

ROOT_URLCONF = "tisserand.urls"
WSGI_APPLICATION = "tisserand.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tisserand" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tisserand.core.context_processors.layout",
            ],
            "builtins": ["tisserand.core.templatetags.components"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
SQLITE_PATH = Path(env("TISSERAND_SQLITE_PATH", str(BASE_DIR / "var" / "tisserand.sqlite3")))
SQLITE_OPTIONS = {
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction so that concurrent writers wait (busy timeout) instead of failing
    # with "database is locked" halfway through.
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
}
if env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tisserand.accounts.validators.CharacterClassesValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "tisserand.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "tisserand.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tisserand] "
ACCOUNT_RATE_LIMITS = {
    # Failed logins: 5 per minute per IP and 10 per 5 minutes per account.
    "login_failed": "5/m/ip,10/5m/key",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "10/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tisserand"
# Users whose role gives access to personal data must set up TOTP before going further.
TISSERAND_MFA_REQUIRED = env_bool("TISSERAND_MFA_REQUIRED", PRODUCTION)

# Sessions end after 30 minutes without activity, and when the browser closes.
SESSION_COOKIE_AGE = int(env("TISSERAND_SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Geocoding ----------------------------------------------------------------------------
# "ban": the national address API (api-adresse.data.gouv.fr), falling back to the commune
# centroid when unreachable; "offline": the centroid only (development and tests never call out).
TISSERAND_GEOCODER = env("TISSERAND_GEOCODER", "ban" if PRODUCTION else "offline")
TISSERAND_GEOCODER_TIMEOUT = float(env("TISSERAND_GEOCODER_TIMEOUT", "2.0"))

# Appointment reminders go this many hours before the appointment.
APPOINTMENT_REMINDER_HOURS = int(env("TISSERAND_APPOINTMENT_REMINDER_HOURS", "24"))

# The "6 months after the exit" follow-up is accepted from 5 to 9 months after the exit
# ("FROM-TO", in months): a contact outside that window is not the ESF+ 6-month result.
FOLLOW_UP_WINDOW_MONTHS = tuple(
    int(months) for months in env("TISSERAND_FOLLOW_UP_WINDOW_MONTHS", "5-9").split("-", 1)
)
if (
    len(FOLLOW_UP_WINDOW_MONTHS) != 2
    or not 0 < FOLLOW_UP_WINDOW_MONTHS[0] <= 6 <= FOLLOW_UP_WINDOW_MONTHS[1]
):
    raise ImproperlyConfigured(
        "TISSERAND_FOLLOW_UP_WINDOW_MONTHS : « début-fin » en mois, encadrant 6 (ex. 5-9)."
    )

# --- SMS ----------------------------------------------------------------------------------
# Appointment reminders by SMS (core/sms.py): the console in development, an in-memory outbox in
# tests, Brevo's transactional SMS API in production.
TISSERAND_SMS_BACKEND = env(
    "TISSERAND_SMS_BACKEND",
    {
        "production": "tisserand.core.sms.BrevoBackend",
        "test": "tisserand.core.sms.LocmemBackend",
    }.get(ENVIRONMENT, "tisserand.core.sms.ConsoleBackend"),
)
TISSERAND_SMS_API_KEY = env("TISSERAND_SMS_API_KEY", "")
TISSERAND_SMS_SENDER = env("TISSERAND_SMS_SENDER", "MDE")
TISSERAND_SMS_TIMEOUT = float(env("TISSERAND_SMS_TIMEOUT", "5.0"))

# --- E-mail -------------------------------------------------------------------------------
# The site's address for links in e-mails sent without a request (background tasks).
TISSERAND_SITE_URL = env("TISSERAND_SITE_URL", "")
# Company lookup when creating a record from a SIRET: "offline" (the base only) or "api" (the
# State's public company-search API, recherche-entreprises.api.gouv.fr).
TISSERAND_COMPANY_LOOKUP = env("TISSERAND_COMPANY_LOOKUP", "api" if PRODUCTION else "offline")
# France Travail « Offres d'emploi v2 » API (OAuth2 client credentials): offers are imported
# from it only when both are set; files are imported without.
TISSERAND_FRANCE_TRAVAIL_CLIENT_ID = env("TISSERAND_FRANCE_TRAVAIL_CLIENT_ID", "")
TISSERAND_FRANCE_TRAVAIL_CLIENT_SECRET = env("TISSERAND_FRANCE_TRAVAIL_CLIENT_SECRET", "")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Tisserand <ne-pas-repondre@tisserand.local>")
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif ENVIRONMENT == "test":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else "django_tasks_db.DatabaseBackend"
        ),
        # Tasks are written in the same transaction as the change that asks for them.
        "ENQUEUE_ON_COMMIT": False,
    }
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "tisserand" / "locale"]

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded supporting documents: private, outside the static files, never served by URL (only
# through ``core.views.document_open``, which applies the record's rule).
MEDIA_ROOT = Path(env("TISSERAND_MEDIA_ROOT", str(BASE_DIR / "var" / "documents")))
TISSERAND_DOCUMENT_MAX_BYTES = int(env("TISSERAND_DOCUMENT_MAX_BYTES", "5000000"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Security -----------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "tisserand.core.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not from the cookie.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Logging: one JSON object per line on stderr ------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tisserand.core.logging.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": env("TISSERAND_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
if ENVIRONMENT == "test":
    LOGGING["root"]["level"] = "CRITICAL"
