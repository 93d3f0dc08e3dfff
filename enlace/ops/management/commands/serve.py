from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Enlace with gunicorn, configured by config/gunicorn.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", help="Address to listen on (default: ENLACE_BIND or 127.0.0.1:8000)."
        )
        parser.add_argument("--workers", type=int, help="Worker processes (default: from cores).")

    def handle(self, *args: Any, **options: Any) -> None:
        argv = ["gunicorn", "--config", str(settings.BASE_DIR / "config" / "gunicorn.py")]
        if options["bind"]:
            argv += ["--bind", options["bind"]]
        if options["workers"]:
            argv += ["--workers", str(options["workers"])]
        argv.append("config.wsgi:application")
        # gunicorn replaces this process: systemd's stop and reload signals reach it.
        os.execv(sys.executable, [sys.executable, "-m", *argv])  # noqa: S606
