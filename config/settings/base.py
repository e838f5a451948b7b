"""Settings shared by every environment; everything that differs comes from the environment.

Without DATABASE_URL the app uses a SQLite file; without REDIS_URL Celery runs eagerly
and the cache is local memory, so one command runs the app on a bare laptop.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.dotenv import read_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
read_dotenv()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "config.apps.OfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver leaves static files to WhiteNoise, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "axes",
    "health_check",
    "csp",
    "core",
    "reviews",
    "subjects",
    "surveys",
    "ballots",
    "rectification",
    "workbench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the headers too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files are not logged), before everything that may answer early.
    "core.request_log.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.uploads.UploadNameMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Refuses a parameter with a control character before the view runs (core.control_characters).
    "core.control_characters.ControlCharactersMiddleware",
    "core.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Innermost: one transaction per unsafe request, rolled back when it is refused.
    "core.transactions.AtomicRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files
# (static/js, static/css, static/vendor), never inline, never eval. The few pages that
# truly inline a stylesheet (a print page shared with its PDF, the 500 page, /health/,
# django-celery-beat's admin form) carry the request's nonce. data: images are Bootstrap's
# icons (its CSS draws them as SVG data URLs); the QR codes are inline SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # The one frame, a briefing's issued text, is a srcdoc iframe: no page is framed.
        "frame-ancestors": [NONE],
    },
}
# No page uses a camera, microphone, location, payment or device: browsers refuse them to
# the site and to anything it might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

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
                "workbench.context_processors.roles",
                "core.preferences.display",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Off: core.transactions.AtomicRequestMiddleware wraps each unsafe request instead, and
# also rolls back a request that answers with a refusal.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default still serves a meeting room: writers queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-axes sees every authentication first and refuses it while its client is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login protection (site and admin share it): after LOGIN_FAILURE_LIMIT wrong passwords
# for one login from one address, that login is refused from that address for
# LOGIN_COOLOFF_MINUTES, or until the office unlocks it (admin → 登录锁定). Per login and
# address together: members in one meeting room share an address, and one person's
# typos must not lock the others out; nor can anyone lock a login out from elsewhere.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
# The office sees failures in its own Chinese admin (core.admin); axes' English one is off.
AXES_ENABLE_ADMIN = False
# Only failures are kept; a successful login leaves nothing but Django's last_login.
AXES_DISABLE_ACCESS_LOG = True
# Reverse proxies whose X-Forwarded-For is believed (core.clientip), as addresses or CIDR
# networks: nginx on the same host is 127.0.0.1,::1. Empty trusts no proxy: the peer
# address is the client's.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES 中的“{_proxy}”不是 IP 地址或网段。"
            " TRUSTED_PROXIES must list IP addresses or CIDR networks, e.g. 127.0.0.1,::1"
        ) from None
# PROXY_COUNT (trusting the N-th hop from the right) is gone: a server that still sets it
# would silently count every visitor as its proxy, so it stops here with what to do.
if "PROXY_COUNT" in os.environ:
    raise ImproperlyConfigured(
        "PROXY_COUNT 已不再使用，请从 .env 中删除，改为 TRUSTED_PROXIES=127.0.0.1,::1"
        "（nginx 与本系统在同一台服务器上时）。"
        " PROXY_COUNT is no longer read: remove it and set TRUSTED_PROXIES to the proxies'"
        " addresses instead (127.0.0.1,::1 for nginx on the same host)."
    )

# Passwords people type (password change, admin, initial passwords the office types);
# Django's messages come in Chinese with LANGUAGE_CODE, ours in core.passwords.
# Django's hashers (PBKDF2 with its full rounds first: every password a person sets), then
# the lighter one for printed initial passwords, which the first login replaces.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "core.hashers.InitialPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "core.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.passwords.LettersAndDigitsValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_work"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# zh-hans formats give 2017年8月15日; spelled out so that it never depends on the locale files.
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y-m-d"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded documents are never served by URL: they live outside any public directory and
# are handed out only by views that check who asks.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# Keys that open sealed ballots and questionnaire answers live here, never in the database:
# a file per open ballot or questionnaire, destroyed when it closes. Keep it out of backups.
SEALING_KEY_DIR = Path(env("SEALING_KEY_DIR", default=str(BASE_DIR / "var" / "keys")))
# Where load_demo writes the demo tellers' key files (passphrase demo12345), to try the
# tellers' (监票人) page. Never a real ballot's: real tellers' files exist only with them.
DEMO_TELLERS_DIR = Path(env("DEMO_TELLERS_DIR", default=str(BASE_DIR / "var" / "demo-tellers")))
# `manage.py backup` writes its archives here and keeps the newest BACKUP_KEEP of them.
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
# Questionnaire answers are written in shuffled batches of at least this many responses.
QUESTIONNAIRE_BATCH_SIZE = env.int("QUESTIONNAIRE_BATCH_SIZE", default=5)
# Wrong questionnaire codes per client address before it must wait (core.throttle): guessing
# is slowed, while a venue whose deputies share one address still has room for typos.
QUESTIONNAIRE_CODE_FAILURE_LIMIT = env.int("QUESTIONNAIRE_CODE_FAILURE_LIMIT", default=10)
QUESTIONNAIRE_CODE_FAILURE_WINDOW = 60 * env.int("QUESTIONNAIRE_CODE_FAILURE_MINUTES", default=15)
# /health/ reports the disk of PRIVATE_MEDIA_ROOT as failing from this usage on.
HEALTH_DISK_MAX_PERCENT = env.float("HEALTH_DISK_MAX_PERCENT", default=90.0)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Word (DOCX) and Excel (XLSX) files are zip archives: limits read from the archive's
# directory before anything is inflated, so a small "zip bomb" is refused unopened.
UPLOAD_ZIP_MAX_BYTES = env.int("UPLOAD_ZIP_MAX_BYTES", default=100 * 1024 * 1024)
UPLOAD_ZIP_MAX_RATIO = env.int("UPLOAD_ZIP_MAX_RATIO", default=100)
UPLOAD_ZIP_MAX_ENTRIES = env.int("UPLOAD_ZIP_MAX_ENTRIES", default=2000)
# Let large uploads reach our own size check (which answers in Chinese) instead of a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Threads hashing the initial passwords of an import (core.services.initial_passwords).
PASSWORD_HASH_WORKERS = env.int("PASSWORD_HASH_WORKERS", default=os.cpu_count() or 2)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="shuzhi@localhost")
# A mail server that accepts the connection and then says nothing must not hold a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Every e-mail goes through the outbox (core.outbox): a failed one is tried again after
# these many minutes, then given up (已放弃) after the last.
EMAIL_OUTBOX_RETRY_MINUTES = [
    int(n)
    for n in env.list(
        "EMAIL_OUTBOX_RETRY_MINUTES", default=["1", "5", "30", "120", "360", "720", "1440"]
    )
]

# Celery: Redis when configured, otherwise tasks run in-process (eager).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# With Redis down, publishing a task fails within a couple of seconds instead of retrying
# for ~20 s while a request waits (core.queue.enqueue turns it into a message for the user).
# Work that must not be lost is also picked up periodically by beat.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Entries here are copied into django-celery-beat's tables, where the office can edit them.
CELERY_BEAT_SCHEDULE: dict = {
    "deadline-reminders": {"task": "workbench.reminders_sweep", "schedule": 3600.0},
    # Sends the e-mails that are due: new ones missed by their kick, and retries.
    "email-outbox": {"task": "core.outbox_send", "schedule": 60.0},
    # Initial-password lists of imports not downloaded within a day are deleted.
    "import-results-expire": {"task": "core.import_results_expire", "schedule": 3600.0},
}
# Days before a deadline on which a reminder goes out (plus the due day, then weekly when overdue).
REMINDER_DAYS_BEFORE = [int(n) for n in env.list("REMINDER_DAYS_BEFORE", default=["7", "1"])]

# One line per event on stderr (journald keeps it on a server): key=value text by default,
# JSON lines in production. Each request is one line from core.request_log; runserver's own
# access line is switched off because it carries the query string.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"()": "core.request_log.TextFormatter"},
        "json": {"()": "core.request_log.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every rendering step at INFO; fontTools every subset.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # axes tells every failed login at INFO; its lockouts come at WARNING.
        "axes": {"level": "WARNING"},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}

# Office name printed on documents and pages; the demo sets a county's.
OFFICE_NAME = env("OFFICE_NAME", default="人大常委会办公室")
