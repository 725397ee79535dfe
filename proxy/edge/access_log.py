"""The access log without query strings: a query may carry a credential (`?api-key=`) or any
other value a client chose, and a log line is no place for either."""

from __future__ import annotations

import logging

__all__ = ["QueryDropped"]


class QueryDropped(logging.Filter):
    """Cuts every text argument of a record at its `?` (uvicorn passes the request target as
    one argument of its access record; address, method and version hold no `?`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(
                arg.partition("?")[0] if isinstance(arg, str) else arg for arg in args
            )
        return True
