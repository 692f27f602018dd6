"""The customer's current instructions as files, for staff to send on."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from apps.customers.selectors import plan_for_profile
from apps.exports.responses import pdf_response, text_response
from apps.support.access import staff_required
from apps.support.views.common import HtmxHttpRequest, get_profile_or_404


@staff_required
@require_GET
def instructions_pdf(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = get_profile_or_404(token)
    plan = plan_for_profile(profile)
    return pdf_response(plan, organisation=profile.organisation, request=request)


@staff_required
@require_GET
def instructions_text(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = get_profile_or_404(token)
    return text_response(plan_for_profile(profile), organisation=profile.organisation)
