from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from enlace.core.keys import keys_verify  # noqa: E402  (needs the apps loaded above)

# A server started with the wrong keys stops here, before it stores anything.
keys_verify()
# gunicorn loads this once and then forks (preload_app): the check's connection must
# not be shared by the workers, each of which opens its own.
connections.close_all()
