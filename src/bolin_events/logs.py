"""The service's own log lines: text by default, one JSON object per line with
``BOLIN_LOG_FORMAT=json``, each carrying the id of the request it was written for.

The id is the one routes.access_log gives every request (and echoes as X-Request-ID), held
in a context variable for as long as the request runs, so a warning written deep in a
service names the request that caused it and can be matched with its access line.
"""

from __future__ import annotations

import contextvars
import logging
from datetime import datetime

import msgspec

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
TEXT_FORMAT = "%(levelname)s - %(asctime)s - %(name)s - %(request_id)s - %(message)s"


class WithRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id (and the
    traceback, when there is one)."""

    encoder = msgspec.json.Encoder()

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created).astimezone().isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return self.encoder.encode(line).decode()


def configure(level: str, fmt: str) -> None:
    """The root logger writes to standard error in ``fmt`` ("text" or "json"); called once
    per process by create_app (again: replaces what it set before, nothing else)."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in [h for h in root.handlers if getattr(h, "bolin", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.bolin = True  # type: ignore[attr-defined]
    handler.addFilter(WithRequestId())
    handler.setFormatter(JsonLines() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
