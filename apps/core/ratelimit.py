"""Per-client rate limits, one bucket per action, counted in the shared cache (Redis in
production).

Every limit is a row of `settings.RATE_LIMITS` (action → rate such as ``20/h``), each read from
the environment as `<ACTION>_RATE_LIMIT` (README, "Configuration"), and looked up on each request
so that tests and operators can change them without code. The client is the one
`apps.core.clientip.client_ip` names (the proxy-resolved address; `::ffff:192.0.2.7` counts as
`192.0.2.7`), IPv6 clients by their /64 (django-ratelimit's mask), so one client cannot spread
itself over many buckets and many clients never share one.

| action | counts | why |
|---|---|---|
| `api` | every request to the JSON API | each one may look up DNS |
| `dns` | each page or action that looks up DNS, its own counter per view | DNS is slow and shared |
| `profile_create` | new customer profiles (POST /start/) | nobody needs dozens an hour |
| `step_save` | wizard step saves (POSTs) | a form saved over and over is a script |
| `recipient_change` | recipient organisations added, edited, removed | as above |
| `share_change` | share links made or revoked | as above |
| `it_tick` | IT's ticks on a share link (no DNS: a bucket of its own) | a busy admin ticks fast |
| `resume_email` | support's "email the customer their link" | each one sends an email |
| `link_replace` | a customer replacing their private link | rarely needed twice |

Past a limit the answer is a 429 (`rate_limited`) with `Retry-After` set to when the window ends:
JSON for the API, a page for a browser, a short fragment for an htmx request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

ALL_METHODS = None
# What each action's refusal says the client did too often.
ACTIONS = {
    "api": "requests to the API",
    "dns": "checks",
    "profile_create": "new profiles",
    "step_save": "saves",
    "recipient_change": "changes to the organisations",
    "share_change": "changes to the share links",
    "it_tick": "ticks",
    "resume_email": "emails of the link",
    "link_replace": "link replacements",
}

View = Callable[..., HttpResponse]


def rate_of(action: str) -> str:
    """The action's rate from settings.RATE_LIMITS (a KeyError if the table has no row for it:
    every action must be in the one table)."""
    return str(settings.RATE_LIMITS[action])


def rate_limit(
    action: str,
    *,
    methods: tuple[str, ...] | None = ("POST",),
    per_view: bool = False,
    group: str = "",
    free: Callable[..., bool] | None = None,
) -> Callable[[View], View]:
    """Limit `action` per client: requests with one of `methods` (all when None) count, and past
    the action's rate they get `rate_limited` instead of the view. `per_view` gives each view
    its own counter under the same rate (the DNS pages: opening the instructions many times must
    not stop domain checks); `group` names a counter several views share instead. `free(request,
    ...)` says a request does nothing the limit is for (its domains were just checked live), so it
    does not count, though a client already past the limit is still refused."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown rate-limit action {action!r}: add it to ACTIONS and settings.")

    def decorate(view: View) -> View:
        name = group or (f"{action}:{view.__module__}.{view.__qualname__}" if per_view else action)

        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if methods is None or request.method in methods:
                increment = not (free is not None and free(request, *args, **kwargs))
                usage = get_usage(
                    request, group=name, key="ip", rate=rate_of(action), increment=increment
                )
                if usage is not None and usage["should_limit"]:
                    return rate_limited(request, action=action, retry_after=usage["time_left"])
            return view(request, *args, **kwargs)

        return limited

    return decorate


def api_rate_limit(view: View) -> View:
    """`api` per client on the JSON API, every request."""
    return rate_limit("api", methods=ALL_METHODS)(view)


def dns_rate_limit(
    view: View | None = None, *, group: str = "", free: Callable[..., bool] | None = None
) -> Any:
    """`dns` per client and per view (each view its own counter, or the `group` several views
    share) on anything that triggers DNS lookups, every request: opening the instructions many
    times must not stop a domain check. Used bare (`@dns_rate_limit`) or with arguments."""
    decorate = rate_limit("dns", methods=ALL_METHODS, per_view=True, group=group, free=free)
    return decorate(view) if view is not None else decorate


def profile_create_rate_limit(view: View) -> View:
    """`profile_create` new profiles per client (POSTs to /start/)."""
    return rate_limit("profile_create")(view)


def retry_words(seconds: int) -> str:
    """'try again in 40 seconds' / 'try again in 2 minutes' / 'try again in 3 hours'."""
    if seconds < 90:
        return f"try again in {seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    if minutes < 90:
        return f"try again in {minutes} minutes"
    return f"try again in {-(-minutes // 60)} hours"


def rate_limited(
    request: HttpRequest, *, action: str = "api", retry_after: int = 60
) -> HttpResponse:
    """The 429 for a tripped limit. htmx does not swap a 429 in: its fragment is for the
    wizard's script, which shows its text beside the control."""
    retry_after = max(1, int(retry_after))
    message = (
        f"Too many {ACTIONS.get(action, 'requests')} from your address in a short time: "
        f"{retry_words(retry_after)}."
    )
    response: HttpResponse
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"errors": {"__all__": [message]}}, status=429)
    elif request.headers.get("HX-Request") == "true":
        context = {"message": message, "action": action}
        response = render(request, "core/_rate_limited.html", context, status=429)
    else:
        response = render(request, "core/429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
