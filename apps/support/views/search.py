from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.support.access import staff_required
from apps.support.selectors import normalise_query, search_page
from apps.support.views.common import HtmxHttpRequest


@staff_required
@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """One box for every way staff know a customer; htmx swaps the results as they type."""
    query = normalise_query(request.GET.get("q"))
    page = search_page(query, request.GET.get("page")) if query else None
    context = {"query": query, "page": page}
    if request.htmx and not request.htmx.boosted:
        return render(request, "support/search.html#results", context)
    return render(request, "support/search.html", context)
