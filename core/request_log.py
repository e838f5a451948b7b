"""One log line per request, and the two line formats of every log record.

What a request line holds is a short, fixed list: method, path, status, duration, user id.
Never the query string (receipt codes travel in it), never form content (passwords,
questionnaire answers, ballot choices), never a client address (questionnaires are
anonymous), never the response size (the voting flow is secret only because every
response has one size; a log of sizes would not change that, but it has no use here).
"""

import copy
import datetime
import json
import logging
import re
import time

from django.utils.encoding import escape_uri_path

logger = logging.getLogger("core.request")

_METHOD = re.compile(r"[A-Z]{1,10}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The only record attributes a formatter writes besides time, level, logger and message:
# Django attaches the whole request object to some records, and it prints with its query string.
FIELDS = ("method", "path", "status", "duration_ms", "user_id")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.monotonic()
        response = self.get_response(request)
        fields = {
            "method": request.method if _METHOD.fullmatch(request.method or "") else "-",
            # Percent-encoded, so a path with a newline or NUL stays on its line.
            "path": escape_uri_path(request.path),
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - start) * 1000),
            "user_id": _user_id(request),
        }
        logger.info(
            " ".join(f"{k}={'-' if v is None else v}" for k, v in fields.items()), extra=fields
        )
        return response


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def _one_line(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class TextFormatter(logging.Formatter):
    """`time level logger message`, control characters in the message escaped."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatMessage(self, record):
        record = copy.copy(record)  # other handlers see the record unchanged
        record.message = _one_line(record.message)
        return super().formatMessage(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line with the listed fields only."""

    def format(self, record):
        data = {
            "time": datetime.datetime.fromtimestamp(record.created)
            .astimezone()
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
