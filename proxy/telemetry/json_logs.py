"""JSON-lines logs (`telemetry.log_format: json`): one object a line with the time, level,
logger and message, and, inside a call, its request id and (when traced) trace and span ids.
Messages are the gateway's own, which never quote request values."""

from __future__ import annotations

import contextvars
import logging
from typing import Any

import orjson

from proxy.call import Call, Next, Reply

__all__ = ["JsonLines", "LogContextStage"]

# The call a log line is written for: set by LogContextStage in the call's own task (each
# request runs in a task of its own, so it never leaks into another call).
_REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "metaqore_request_id", default=None
)


class LogContextStage:
    """Outermost when logs are JSON: lets every line written for a call name it."""

    async def __call__(self, call: Call, next_: Next) -> Reply:
        _REQUEST_ID.set(call.request_id)
        return await next_(call)


class JsonLines(logging.Formatter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        try:  # trace ids only where the `otel` extra is installed
            from opentelemetry import trace
        except ImportError:
            self._current_span: Any = None
        else:
            self._current_span = trace.get_current_span

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = _REQUEST_ID.get()
        if request_id is not None:
            line["request_id"] = request_id
        if self._current_span is not None:
            context = self._current_span().get_span_context()
            if context.is_valid:
                line["trace_id"] = f"{context.trace_id:032x}"
                line["span_id"] = f"{context.span_id:016x}"
        if record.exc_info:
            line["error"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return orjson.dumps(line).decode()
