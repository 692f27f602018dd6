"""The instructions: the customer's page (via the resume link) and IT's page (via a share link),
with downloads, sharing and the IT checklist."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.core.http import HtmxHttpRequest
from apps.core.ratelimit import dns_rate_limit
from apps.customers import selectors, services
from apps.customers.models import CustomerProfile
from apps.exports.responses import json_response, pdf_response, text_response
from apps.exports.text import render_text
from apps.wizard.forms.sharing import RevokeForm, ShareLinkForm, TickForm
from apps.wizard.views.common import is_htmx, render_panel, see_other, step_url

INSTRUCTIONS = "wizard/instructions.html"
IT_PAGE = "wizard/it.html"


def _plan_context(
    profile: CustomerProfile, *, namespace: str, token: str, tick_url: str | None = None
) -> dict[str, Any]:
    """The instructions as shown to the customer ("customer") or to IT ("it"), whose downloads
    are reached through `token` in that URL namespace."""
    plan = services.plan_show(profile=profile)
    ticks = selectors.checklist_for_profile(profile)
    return {
        "profile": profile,
        "plan": plan,
        "ticks": ticks,
        "progress": selectors.checklist_progress(plan, ticks),
        "tick_url": tick_url,
        "plan_text": render_text(plan, organisation=profile.organisation),
        "downloads": {
            ext: reverse(f"{namespace}:instructions_{ext}", kwargs={"token": token})
            for ext in ("pdf", "txt", "json")
        },
    }


def _instructions_context(
    request: HtmxHttpRequest, profile: CustomerProfile, **extra: Any
) -> dict[str, Any]:
    links = [
        {
            "link": link,
            "url": request.build_absolute_uri(reverse("it:page", kwargs={"token": link.token})),
        }
        for link in selectors.share_links_for_profile(profile)
    ]
    return {
        **_plan_context(profile, namespace="customer", token=profile.token),
        "share_links": links,
        "share_form": extra.pop("share_form", None) or ShareLinkForm(),
        "resume_url": request.build_absolute_uri(
            reverse("customer:resume", kwargs={"token": profile.token})
        ),
        "edit_url": step_url(profile, "review"),
        **extra,
    }


@require_GET
@dns_rate_limit
def instructions(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = selectors.profile_by_token(token)
    if selectors.missing_answers(profile):
        return HttpResponseRedirect(step_url(profile, "review"))
    return render(request, INSTRUCTIONS, _instructions_context(request, profile))


def _export(profile: CustomerProfile, ext: str, request: HtmxHttpRequest) -> HttpResponse:
    if selectors.missing_answers(profile):
        raise Http404("No instructions yet.")
    plan = services.plan_show(profile=profile)
    if ext == "pdf":
        return pdf_response(plan, organisation=profile.organisation, request=request)
    if ext == "txt":
        return text_response(plan, organisation=profile.organisation)
    return json_response(plan, organisation=profile.organisation, download=True)


@require_GET
@dns_rate_limit
def instructions_export(request: HtmxHttpRequest, token: str, ext: str) -> HttpResponse:
    return _export(selectors.profile_by_token(token), ext, request)


@require_POST
@dns_rate_limit
def recheck(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Look up every domain again (e.g. after a timeout) and show the refreshed instructions."""
    profile = selectors.profile_by_token(token)
    services.dns_recheck(profile=profile)
    return see_other(step_url(profile, "instructions"))


@require_POST
@dns_rate_limit
def share_create(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = selectors.profile_by_token(token)
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        try:
            services.share_link_create(profile=profile, label=form.cleaned_data["label"])
        except ValidationError as error:
            form.add_error("label", error.messages)
        else:
            if not is_htmx(request):
                return see_other(step_url(profile, "instructions") + "#share")
            context = _instructions_context(request, profile, share_created=True)
            return render_panel(request, INSTRUCTIONS, context, partial="share")
    context = _instructions_context(request, profile, share_form=form)
    return render_panel(request, INSTRUCTIONS, context, partial="share")


@require_POST
@dns_rate_limit
def share_revoke(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = selectors.profile_by_token(token)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        raise Http404("No such link.")
    link = selectors.share_link_of_profile(profile, form.cleaned_data["link"])
    services.share_link_revoke(share_link=link)
    if not is_htmx(request):
        return see_other(step_url(profile, "instructions") + "#share")
    return render_panel(
        request, INSTRUCTIONS, _instructions_context(request, profile), partial="share"
    )


# --- IT's side: the share link ----------------------------------------------------------------


@require_GET
@dns_rate_limit
def it_page(request: HtmxHttpRequest, token: str) -> HttpResponse:
    link = selectors.share_link_by_token(token)
    tick_url = reverse("it:tick", kwargs={"token": token})
    context = _plan_context(link.profile, namespace="it", token=token, tick_url=tick_url)
    return render(request, IT_PAGE, context)


@require_GET
@dns_rate_limit
def it_export(request: HtmxHttpRequest, token: str, ext: str) -> HttpResponse:
    return _export(selectors.share_link_by_token(token).profile, ext, request)


@require_POST
@dns_rate_limit
def it_tick(request: HtmxHttpRequest, token: str) -> HttpResponse:
    link = selectors.share_link_by_token(token)
    form = TickForm(request.POST)
    if not form.is_valid():
        raise Http404("No such step.")
    account, step = form.cleaned_data["account"], form.cleaned_data["step"]
    plan = selectors.plan_for_profile(link.profile)
    steps = {(a.ref, s.key): (a, s) for a in plan.accounts for s in a.steps}
    if (account, step) not in steps:
        raise Http404("No such step.")
    try:
        services.checklist_tick_set(
            profile=link.profile,
            share_link=link,
            account_ref=account,
            step_key=step,
            done=form.cleaned_data["done"],
        )
    except ValidationError:
        raise Http404("No such step.") from None
    if not is_htmx(request):
        url = reverse("it:page", kwargs={"token": token}) + f"#step-{account}-{step}"
        return see_other(url)
    ticks = selectors.checklist_for_profile(link.profile)
    # The plan's own account and step: the tick button's name says which step it ticks.
    plan_account, plan_step = steps[(account, step)]
    context = {
        "account": plan_account,
        "step": plan_step,
        "ticks": ticks,
        "tick_url": reverse("it:tick", kwargs={"token": token}),
        "progress": selectors.checklist_progress(plan, ticks),
        "it_view": True,
    }
    return render(request, "wizard/_tick_response.html", context)
