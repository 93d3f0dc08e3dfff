"""gunicorn's configuration for Enlace (``enlace serve``; deploy/enlace-web.service).

Read by gunicorn itself, not by Django. Every value comes from the environment
with a default fit for one machine; docs/deployment.md explains each.
"""

from __future__ import annotations

import os

# The reverse proxy talks to this address; never expose it directly.
bind = os.getenv("ENLACE_BIND", "127.0.0.1:8000")

# Pre-forked sync workers: pages are CPU-bound Python, so processes rather than
# threads, two per core plus one (gunicorn's advice) so that one waiting on the
# database does not leave a core idle. The cores are those this process may use.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.getenv("ENLACE_WEB_WORKERS", "0") or 0) or 2 * (_cores or 1) + 1
threads = int(os.getenv("ENLACE_WEB_THREADS", "1") or 1)

# A small import runs inside its request (ENLACE_IMPORT_INLINE_MAX_ROWS): give it time.
timeout = int(os.getenv("ENLACE_WEB_TIMEOUT", "60") or 60)
graceful_timeout = 30
keepalive = 5
# Each worker is replaced after about this many requests, staggered, so that
# memory a long-lived process gathers is given back.
max_requests = int(os.getenv("ENLACE_WEB_MAX_REQUESTS", "2000") or 0)
max_requests_jitter = max_requests // 10

# The application is loaded once, before forking: a wrong key stops the start
# (config/wsgi.py), not each worker in a loop. Connections are opened per worker.
preload_app = True

# No access log here: Django writes one line per request, with its request id
# and the path without its query string (which may hold a searched name).
accesslog = None
errorlog = "-"
loglevel = os.getenv("ENLACE_LOG_LEVEL", "info").lower()
# Only the proxy on this host may set X-Forwarded-* (ENLACE_PROXY_COUNT tells Django).
forwarded_allow_ips = os.getenv("ENLACE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's own lines (start, workers booted or killed) as JSON too, like Django's
# (config/settings.py chooses the format the same way).
_production = os.getenv("ENLACE_ENV", "development") == "production"
if os.getenv("ENLACE_LOG_FORMAT", "json" if _production else "text") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
        "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json"}},
        # Until Django's own LOGGING (the same) takes over, once the application loads.
        "root": {"handlers": ["json"], "level": loglevel.upper()},
        "loggers": {
            "gunicorn.error": {"handlers": ["json"], "level": loglevel.upper(), "propagate": False}
        },
    }
proc_name = "enlace-web"
# The service manager controls the process: no control socket in the user's home.
control_socket_disable = True
