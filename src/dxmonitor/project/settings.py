"""Django settings, read from the environment so that one build serves a laptop and a server."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(os.environ.get("DXMONITOR_HOME", Path.cwd())).resolve()
VAR_DIR = BASE_DIR / "var"

DEBUG = os.environ.get("DXMONITOR_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("DXMONITOR_SECRET_KEY", "dev-only-not-secret-change-me")
ALLOWED_HOSTS = [h for h in os.environ.get("DXMONITOR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dxmonitor.catalogue",
    "dxmonitor.intake",
    "dxmonitor.reports",
    "dxmonitor.web",
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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dxmonitor.sqlite3'}"),
        conn_max_age=int(os.environ.get("DXMONITOR_DB_CONN_MAX_AGE", "0")),
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
