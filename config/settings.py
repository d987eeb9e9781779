"""Settings of the portal, read from environment variables (one module for every environment).

Development defaults: DEBUG on, SQLite in the project folder. Production: set DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL (postgres://...). See README.md.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sì"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY è obbligatoria quando DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-not-for-production"  # development default only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap_italia_template",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "jobs",
    "territory",
    "accounts",
    "planning",
    "monitoring",
    "reports",
    "portal",
    "api",
    "ninja",  # serves the interactive documentation's Swagger UI from its own static files (no CDN)
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's own loaders (cached, in development too), with the templates marked {# compatto #} trimmed
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    ["core.template_loaders.FilesystemLoader", "core.template_loaders.AppDirectoriesLoader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "core.page_cache.csrf_placeholder",  # a page to be cached is rendered with a placeholder token
            ],
        },
    },
]

# Persistent connections in production (DB_CONN_MAX_AGE seconds, default 60 with DEBUG=0), checked before reuse.
# Development (runserver opens a thread per request) keeps one connection per request unless DB_CONN_MAX_AGE is set.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several users at once: writers queue (BEGIN IMMEDIATE, wait up to 20 s)
    # instead of failing with "database is locked", and readers do not block the writer (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    # Tests use a database file (not in memory) so that a server in a subprocess can share it
    # (tests/live_gunicorn.py); one file per test process, so that parallel runs do not collide.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SQLITE_TEST_NAME")
        or str(Path(tempfile.gettempdir()) / f"portale-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the session's user read from the shared cache (accounts.user_cache). Sessions opened
    # before it name django.contrib.auth.backends.ModelBackend: those users log in again once.
    "accounts.backends.PortalModelBackend",
    "accounts.oidc.PortalOIDCBackend",  # SPID/CIE through OpenID Connect: does nothing unless configured
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock the username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours (15 minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# SPID/CIE logins are not throttled by axes (the identity provider checks those credentials): accounts.oidc.
AXES_WHITELIST_CALLABLE = "accounts.oidc.axes_exempt"

# SPID and CIE login: the portal is an OpenID Connect relying party (mozilla-django-oidc, accounts.oidc) behind an
# SPID/CIE proxy such as iam-proxy-italia. Off (no button, no route) unless OIDC_ISSUER (or the explicit endpoints)
# and OIDC_CLIENT_ID are set. The provider's endpoints come from OIDC_ISSUER/.well-known/openid-configuration (read
# at the first use, kept OIDC_DISCOVERY_TTL seconds); an explicit OIDC_OP_*_ENDPOINT wins over the discovery.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile").strip()
OIDC_CLAIM_FISCAL_CODE = os.environ.get("OIDC_CLAIM_FISCAL_CODE", "fiscalNumber").strip()
OIDC_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256").strip()
OIDC_LOGOUT = env_bool("OIDC_LOGOUT", True)  # logout also ends the provider's session (end_session_endpoint)
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_DISCOVERY_TTL = env_int("OIDC_DISCOVERY_TTL", 3600)
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "").strip()
OIDC_OP_END_SESSION_ENDPOINT = os.environ.get("OIDC_OP_END_SESSION_ENDPOINT", "").strip()

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano")]
# Italian labels for third-party apps without an Italian catalogue (django-axes in the admin): locale/it.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")  # filled by collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "media"
# Folders of MEDIA_ROOT whose images a PDF may show (core.pdf): the Ambiti's logos only.
PDF_MEDIA_FOLDERS = ["ambiti/loghi/"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Largest scheda file accepted by the web upload and by import_schede (MB).
SCHEDE_UPLOAD_MAX_MB = env_int("SCHEDE_UPLOAD_MAX_MB", 10)
# An accounting export of commitments and payments above this size is imported by a job (0: always).
MOVIMENTI_IMPORT_JOB_KB = env_int("MOVIMENTI_IMPORT_JOB_KB", 100)

# Task queue (Django's Tasks API, the django-tasks backport): long work (documents, exports, recompute-all) runs in
# a worker (jobs app). Default: the database backend, worker `manage.py db_worker`. Production: TASKS_BACKEND=rq
# with REDIS_URL (RQ on Redis), worker `manage.py rqworker default`. `manage.py jobs_watchdog` requeues the jobs
# of a worker that died (heartbeat older than JOBS_HEARTBEAT_TIMEOUT seconds), at most JOBS_MAX_ATTEMPTS times.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db").strip().lower()
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # the worker runs the tasks of django-tasks (`rqworker default`)
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 3600)}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r} non valido: usare «db» (predefinito) o «rq».")
# Cache (Django's cache framework): the data-only fragments of the Ambito pages (core.fragments), keyed by the data
# versions. Default: memory of each process (LocMemCache). Production: with CACHE_REDIS_URL, Redis (shared by the
# gunicorn workers and kept across restarts), in a database of its own: never the task queue's (a cache.clear()
# would empty the queue).
if os.environ.get("CACHE_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",  # Django's, with one client per connection pool
            "LOCATION": os.environ["CACHE_REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portale"),
        }
    }
    # Sessions read from Redis (one round trip instead of a query), written to both: a logout or a new login is seen
    # by every process at once, and the database keeps them across a Redis restart. Never with the per-process
    # memory cache, where another process would keep serving a session ended elsewhere.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portale"}}
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 24 * 3600)
# The logged-in user and its assignments kept in the shared cache (accounts.user_cache): only with Redis, 0 turns it
# off. Whole pages kept per user (core.page_cache), by their data versions and the user's grants; 0 turns it off.
USER_CACHE_SECONDS = env_int("USER_CACHE_SECONDS", 300) if os.environ.get("CACHE_REDIS_URL") else 0
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
FRAGMENT_LOCAL_ENTRIES = env_int("FRAGMENT_LOCAL_ENTRIES", 200)  # kept in each process in front of Redis
JOBS_HEARTBEAT_INTERVAL = float(os.environ.get("JOBS_HEARTBEAT_INTERVAL") or 10)
JOBS_HEARTBEAT_TIMEOUT = float(os.environ.get("JOBS_HEARTBEAT_TIMEOUT") or 45)
JOBS_MAX_ATTEMPTS = 3
# Opening a SOSE campaign creates the expected Comuni's schede in the request up to this many; more, in a job.
CAMPAGNA_SCHEDE_IN_RICHIESTA = env_int("CAMPAGNA_SCHEDE_IN_RICHIESTA", 50)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"  # wide lists scroll in their own box

PORTAL_NAME = "Portale Ambiti Sociali"
# REST API (/api/v1/): requests per token (ninja's AuthRateThrottle, answered 429 beyond).
API_RATE = os.environ.get("API_RATE", "120/min")
# Open data: the publisher of the portal-wide DCAT-AP_IT catalogue (each Ambito names its own for its datasets).
OPENDATA_EDITORE = os.environ.get("OPENDATA_EDITORE", PORTAL_NAME)
OPENDATA_CODICE_IPA = os.environ.get("OPENDATA_CODICE_IPA", "")
# The portal's address as users reach it: the links in the e-mails (reminders) are built on it.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mail (reminders of the SOSE campaigns): the console backend by default (mails printed by the worker); with
# EMAIL_HOST set, SMTP. The password comes only from the environment.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Portale Ambiti Sociali <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Reminders: `manage.py pianifica_promemoria` enqueues the day's sending once a day, from this hour (local time).
PROMEMORIA_ORA = env_int("PROMEMORIA_ORA", 7)
# Reminders of the funds' spending and reporting deadlines to the Ufficio di Piano: days before each deadline,
# as a campaign's «promemoria_giorni» (monitoring.campaigns.fund_reminders).
PROMEMORIA_FONDI_GIORNI = os.environ.get("PROMEMORIA_FONDI_GIORNI", "60,30,7,0")

# Security: strict settings whenever DEBUG is off (checked by `manage.py check --deploy` in CI).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "rq.worker": {"level": "WARNING"},
    },
}
