from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from enlace.core.keys import keys_verify  # noqa: E402  (needs the apps loaded above)

# A server started with the wrong keys stops here, before it stores anything.
keys_verify()
# gunicorn loads this once and then forks (preload_app): every view imported now is
# shared by the workers instead of each importing them at its first request, and
# the check's connection must not be shared: each worker opens its own.
get_resolver().url_patterns  # noqa: B018  (imports every view)
connections.close_all()
