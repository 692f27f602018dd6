"""The request type every view sees (Django's, plus django-htmx's `request.htmx`) and the
response helpers every audience's views share: htmx partial or whole page, 303 after a POST."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def or_404[T](found: T | None, message: str) -> T:
    """A selector's answer, or a 404 saying `message` when it found nothing (selectors return
    None rather than raise an HTTP error: services and commands use them too)."""
    if found is None:
        raise Http404(message)
    return found


def is_htmx(request: HtmxHttpRequest) -> bool:
    """An htmx swap (not a boosted link or a history restore, which need the whole page)."""
    return (
        bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request
    )


def render_panel(
    request: HtmxHttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str = "panel",
    status: int = 200,
) -> HttpResponse:
    """`template#partial` for htmx requests, the whole page otherwise."""
    name = f"{template}#{partial}" if is_htmx(request) else template
    return render(request, name, context, status=status)


def see_other(url: str) -> HttpResponseRedirect:
    """A 303 redirect: after a POST, the browser GETs the next page."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
