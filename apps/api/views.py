from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.http.request import RawPostDataException
from django.views.decorators.csrf import csrf_exempt

from apps.api.api_input import parse_body
from apps.core.ratelimit import api_rate_limit
from apps.dnscheck import facts
from apps.policies.generator import build_plan
from apps.policies.serialize import plan_to_dict
from apps.sending.selectors import platform_info

NOT_JSON = "The body must be JSON (Content-Type: application/json)."


def _errors(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _is_chunked(request: HttpRequest) -> bool:
    encoding = str(request.META.get("HTTP_TRANSFER_ENCODING", "")).lower()
    return "chunked" in encoding and not request.META.get("CONTENT_LENGTH")


def _chunked_body(request: HttpRequest, limit: int) -> bytes:
    """A chunked body has no Content-Length, so Django reads it as empty; the server (gunicorn)
    decodes the chunks in wsgi.input. One byte past the limit is enough to refuse it."""
    body = request.META["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        raise RequestDataTooBig
    return bytes(body)


# A JSON API with no session or cookie: CSRF protection has nothing to protect.
@csrf_exempt
@api_rate_limit
def plan(request: HttpRequest) -> JsonResponse:
    """POST /api/v1/plan: Mimecast instructions for a customer's situation; nothing is stored."""
    if request.method != "POST":
        # An API client gets its error in JSON like every other answer, not an empty 405.
        response = _errors({"__all__": ["Use POST with a JSON body."]}, 405)
        response["Allow"] = "POST"
        return response
    # A declared length over API_MAX_BODY_BYTES never gets here (RequestBodyLimitMiddleware).
    chunked = _is_chunked(request)
    if (_declared_length(request) or chunked) and request.content_type != "application/json":
        # Also what keeps other sites out: a cross-origin form or text/plain post needs no
        # preflight, a JSON one does. (An empty body is refused below as not JSON.)
        return _errors({"__all__": [NOT_JSON]}, 415)
    limit = settings.API_MAX_BODY_BYTES
    try:
        body = _chunked_body(request, limit) if chunked else request.body
    except RequestDataTooBig:
        return _errors({"__all__": [f"The request body must be at most {limit} bytes."]}, 413)
    except RawPostDataException:  # something read it as a form first: not JSON anyway
        return _errors({"__all__": [NOT_JSON]})
    checked, errors = parse_body(body)
    if checked is None:
        return _errors(errors)
    # No active platform facts: PlatformNotConfigured, which apps.core.middleware answers 503.
    found = facts.gather(checked, platform_info())
    return JsonResponse(plan_to_dict(build_plan(facts.plan_request(checked, found))))
