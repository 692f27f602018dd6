import json
import logging
import re
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else came through `extra=` and becomes a field.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

REDACTED = "…"
# Private tokens travel in URLs (resume links /p/<token>/, share links /it/<token>/). Whatever
# follows those prefixes is a token or a guess at one; elsewhere any path segment that looks
# like one (20+ URL-safe characters), and any 32+ character URL-safe run (a token quoted
# outside a path, e.g. in an exception message).
_LINK_TOKEN = re.compile(r"(/(?:p|it)/)[^/?#\s'\"<>]+")
_PATH_SEGMENT = re.compile(r"(/)[A-Za-z0-9_-]{20,}(?=[/?#\s'\"<>)]|$)")
_LONG_RUN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])")


def redact(text: str) -> str:
    """`text` with every private token in it replaced by an ellipsis.

    >>> redact("GET /p/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA/instructions/ 500")
    'GET /p/…/instructions/ 500'
    """
    text = _LINK_TOKEN.sub(rf"\1{REDACTED}", text)
    text = _PATH_SEGMENT.sub(rf"\1{REDACTED}", text)
    return _LONG_RUN.sub(REDACTED, text)


class RedactTokensFilter(logging.Filter):
    """Rewrites a record so that no private token leaves the process, whoever logged it.

    Installed on every handler (Django's settings and gunicorn's log configuration), so it sees
    records from every logger: Django's 500 and CSRF lines, DisallowedHost, gunicorn's
    "Error handling request" after a worker timeout. The message is formatted here and its
    arguments dropped; the traceback is formatted and redacted too, and so is every extra
    field (Django passes the request itself, whose repr holds the path).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format string
            message = f"{record.msg} {record.args}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key, value in list(record.__dict__.items()):
            extra = key not in _STANDARD and not key.startswith("_")
            if extra and not isinstance(value, int | float | bool | None):
                record.__dict__[key] = redact(str(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, so logs can be searched without parsing prose."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = (
                    value if isinstance(value, str | int | float | bool | None) else str(value)
                )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)
