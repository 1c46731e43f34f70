"""Django settings, read from the environment so that one build serves a laptop and a server."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    "dxmonitor.web",
    "dxmonitor.api",
]

MIDDLEWARE = [
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

# Login throttling (django-axes): five failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("DXMONITOR_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DXMONITOR_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("DXMONITOR_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("DXMONITOR_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

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

# With a shared cache, sessions are read from it and written through to the database (a signed-in page costs one
# query less). Not with each process's own memory: a logout in one process would leave the session in the others.
if os.environ.get("DXMONITOR_REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["DXMONITOR_REDIS_URL"]}
    if os.environ.get("DXMONITOR_REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Where reports are written and served from.
REPORTS_DIR = Path(os.environ.get("DXMONITOR_REPORTS_DIR", BASE_DIR / "out"))

# The catalogue (indicators, datasets, units) is data: point this at your own folder to use another province's.
CATALOGUE_DIR = Path(
    os.environ.get("DXMONITOR_CATALOGUE_DIR", Path(__file__).resolve().parent.parent / "catalogue" / "data")
)

# What the report prints in its header and signature block.
REPORT_ISSUER = {
    "parent_agency": os.environ.get("DXMONITOR_PARENT_AGENCY", "UBND TỈNH BÌNH PHƯỚC"),
    "agency": os.environ.get("DXMONITOR_AGENCY", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"),
    "agency_name": os.environ.get("DXMONITOR_AGENCY_NAME", "Sở Thông tin và Truyền thông"),
    "agency_short": os.environ.get("DXMONITOR_AGENCY_SHORT", "STTTT"),
    "place": os.environ.get("DXMONITOR_PLACE", "Bình Phước"),
    "signer_title": os.environ.get("DXMONITOR_SIGNER_TITLE", "GIÁM ĐỐC"),
    "signer_name": os.environ.get("DXMONITOR_SIGNER_NAME", ""),
    "recipients": os.environ.get(
        "DXMONITOR_RECIPIENTS", "Ban Chỉ đạo về CĐS tỉnh;Các sở, ban, ngành;UBND các huyện, thị xã, thành phố;Lưu: VT"
    ).split(";"),
}
