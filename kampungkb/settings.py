"""Settings, all read from the environment (docs/interfaces.md), with safe development defaults."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def envlist(name, default):
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


def envint(name, default):
    return int(os.environ.get(name, default))


DEBUG = envbool("DEBUG", False)
# Without SECRET_KEY a development key is made per process: sessions do not survive a restart,
# which is fine for development and forces production to set a real one.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-" + get_random_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "cadres",
    "reports",
]

MIDDLEWARE = [
    # Pages are compressed here, whoever serves them: the report form is 50 KB of HTML, 4 KB gzipped
    # (on slow 3G, 1 s against 0.1 s). The CSRF token is masked anew on every response, which is
    # Django's BREACH mitigation for compressed pages.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kampungkb.middleware.ServiceWorkerMiddleware",  # /sw.js, without the session
    "kampungkb.sessions.SessionMiddleware",  # Django's, reading the session in plain SQL
    "kampungkb.session_refresh.SessionRefreshMiddleware",  # the session's age counts from the last request
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cadres.middleware.PasswordChangeRequiredMiddleware",
    "cadres.middleware.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kampungkb.urls"
WSGI_APPLICATION = "kampungkb.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Many pages commit (a save, the session refreshed every few minutes): in the write-ahead
        # log a commit does not wait for the disk, and readers do not wait for a writer. A power
        # cut may lose the last commits, never consistency.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        # A transaction takes the write lock when it begins: under WAL one that read first could
        # otherwise fail to write ("database is locked") after another writer committed.
        "transaction_mode": "IMMEDIATE",
    }
# A PostgreSQL streaming standby of `default` (docs/deploy.md): GETs of the dashboards, recaps and
# exports read it while it is fresh, everything else reads and writes `default`
# (kampungkb/replica.py). Unset: one database, nothing installed.
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_DATABASE_URL"],
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A standby that does not answer holds one request of a worker 2 s at most (libpq's
        # shortest); that worker then reads `default` for 10 s before trying it again.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Tests: the standby's copy of default's test database, which Django must not create itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["kampungkb.replica.ReplicaRouter"]
    MIDDLEWARE.append("kampungkb.replica.ReplicaMiddleware")  # last: the session and the user are loaded
# Seconds the standby may be behind and still serve; beyond, reads go to `default`.
REPLICA_MAX_LAG = float(os.environ.get("REPLICA_MAX_LAG", 3))
# Seconds a session that wrote keeps reading `default` ("read your own writes"); never less than
# the lag limit, so that by then a standby fresh enough to serve has the write.
REPLICA_PIN_SECONDS = max(float(os.environ.get("REPLICA_PIN_SECONDS", 0)), REPLICA_MAX_LAG)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cadres.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed names (cached for ever on the phones) need `collectstatic`; development and
# tests use the plain storage and WhiteNoise's finders instead. With DEBUG=0 and no collected
# manifest yet, the plain names are served from the source folders (pages work; `collectstatic`
# then a restart gives the hashed names) rather than every page failing on a missing manifest.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", not DEBUG and (STATIC_ROOT / "staticfiles.json").exists())
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
# The age counts from the last request (expiry after inactivity), but the session is saved at most
# once in SESSION_REFRESH_AFTER seconds, not on every request (kampungkb/session_refresh.py).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_AFTER = 5 * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Login throttling: 5 failures for one username from one address lock it for 15 minutes; the
# login form says so (a refused login re-renders the form: docs/interfaces.md).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cadres.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "cadres.client.client_address"
PROXY_COUNT = 0  # reverse proxies in front of the app that append to X-Forwarded-For

# No inline script anywhere: page data goes through `json_script`, code through static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Style attributes (bar widths, WeasyPrint-free pages) are harmless enough to allow.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],  # /sw.js, the offline service worker
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# HTTPS=1 when served behind a TLS-terminating proxy (docs/interfaces.md). Unset: plain HTTP works.
if envbool("HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", True)
    # Behind the proxy the client's address is the one the proxy appended to X-Forwarded-For.
    PROXY_COUNT = envint("PROXY_COUNT", 1)

# Demo accounts made by seed_demo need not change their password (a demo is for trying at once).
DEMO_ACCOUNTS_MUST_CHANGE_PASSWORD = envbool("DEMO_ACCOUNTS_MUST_CHANGE_PASSWORD", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The letterhead and signature block of recap PDFs (rekap.pdf): the OPD KB and its head.
# OPD_PLACE is where the recap is signed; empty: the unit's kabupaten/kota ("Purwakarta").
# OPD_HEAD_TITLE empty: "Kepala " + OPD_NAME. OPD_HEAD_NAME empty leaves a line to sign by hand.
OPD_NAME = os.environ.get("OPD_NAME", "Dinas Pengendalian Penduduk dan Keluarga Berencana")
OPD_ADDRESS = os.environ.get("OPD_ADDRESS", "")
OPD_PLACE = os.environ.get("OPD_PLACE", "")
OPD_HEAD_TITLE = os.environ.get("OPD_HEAD_TITLE", "")
OPD_HEAD_NAME = os.environ.get("OPD_HEAD_NAME", "")
OPD_HEAD_NIP = os.environ.get("OPD_HEAD_NIP", "")

# The DHIS2 data value set (rekap.dhis2.json, recap --format dhis2): a JSON file mapping our data
# elements, places and RT codes to a kabupaten's DHIS2 UIDs (docs/dhis2-mapping.sample.json);
# empty: our own keys and codes. A file that cannot be read stops the app at start (a system check).
DHIS2_MAPPING = os.environ.get("DHIS2_MAPPING", "")
