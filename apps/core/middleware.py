import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from apps.core.errors import ServiceUnavailable
from apps.core.logging import redact
from apps.core.views import request_too_large, service_unavailable

logger = logging.getLogger("safelist.request")


class RequestLogMiddleware:
    """One structured log line per request: method, path (tokens redacted), status, timing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": redact(request.path),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


class NulByteMiddleware:
    """A 400 for a NUL byte anywhere in the path (`/p/%00/`), before any view.

    No URL Safelist serves has one, and PostgreSQL refuses it inside a query: a view passing a
    path part on would answer 500. Query and form values are each view's to check (Django's
    CharField refuses NUL; the support search ignores it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is over its limit with a 413, before anything reads
    it: API_MAX_BODY_BYTES under /api/, DATA_UPLOAD_MAX_MEMORY_SIZE elsewhere.

    Django's own limit leaves out file uploads, which it streams to disk whatever their size;
    Safelist accepts no uploads, so the whole body is held to the one limit. Views trust it (a
    chunked body, which declares no length, is the API view's to cap as it reads).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request.path)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if limit is not None and declared > limit:
            return request_too_large(request, limit)
        return self.get_response(request)


def body_limit(path: str) -> int | None:
    """The most bytes a request body to `path` may have."""
    if path.startswith("/api/"):
        return int(settings.API_MAX_BODY_BYTES)
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class PrivateByDefaultMiddleware:
    """`Cache-Control: private, no-store` on every page that does not set its own.

    Most pages sit behind a private link (the customer's resume link, IT's share link) or a
    staff login and show contact details: no shared cache may keep them, nor a browser on disk.
    Static files never get here (WhiteNoise answers them earlier, with their own headers).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class ServiceUnavailableMiddleware:
    """A `ServiceUnavailable` raised anywhere (e.g. no active platform facts) answers 503 with
    its message, not 500: without what it names there is nothing true to say."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ServiceUnavailable):
            return service_unavailable(request, exception.message)
        return None
