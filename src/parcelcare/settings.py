"""Django settings, read from PARCELCARE_* environment variables; SQLite by default."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"PARCELCARE_{name}", default)


DEBUG = _env("DEBUG", "0") == "1"
SECRET_KEY = _env("SECRET_KEY", "insecure-development-key-set-PARCELCARE_SECRET_KEY")
ALLOWED_HOSTS = [
    h.strip() for h in _env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
]

DATABASE_URL = _env("DATABASE_URL", "sqlite:///parcelcare.db")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while the worker writes; IMMEDIATE takes the write lock up front
        # so two writers queue instead of failing half-way through a transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": _env("TEST_SQLITE_PATH", "") or None}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "parcelcare.accounts",
    "parcelcare.tracking",
    "parcelcare.messaging",
    "parcelcare.cases",
    "parcelcare.ledger",
    "parcelcare.returns",
    "parcelcare.assistant",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "parcelcare.urls"
WSGI_APPLICATION = "parcelcare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

LANGUAGE_CODE = "en"
LANGUAGES = [("nl", _("Dutch")), ("de", _("German")), ("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
LOGIN_URL = "login"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

HUEY = {
    "name": "parcelcare",
    "filename": _env("HUEY_PATH", "parcelcare-tasks.db"),
    "url": _env("REDIS_URL"),
    "immediate": _env("HUEY_IMMEDIATE", "0") == "1",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", "INFO")},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

PUBLIC_URL = _env("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
"""The address customers reach this server at; tracking links in messages start with it. Unset,
`serve` and `demo` set it to the address they listen on (see cli.follow_served_address)."""
SMTP_URL = _env("SMTP_URL")
"""smtp://user:password@host:587 (STARTTLS), smtps://…:465, or smtp+plain://host:25 for a local
relay. Unset: e-mails are kept in memory and shown on the outbox page (the demo)."""
MAIL_FROM = _env("MAIL_FROM", "parcelcare@localhost")
TWILIO = {
    "account_sid": _env("TWILIO_ACCOUNT_SID"),
    "auth_token": _env("TWILIO_AUTH_TOKEN"),
    "from_number": _env("TWILIO_FROM"),
    "messaging_service_sid": _env("TWILIO_MESSAGING_SERVICE_SID"),
}
"""SMS through Twilio when the account SID and auth token are set."""
BIRD = {"access_key": _env("BIRD_ACCESS_KEY"), "originator": _env("BIRD_ORIGINATOR")}
"""SMS through Bird (MessageBird) when the access key is set and Twilio is not."""
WHATSAPP = {
    "access_token": _env("WHATSAPP_TOKEN"),
    "phone_number_id": _env("WHATSAPP_PHONE_NUMBER_ID"),
}
"""WhatsApp Cloud API when both are set."""

# ---- Security: headers, the page policy, HTTPS cookies and HSTS, masked link tokens in logs ----
# (kept in one block; see README "Configuration" for the PARCELCARE_* variables it reads)
INSTALLED_APPS.append("ninja")  # the API docs page then uses its bundled files, no CDN script
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "parcelcare.security.ContentSecurityPolicy",
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
"""Link tokens in page addresses never travel to other sites in the Referer header."""
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

HTTPS = _env("HTTPS", "0") == "1"
"""Served over HTTPS (usually behind a reverse proxy that terminates TLS)."""
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(_env("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env("HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
SECURE_HSTS_PRELOAD = _env("HSTS_PRELOAD", "0") == "1"
_PROXY_SSL_HEADER = _env("PROXY_SSL_HEADER", "X-Forwarded-Proto" if HTTPS else "")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https") if _PROXY_SSL_HEADER else None
)
"""Trust this header from the proxy to tell HTTPS requests; the proxy must always set it."""
SECURE_SSL_REDIRECT = _env("SSL_REDIRECT", "0") == "1"

LOGIN_ATTEMPTS_PER_ACCOUNT = int(_env("LOGIN_ATTEMPTS_PER_ACCOUNT", "5"))
LOGIN_ATTEMPTS_PER_ADDRESS = int(_env("LOGIN_ATTEMPTS_PER_ADDRESS", "30"))
LOGIN_ATTEMPTS_WINDOW = int(_env("LOGIN_ATTEMPTS_WINDOW", "900"))
"""Failed agent logins allowed per account and per client address in one window (seconds)."""

LOGGING["filters"] = {"link_tokens": {"()": "parcelcare.security.MaskLinkTokens"}}
LOGGING["handlers"] = {
    "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["link_tokens"]}
}
"""Link tokens in paths are masked in every record the console handler writes."""
# ---- end of the security block ----
