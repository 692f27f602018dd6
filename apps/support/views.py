from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@staff_member_required
def search(request: HttpRequest) -> HttpResponse:
    return render(request, "support/placeholder.html")
