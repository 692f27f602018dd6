from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer for a tripped rate limit: JSON for the API (and anyone asking for JSON), a page
    otherwise. htmx does not swap a 429 in; the wizard's script shows its own message."""
    message = "Too many requests from your address. Please wait a minute and try again."
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"errors": {"__all__": [message]}}, status=429)
    else:
        response = render(request, "core/429.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def request_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """Answer for a request body over the limit: JSON for the API, a page for browsers."""
    message = f"The request is too large: at most {limit // 1024} KB is accepted."
    if _wants_json(request):
        return JsonResponse({"errors": {"__all__": [message]}}, status=413)
    return render(request, "core/413.html", {"message": message}, status=413)
