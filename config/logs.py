"""Log lines for production: one JSON object each, with the request id, no personal data.

A stdlib Formatter rather than a library: what a line may hold is an
allow-list here (time, level, logger, message, request id, and the access
log's method, path, status and duration), so nothing a caller attaches to a
record (Django attaches the whole request) reaches the log by default. An
exception is logged by its type and its frames, not its message, which may
quote a record's values (the importer's policy, enlace/exchange/services.py).
Messages themselves name records by public id, never by a person's name.
"""

from __future__ import annotations

import datetime
import json
import logging
import traceback

from enlace.audit.context import current_request_id

# What the access log (enlace/ops/middleware.py) attaches to its records.
ACCESS_FIELDS = ("method", "path", "status", "duration_ms")


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request (or command, or task) it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
            line["stack"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(line, ensure_ascii=False, default=str)
