"""What every wizard view shares: moving between steps, error mapping and the step context."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django_htmx.http import HttpResponseLocation

from apps.core.http import HtmxHttpRequest, is_htmx, or_404, see_other
from apps.customers import selectors, services
from apps.customers.models import CustomerProfile
from apps.wizard.presenters import STEPS

NO_PROFILE = "No such profile."


def customer_profile(request: HttpRequest, token: str) -> CustomerProfile:
    """The profile behind the private link in the URL (404 for any other token). A save (POST)
    through the link counts as using it (services.resume_link_used: at most every few minutes);
    a plain page view writes nothing."""
    return or_404(services.profile_by_link(token, saving=request.method == "POST"), NO_PROFILE)


def profile_or_404(token: str) -> CustomerProfile:
    """The profile behind a resume link, without counting the link as used; 404 otherwise."""
    return or_404(selectors.profile_by_token(token), NO_PROFILE)


def go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """After a successful post: htmx swaps the next panel in and pushes its URL; without
    JavaScript a 303 redirect does the same."""
    if is_htmx(request):
        return HttpResponseLocation(url, target="#wizard-panel", swap="outerHTML")
    return see_other(url)


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field-keyed errors on the form fields they belong to."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def is_stale(request: HttpRequest, profile: CustomerProfile) -> bool:
    """Whether a step was posted from a page shown before the customer's answers last changed
    (Back, a restored tab, a second tab). Each step's form carries the `revision` it was shown
    with; a value that is missing counts as current, one that is not the stored number as stale.
    """
    sent = request.POST.get("revision")
    return sent is not None and sent.strip() != str(profile.revision)


def step_url(profile: CustomerProfile, name: str) -> str:
    return reverse(f"wizard:{name}", kwargs={"token": profile.token})


def instructions_url(profile: CustomerProfile) -> str:
    """Where the wizard ends: the customer's instructions (apps.instructions)."""
    return reverse("customer:instructions", kwargs={"token": profile.token})


def wizard_context(
    request: HttpRequest, profile: CustomerProfile | None, number: int, **extra: Any
) -> dict[str, Any]:
    steps = [
        {
            "number": n,
            "name": name,
            "title": title,
            "url": step_url(profile, name) if profile else None,
            "current": n == number,
        }
        for n, name, title in STEPS
    ]
    resume_url = (
        request.build_absolute_uri(reverse("wizard:resume", kwargs={"token": profile.token}))
        if profile
        else ""
    )
    return {
        "profile": profile,
        "step": number,
        "step_title": STEPS[number - 1][2],
        "steps": steps,
        "step_count": len(STEPS),
        "resume_url": resume_url,
        "back_url": step_url(profile, STEPS[number - 2][1]) if profile and number > 1 else "",
        **extra,
    }
