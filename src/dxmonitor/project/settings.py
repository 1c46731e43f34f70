"""Django settings, read from the environment so that one build serves a laptop and a server."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dxmonitor.project.client_address import client_address
from dxmonitor.project.logs import logging_config

BASE_DIR = Path(os.environ.get("DXMONITOR_HOME", Path.cwd())).resolve()
VAR_DIR = BASE_DIR / "var"

DEBUG = os.environ.get("DXMONITOR_DEBUG", "0") == "1"
# Behind an HTTPS reverse proxy (a real deployment): secure cookies, HSTS, and a secret key that must be set.
HTTPS = os.environ.get("DXMONITOR_HTTPS", "0") == "1"
SECRET_KEY = os.environ.get("DXMONITOR_SECRET_KEY", "")
if not SECRET_KEY:
    if HTTPS:
        raise ImproperlyConfigured("DXMONITOR_SECRET_KEY must be set when DXMONITOR_HTTPS=1")
    SECRET_KEY = "dev-only-not-secret-change-me"
ALLOWED_HOSTS = [h for h in os.environ.get("DXMONITOR_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DXMONITOR_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "dxmonitor.accounts",
    "dxmonitor.catalogue",
    "dxmonitor.intake",
    "dxmonitor.analytics",
    "dxmonitor.reports",
    "dxmonitor.editorial",
    "dxmonitor.issuing",
    "dxmonitor.web",
    "dxmonitor.api",
    "dxmonitor.publishing",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "dxmonitor.project.request_id.RequestIdMiddleware",  # first: every later step's records carry the request's id
    "dxmonitor.project.odd_input.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dxmonitor.web.language.VietnameseFirstMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "dxmonitor.accounts.backends.MemberBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): five failures for one user name from one client address lock that pair for 15
# minutes; the same user from another address may still sign in.
AXES_FAILURE_LIMIT = int(os.environ.get("DXMONITOR_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DXMONITOR_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address. Behind a reverse proxy every request comes from the proxy, so one client's failures would
# lock the user for everyone: name the header the proxy writes (X-Forwarded-For for nginx's
# `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`) and how many proxies append to it. Without the setting
# the header is ignored and the connecting address is the client's: a client cannot choose its own.
CLIENT_ADDRESS = client_address(
    os.environ.get("DXMONITOR_TRUSTED_PROXY_HEADER", ""), int(os.environ.get("DXMONITOR_TRUSTED_PROXY_COUNT", "1"))
)
AXES_IPWARE_META_PRECEDENCE_ORDER = CLIENT_ADDRESS.precedence
AXES_IPWARE_PROXY_COUNT = CLIENT_ADDRESS.proxy_count
AXES_IPWARE_PROXY_ORDER = "left-most"  # the header's own order, client first; the count picks from its right end
# Strict would drop a whole header with more entries than proxies (a client's own X-Forwarded-For, or a corporate
# proxy's) and leave no address; the entries the trusted proxies wrote are read either way.
IPWARE_STRICT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "dxmonitor.project.errors.csrf_failure"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("DXMONITOR_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("DXMONITOR_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preload: the header only consents to the browsers' built-in HTTPS list; a host gets there when its registrable
    # domain is submitted (hstspreload.org), which a host like dxmonitor.<province>.gov.vn cannot be on its own. With
    # includeSubDomains already sent, consenting changes nothing for a subdomain, and a deployment on a domain of
    # its own that must keep plain HTTP somewhere below it turns it off (DXMONITOR_HSTS_PRELOAD=0), which
    # `dxmonitor check --deploy` then reports.
    SECURE_HSTS_PRELOAD = os.environ.get("DXMONITOR_HSTS_PRELOAD", "1") == "1"

ROOT_URLCONF = "dxmonitor.project.urls"
WSGI_APPLICATION = "dxmonitor.project.wsgi.application"

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
                "dxmonitor.web.access.principal_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dxmonitor.sqlite3'}"),
        # A server process keeps its connection a minute: opening one costs a PostgreSQL backend's start-up.
        conn_max_age=int(os.environ.get("DXMONITOR_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,  # a connection PostgreSQL dropped (a restart) is replaced, not used
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# How long a write waits for another write of the same units before it is refused ("try again"): PostgreSQL's
# lock_timeout in the write path (intake/locks.py), SQLite's busy timeout.
WRITE_WAIT_SECONDS = float(os.environ.get("DXMONITOR_WRITE_WAIT_SECONDS", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Every transaction takes SQLite's one write lock when it begins, not when it first writes: a writer then
        # checks and reads what it will replace already holding the lock, and two writers wait in turn instead of
        # failing with "database is locked" halfway.
        "transaction_mode": "IMMEDIATE",
        "timeout": WRITE_WAIT_SECONDS,
        # Readers go on reading while a write is under way (the write-ahead log), and commits are cheaper.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = os.environ.get("DXMONITOR_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step on a single machine
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]

EMAIL_BACKEND = os.environ.get("DXMONITOR_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DXMONITOR_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DXMONITOR_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DXMONITOR_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DXMONITOR_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DXMONITOR_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DXMONITOR_FROM_EMAIL", "dxmonitor@localhost")
# How long an e-mailed link to set a password (an invitation, a reset) works; it works once either way.
PASSWORD_RESET_TIMEOUT = int(float(os.environ.get("DXMONITOR_PASSWORD_LINK_DAYS", "3")) * 86400)

# With a shared cache, sessions are read from it and written through to the database (a signed-in page costs one
# query less). Not with each process's own memory: a logout in one process would leave the session in the others.
if os.environ.get("DXMONITOR_REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["DXMONITOR_REDIS_URL"]}
    if os.environ.get("DXMONITOR_REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# A figure's as-of day must fall within its round: from the first day of the month before it to the round's
# deadline (or last day) plus this many days (intake/days.py).
AS_OF_MARGIN_DAYS = int(os.environ.get("DXMONITOR_AS_OF_MARGIN_DAYS", "60"))

# The log: a rotating file under var/log/ (several server processes and commands share it) and the console.
LOG_DIR = Path(os.environ.get("DXMONITOR_LOG_DIR", VAR_DIR / "log"))
LOGGING = logging_config(
    LOG_DIR,
    level=os.environ.get("DXMONITOR_LOG_LEVEL", "INFO").upper(),
    # A command's console shows its own output; records below a warning go to the file only.
    console_level=os.environ.get("DXMONITOR_LOG_CONSOLE_LEVEL", "WARNING").upper(),
    max_bytes=int(os.environ.get("DXMONITOR_LOG_MAX_BYTES", str(10 * 1024 * 1024))),
    backups=int(os.environ.get("DXMONITOR_LOG_BACKUPS", "10")),
)

# Where reports are written and served from.
REPORTS_DIR = Path(os.environ.get("DXMONITOR_REPORTS_DIR", BASE_DIR / "out"))

# The task queue that runs report jobs (django-tasks): "database" keeps the queue in the database (SQLite or
# PostgreSQL, nothing else to run); "redis" keeps it in Redis at DXMONITOR_REDIS_URL (RQ). Either way its worker is
# `dxmonitor worker`, which `dxmonitor serve` starts beside the web server.
TASKS_BACKEND = os.environ.get("DXMONITOR_TASKS_BACKEND", "database")
if TASKS_BACKEND == "redis":
    if not os.environ.get("DXMONITOR_REDIS_URL"):
        raise ImproperlyConfigured("DXMONITOR_TASKS_BACKEND=redis needs DXMONITOR_REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": os.environ["DXMONITOR_REDIS_URL"]}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"DXMONITOR_TASKS_BACKEND must be database or redis, not {TASKS_BACKEND!r}")
# A job still queued or running after this many minutes no longer stops a new one for its round (its worker died).
REPORT_JOB_STALE_MINUTES = float(os.environ.get("DXMONITOR_REPORT_JOB_STALE_MINUTES", "30"))

# The catalogue (indicators, datasets, units) is data: point this at your own folder to use another province's.
CATALOGUE_DIR = Path(
    os.environ.get("DXMONITOR_CATALOGUE_DIR", Path(__file__).resolve().parent.parent / "catalogue" / "data")
)

# Who issues the report is data: catalogue/data/issuers.yaml (in CATALOGUE_DIR) names the issuer in force on each
# day, and a round takes the one in force on its last day when it is opened, then keeps it (an admin edits it on the
# round's page). A deployment replaces parts of it for every round it opens from now on with these overrides:
# parent_agency, agency, agency_name, place, signer_title, signer_name, series ("BC-STTTT"), recipients (a list, or
# ";"-separated). Each DXMONITOR_* variable below that is set overrides its part.
_ISSUER_ENV = {
    "parent_agency": "DXMONITOR_PARENT_AGENCY",
    "agency": "DXMONITOR_AGENCY",
    "agency_name": "DXMONITOR_AGENCY_NAME",
    "place": "DXMONITOR_PLACE",
    "signer_title": "DXMONITOR_SIGNER_TITLE",
    "signer_name": "DXMONITOR_SIGNER_NAME",
    "series": "DXMONITOR_NUMBER_SERIES",
    "recipients": "DXMONITOR_RECIPIENTS",
}
REPORT_ISSUER_OVERRIDES: dict[str, object] = {
    part: os.environ[name] for part, name in _ISSUER_ENV.items() if os.environ.get(name)
}
if os.environ.get("DXMONITOR_AGENCY_SHORT") and "series" not in REPORT_ISSUER_OVERRIDES:  # its name before series
    REPORT_ISSUER_OVERRIDES["series"] = f"BC-{os.environ['DXMONITOR_AGENCY_SHORT']}"

# How far reading one submission file may go (intake/limits.py): past a limit the file is refused at once, saying which.
INTAKE_LIMITS = {
    "file_bytes": int(float(os.environ.get("DXMONITOR_MAX_FILE_MB", "50")) * 1024 * 1024),
    "unpacked_bytes": int(float(os.environ.get("DXMONITOR_MAX_UNPACKED_MB", "200")) * 1024 * 1024),
    "sheets": int(os.environ.get("DXMONITOR_MAX_SHEETS", "50")),
    "rows": int(os.environ.get("DXMONITOR_MAX_ROWS", "200000")),
    "cells": int(os.environ.get("DXMONITOR_MAX_CELLS", "4000000")),
    "errors_shown": int(os.environ.get("DXMONITOR_MAX_ERRORS_SHOWN", "200")),
    "seconds": float(os.environ.get("DXMONITOR_MAX_READ_SECONDS", "20")),
}
# Files checked on the upload page but never confirmed are deleted after this many hours (and by `dxmonitor cleanup`).
UPLOAD_KEEP_HOURS = float(os.environ.get("DXMONITOR_UPLOAD_KEEP_HOURS", "24"))
