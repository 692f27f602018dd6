"""Profiles told to use IP ranges that have since changed, so support can ask them to update."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.http import HtmxHttpRequest
from apps.support.access import staff_required
from apps.support.selectors import PAGE_SIZE, ip_change


@staff_required
@require_GET
def affected(request: HtmxHttpRequest) -> HttpResponse:
    change = ip_change()
    page = Paginator(change.profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "support/affected.html", {"change": change, "page": page})
