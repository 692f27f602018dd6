from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def request_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """Answer for a request body over the limit."""
    return _refused(
        request,
        413,
        f"The request is too large: at most {limit} bytes ({limit // 1024} KB) are accepted.",
    )


def service_unavailable(request: HttpRequest, message: str) -> HttpResponse:
    """Answer when something every answer needs is not set up (apps.core.errors)."""
    return _refused(request, 503, message)


def _refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """JSON for the API (and anyone asking for JSON), else the page templates/core/<status>.html."""
    if _wants_json(request):
        return JsonResponse({"errors": {"__all__": [message]}}, status=status)
    return render(request, f"core/{status}.html", {"message": message}, status=status)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )
