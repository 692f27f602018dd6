from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from apps.core.http import HtmxHttpRequest
from apps.support.access import staff_required
from apps.support.selectors import normalise_query, search_page


@staff_required
@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """One box for every way staff know a customer; htmx swaps the results as they type."""
    query = normalise_query(request.GET.get("q"))
    page = search_page(query, request.GET.get("page")) if query else None
    context = {"query": query, "page": page}
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    template = "support/search.html#results" if partial else "support/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
