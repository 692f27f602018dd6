"""The customer's current instructions as files, for staff to send on."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from apps.core.http import HtmxHttpRequest
from apps.customers.models import CustomerProfile
from apps.customers.selectors import plan_for_profile, profile_by_support_ref
from apps.exports.responses import pdf_response, text_response
from apps.policies.types import Plan
from apps.sending.selectors import PlatformNotConfigured
from apps.support.access import staff_required


def _plan_or_none(request: HtmxHttpRequest, profile: CustomerProfile) -> Plan | None:
    try:
        return plan_for_profile(profile)
    except PlatformNotConfigured:
        messages.error(request, "No active platform facts: set them in the admin first.")
        return None


@staff_required
@require_GET
def instructions_export(request: HtmxHttpRequest, ref: str, ext: str) -> HttpResponse:
    """The instructions as a PDF (`ext="pdf"`) or plain text (`ext="txt"`)."""
    profile = profile_by_support_ref(ref)
    if (plan := _plan_or_none(request, profile)) is None:
        return redirect("support:profile", ref=profile.support_ref)
    if ext == "pdf":
        return pdf_response(plan, organisation=profile.organisation, request=request)
    return text_response(plan, organisation=profile.organisation)
