from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.http.request import RawPostDataException
from django.views.decorators.csrf import csrf_exempt

from apps.core.ratelimit import api_rate_limit
from apps.policies.api_input import parse_body
from apps.policies.gather import plan_request
from apps.policies.generator import build_plan
from apps.policies.serialize import plan_to_dict
from apps.sending.selectors import platform_info


def _errors(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


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
    limit = settings.API_MAX_BODY_BYTES
    too_big = {"__all__": [f"The request body must be at most {limit} bytes."]}
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _errors(too_big, 413)
    try:
        body = request.body
    except RequestDataTooBig:
        return _errors(too_big, 413)
    except RawPostDataException:  # something read it as a form first: not JSON anyway
        return _errors({"__all__": ["The body must be JSON (Content-Type: application/json)."]})
    if len(body) > limit:
        return _errors(too_big, 413)
    checked, errors = parse_body(body)
    if checked is None:
        return _errors(errors)
    # No active platform facts: apps.core.middleware.PlatformFactsMiddleware answers 503.
    return JsonResponse(plan_to_dict(build_plan(plan_request(checked, platform_info()))))
