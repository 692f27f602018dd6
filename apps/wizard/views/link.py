"""Replacing the customer's private link."""

from django.contrib import messages
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from apps.core.http import HtmxHttpRequest
from apps.core.ratelimit import rate_limit
from apps.customers import services
from apps.customers.models import CustomerProfile
from apps.wizard.presenters import step_name
from apps.wizard.views.common import customer_profile, see_other, step_url
from apps.wizard.views.steps import SESSION_PROFILE


def _where_they_are(profile: CustomerProfile) -> str:
    """The page the resume link opens (where the link's box was), at the box."""
    name = "instructions" if profile.wizard_step > 5 else step_name(profile.wizard_step)
    return step_url(profile, name) + "#private-link"


@require_POST
@rate_limit("link_replace")
def link_replace(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """A new private link once the customer confirms; the old one is a 404 from now on. This
    browser follows the new link (its session binding is moved to it); any other browser bound
    to the old one is bound to nothing."""
    profile = customer_profile(request, token)
    if request.POST.get("confirm") != "yes":
        messages.error(
            request,
            "Your link was not replaced: tick the box to confirm the old one should stop working.",
        )
        return see_other(_where_they_are(profile))
    services.resume_link_replace(profile=profile)
    request.session[SESSION_PROFILE] = profile.token
    messages.success(
        request,
        "Your private link was replaced: the old one no longer opens. Keep the new one below; "
        "the links you gave IT still work.",
    )
    return see_other(_where_they_are(profile))
