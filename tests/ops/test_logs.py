"""Production log lines: JSON, with the request id, and nothing a record carries beyond them."""

from __future__ import annotations

import json
import logging
import sys

from config.logs import JsonFormatter, RequestIdFilter
from enlace.audit.context import set_request_id


def _line(record: logging.LogRecord) -> dict[str, object]:
    RequestIdFilter().filter(record)
    line: dict[str, object] = json.loads(JsonFormatter().format(record))
    return line


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_a_line_is_json_with_the_request_id() -> None:
    set_request_id("4f1c2b9a0d7e")
    line = _line(_record("Internal Server Error: %s", "/people/P-1/"))
    assert line["message"] == "Internal Server Error: /people/P-1/"
    assert (line["level"], line["logger"], line["request_id"]) == (
        "ERROR",
        "django.request",
        "4f1c2b9a0d7e",
    )


def test_it_writes_no_field_a_caller_attached_but_the_access_log_s() -> None:
    record = _record("GET /people/ 200", request="<WSGIRequest: GET '/people/?q=Rosa'>")
    record.__dict__.update(method="GET", path="/people/", status=200, duration_ms=3.1)
    line = _line(record)
    assert "request" not in line and "Rosa" not in json.dumps(line)
    assert (line["method"], line["path"], line["status"]) == ("GET", "/people/", 200)


NAME = "Rosa Martínez"  # a value read from a file, say: in no line of code


def _convert(value: str) -> None:
    raise ValueError(f"could not convert {value!r}")


def test_an_exception_is_logged_by_its_type_and_frames_not_its_message() -> None:
    try:
        _convert(NAME)
    except ValueError:
        record = _record("Submission S-1 failed")
        record.exc_info = sys.exc_info()
    line = _line(record)
    assert line["exception"] == "ValueError"
    assert "in _convert" in str(line["stack"])
    assert "Rosa" not in json.dumps(line, ensure_ascii=False)
