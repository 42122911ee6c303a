"""OCMS settings: one module, driven by environment variables.

Production differs from development only by its environment: set DJANGO_SECRET_KEY,
DATABASE_URL and DJANGO_ALLOWED_HOSTS, and leave OCMS_DEBUG unset.
"""

import base64
import hashlib
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("OCMS_DEBUG")
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-not-secret" if DEBUG else None)
# Keys that seal what is typed at the wizard's Sensitive step in the draft (registration/sealed.py): Fernet
# keys, separated by commas, the first one sealing. Development derives one from the secret key.
OCMS_DRAFT_KEYS = env_list("OCMS_DRAFT_KEYS") or (
    [base64.urlsafe_b64encode(hashlib.sha256(f"drafts:{SECRET_KEY}".encode()).digest()).decode()] if DEBUG else []
)
if not OCMS_DRAFT_KEYS:
    raise ImproperlyConfigured(
        "Set the environment variable OCMS_DRAFT_KEYS (make one with: python -c "
        '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())").'
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "agencies.apps.OcmsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "django_countries",
    "localflavor",
    "simple_history",
    "axes",
    "django_tasks_db",
    "agencies",
    "clients",
    "families",
    "registration",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "agencies.middleware.NoStoreMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "agencies.middleware.AuthenticationMiddleware",  # Django's, reading the user with the session
    "agencies.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "agencies.middleware.AgencyMiddleware",
    "clients.middleware.MergedClientMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ocms.urls"
# Django's form renderer, with the commonest widgets written in Python rather than a template each (same HTML).
FORM_RENDERER = "agencies.renderers.FormRenderer"
WSGI_APPLICATION = "ocms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query to machine code (JIT) once its estimated cost is high, as for the longest reads
    # here (the iCARE file's 100,000 clients: 1.75 s with the compiling, 1.03 s without). It pays off for long
    # analytical queries, which OCMS does not run.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Parameters sent apart from the statement (server-side binding): a statement the connection runs again and again
    # (the session with its user, a draft, each lookup of a search) is then prepared once and not planned again on
    # every request, where planning cost several times the reading (the session's join: 0.23 ms planned, 0.04 ms run).
    DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 2}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's SQLite file is written by the web server and the background worker at once. A transaction takes
    # the write lock when it begins (IMMEDIATE), waiting up to 20 s for the other's: one begun as a reader and
    # writing later found the lock taken and failed at once ("database is locked"). WAL lets them read meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "agencies.backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockouts (agencies/lockout.py): 5 failures of one login from one address lock that pair; an address
# that fails OCMS_ADDRESS_FAILURE_LIMIT times across logins is locked whatever login it tries. A lock lasts
# 5 minutes, doubling with each lock of the same day up to 40.
AXES_HANDLER = "agencies.lockout.OcmsAxesHandler"
AXES_FAILURE_LIMIT = env_int("OCMS_LOGIN_FAILURE_LIMIT", 5)
OCMS_ADDRESS_FAILURE_LIMIT = env_int("OCMS_ADDRESS_FAILURE_LIMIT", 30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_COOLOFF_TIME = "agencies.lockout.lock_length"
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "auth/locked_out.html"
AXES_LOCKOUT_CALLABLE = "agencies.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "agencies.backends.axes_username"
AXES_CLIENT_IP_CALLABLE = "agencies.proxies.client_address"
AXES_SENSITIVE_PARAMETERS = ["password"]

# The reverse proxies in front of OCMS (addresses or networks): only a request arriving from one of them has
# its client's address read from X-Forwarded-For (agencies/proxies.py).
OCMS_TRUSTED_PROXIES = env_list("OCMS_TRUSTED_PROXIES")
for _proxy in OCMS_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"OCMS_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network.") from None

# Sessions live in the database (Django's store, read with one fixed statement: agencies/sessions.py).
SESSION_ENGINE = "agencies.sessions"
# Logins time out after 20 minutes idle; drafts live in the database, so nothing typed is lost. The expiry moves
# forward when the session is saved: agencies.middleware.SessionLifetimeMiddleware saves it once a minute of
# activity, rather than on every request (one database write per page less).
SESSION_COOKIE_AGE = 20 * 60
SESSION_SAVE_EVERY_REQUEST = False
# The page warns this long before the idle logout, with a button that keeps the login (static/js/ocms.js).
OCMS_IDLE_WARNING_SECONDS = 2 * 60
# However active, a login lasts one working day at most (agencies.middleware.SessionLifetimeMiddleware).
OCMS_SESSION_MAX_AGE = env_int("OCMS_SESSION_MAX_AGE", 10 * 60 * 60)
# A registration draft nobody touched for this many days, and a family code reserved by "New" that no client joined,
# are removed by `manage.py clean_expired`.
OCMS_DRAFT_DAYS = env_int("OCMS_DRAFT_DAYS", 30)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# django-countries writes two English names as no caseworker would look them up (its "Naoero", "Bahamas (The)").
COUNTRIES_OVERRIDE = {"NR": _("Nauru"), "BS": _("Bahamas")}
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

# Long work runs on the background worker (django.tasks with django-tasks-db's database backend:
# `python manage.py worker`), never inside a request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Files the worker makes (iCARE files) and uploads it reads: never served as static files, only through views that
# check who asks. The web server and the worker must share this folder.
MEDIA_ROOT = Path(env_str("OCMS_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"

# What a request may bring (settings "Request and upload limits" of the README): the largest real form is a few
# hundred fields; the only file is the one iCARE sends back (30 MB at the most, with room for the form around it).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 600
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
OCMS_MAX_UPLOAD_BYTES = 31 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "agencies.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("OCMS_COLLECTED_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (development, tests), WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG or not env_bool("OCMS_COLLECTED_STATIC", True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PHONENUMBER_DEFAULT_REGION = "CA"
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

# No inline scripts or styles anywhere: every script is a static file.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
