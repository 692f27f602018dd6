"""Gunicorn settings for production, every value from the environment.

Used by the container (`gunicorn --config config/gunicorn.py config.wsgi`) and the smoke test.
Access logging stays off: apps.core.middleware.RequestLogMiddleware writes one JSON line per
request with the status and timing, with private tokens redacted (gunicorn's would not be).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str


def _int(name: str, default: int, minimum: int = 1) -> int:
    # SystemExit: gunicorn then stops with the message alone instead of a traceback.
    try:
        return env_int(name, default, minimum=minimum)
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None


bind = [f"{env_str('BIND_ADDRESS', '0.0.0.0')}:{_int('PORT', 8000)}"]  # noqa: S104
# Threaded workers: a request waiting on DNS (up to DNS_DEADLINE) or rendering a PDF holds one
# thread, not the whole process, so the other threads keep serving (a sync worker would stand
# still). The main thread accepts connections and waits for a slow client's first bytes before
# handing it to a thread. The app keeps no state in memory, so processes and threads add up.
workers = _int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 8)
# A worker stuck longer than this is killed and replaced; above DNS_DEADLINE plus a PDF render.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so that a slow leak in a library can never build up.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000, minimum=0)
max_requests_jitter = max_requests // 10
# Small request lines and headers: nothing Safelist serves needs more.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# The heartbeat file on tmpfs, so a container with a read-only file system works.
_SHM = "/dev/shm"  # noqa: S108 (gunicorn creates its files there with mkstemp)
if Path(_SHM).is_dir():
    worker_tmp_dir = _SHM

# No runtime control socket: nothing manages workers from inside the container, and it would
# need a writable home directory.
control_socket_disable = True

accesslog = None
errorlog = "-"
loglevel = env_str("LOG_LEVEL", "INFO").lower()
# Gunicorn's own lines (start, worker boots and timeouts) in the same JSON shape as the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "apps.core.logging.JsonFormatter"}},
    # "Error handling request /p/<token>/…" (after a worker timeout, among others) carries the
    # URL: the same filter as the app's handler redacts it.
    "filters": {"redact_tokens": {"()": "apps.core.logging.RedactTokensFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact_tokens"],
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
# The app itself is loaded in each worker after the fork (no preload), so database connections
# are never shared between processes.
preload_app = False
