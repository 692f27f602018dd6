"""Safelist settings: one file, every deployment-specific value read from the environment.

Production differs from local development by environment values only (see .env.example).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from config.env import env_bool, env_choice, env_float, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Without debug there is no safe default for the key: refuse to start rather than guess.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "local-development-only-not-secret" if DEBUG else None)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "apps.core",
    "apps.sending",
    "apps.customers",
    "apps.dnscheck",
    "apps.policies",
    "apps.api",
    "apps.wizard",
    "apps.instructions",
    "apps.exports",
    "apps.support",
    "apps.delivery",
]

MIDDLEWARE = [
    "apps.core.middleware.RequestLogMiddleware",
    "apps.dnscheck.middleware.DnsBudgetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads the body; after the middleware that add security headers and the nonce.
    "apps.core.middleware.RequestBodyLimitMiddleware",
    "apps.core.middleware.NulByteMiddleware",
    "apps.core.middleware.PrivateByDefaultMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Something every answer needs is not set up (e.g. no active platform facts): a 503.
    "apps.core.middleware.ServiceUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safelist.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the page read while a wizard step writes; IMMEDIATE avoids "database is locked"
    # on write-after-read transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The test database is a file, not shared memory: browser tests send concurrent requests
    # (htmx checks while a form posts), and one in-memory connection shared across the live
    # server's threads fails under that. One file per process keeps parallel runs apart.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Lets deployments (and the smoke test) share one Redis without sharing keys.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "safelist"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "admin:login"
# Where a sign-in goes when its `next` is missing or unsafe (another site): the support console,
# not Django's default /accounts/profile/, which does not exist here.
LOGIN_REDIRECT_URL = "support:search"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 1.0)
AXES_RESET_ON_SUCCESS = True
# Locked per username and, separately, per address: wrong passwords for one account from many
# addresses lock that account, and guesses at many accounts from one address lock that address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Trusted proxies in front of the app, each adding one X-Forwarded-For entry: how the lock-out
# and the rate limits find the client's own address (apps.core.clientip).
TRUSTED_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "apps.core.clientip.client_ip"

SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Served over HTTPS: secure, __Secure- prefixed cookies, HSTS and redirects. On by default
# unless DEBUG is; a plain-HTTP deployment turns it off explicitly with DJANGO_HTTPS=0, and then
# `check --deploy` says why its HTTPS warnings are silenced (apps.core.checks).
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
PLAIN_HTTP_BY_CHOICE = not HTTPS and not DEBUG
if PLAIN_HTTP_BY_CHOICE:
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SESSION_COOKIE_NAME = "__Secure-sessionid"
    CSRF_COOKIE_NAME = "__Secure-csrftoken"
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# The preload directive alone changes nothing: a domain is only preloaded once its owner submits
# it. Sending it keeps `check --deploy` clean; DJANGO_HSTS_PRELOAD=0 leaves it out.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=HTTPS)
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Request bodies: nothing Safelist accepts is large.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_MAX_BODY_BYTES", 256 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `collectstatic`; local runs and tests serve the sources.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# Without collected, hashed files WhiteNoise serves the sources directly.
WHITENOISE_USE_FINDERS = STORAGES["staticfiles"]["BACKEND"].endswith(".StaticFilesStorage")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# DNS: every lookup goes through apps.dnscheck.resolver with these limits.
DNS_NAMESERVERS = env_list("DNS_NAMESERVERS", [])
DNS_PORT = env_int("DNS_PORT", 53, minimum=1)
DNS_TIMEOUT = env_float("DNS_TIMEOUT", 2.0)
DNS_DEADLINE = env_float("DNS_DEADLINE", 4.0)

# Rate limits, per client and per action (apps.core.ratelimit names what each one counts),
# counted in the shared cache (Redis in production). Each is read from <ACTION>_RATE_LIMIT.
RATE_LIMITS = {
    action: env_rate(f"{action.upper()}_RATE_LIMIT", default)
    for action, default in (
        ("api", "60/m"),
        ("dns", "30/m"),
        # Nobody needs dozens of new profiles an hour.
        ("profile_create", "20/h"),
        ("step_save", "300/h"),
        ("recipient_change", "300/h"),
        ("share_change", "100/h"),
        # Ticks look nothing up: a generous bucket of their own, not the DNS one.
        ("it_tick", "300/m"),
        ("resume_email", "10/h"),
        ("link_replace", "10/h"),
    )
}
# Largest JSON body POST /api/v1/plan accepts (413 beyond it).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 64 * 1024, minimum=1024)
# django_ratelimit is used as a library (its counters, through apps.core.ratelimit), not an
# installed app: its start-up check rejects local memory, which a single-process `make run` uses.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "apps.core.clientip.client_ip"

# Email (support sends a customer their resume link): printed to the console in local
# development, SMTP otherwise.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Safelist <no-reply@localhost>")

PDF_PAGE_SIZE = env_choice("PDF_PAGE_SIZE", "A4", ("A4", "Letter"))
# The longest PDF made in one go, in pages estimated from its length (one organisation at the
# app's limits is about 70); longer plans get one PDF per organisation, or the text export.
PDF_MAX_PAGES = env_int("PDF_MAX_PAGES", 100, minimum=1)
# PDFs laid out at once across every worker (counted in the shared cache); 503 past it.
PDF_MAX_CONCURRENT = env_int("PDF_MAX_CONCURRENT", 2, minimum=1)

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "apps.core.logging.JsonFormatter"}},
    # No private token in any line, from any logger: the filter sits on the one handler.
    "filters": {"redact_tokens": {"()": "apps.core.logging.RedactTokensFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's defaults give its loggers handlers of their own (console, mail_admins),
        # which would bypass the filter: everything goes through the root's handler instead.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # Our request log replaces Django's own per-request lines.
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
        "django.request": {"level": "ERROR"},
        # WeasyPrint reports every layout step at INFO: one line per stylesheet per PDF.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Start-up chatter no one asked for: axes announces itself in every process (and each
        # cleared lock-out at INFO), runserver's reloader says it is watching files.
        "axes": {"level": "WARNING"},
        "django.utils.autoreload": {"level": "WARNING"},
    },
}
