"""Steps 1, 2, 4 and 5 of the wizard, the start page and the resume link."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from apps.core.http import HtmxHttpRequest, is_htmx, render_panel, see_other
from apps.core.ratelimit import dns_rate_limit, profile_create_rate_limit, rate_limit
from apps.customers import dnsfacts, selectors, services
from apps.customers.models import CustomerProfile, SendingMode
from apps.customers.validation import normalise_email, split_list
from apps.policies.addresses import domain_of
from apps.sending.selectors import platform_info
from apps.wizard import prefill
from apps.wizard.forms import AboutForm, OptionsForm, SendingForm
from apps.wizard.presenters import (
    STEPS,
    account_views,
    from_line,
    recommended_basis,
    sending_report_rows,
    step_name,
)
from apps.wizard.views.common import (
    apply_errors,
    customer_profile,
    go,
    instructions_url,
    is_stale,
    profile_or_404,
    step_url,
    wizard_context,
)

ABOUT = "wizard/step_about.html"
SENDING = "wizard/step_sending.html"
OPTIONS = "wizard/step_options.html"
REVIEW = "wizard/step_review.html"


# The profile this browser last started or resumed: step 1 again (Back, the home page's Start
# button) edits it rather than creating a second customer. Only its token is kept, server-side.
SESSION_PROFILE = "wizard_profile"


def _remember(request: HtmxHttpRequest, profile: CustomerProfile) -> None:
    if request.session.get(SESSION_PROFILE) != profile.token:
        request.session[SESSION_PROFILE] = profile.token


def _remembered(request: HtmxHttpRequest) -> CustomerProfile | None:
    token = request.session.get(SESSION_PROFILE)
    if not isinstance(token, str):
        return None
    profile = selectors.profile_by_token(token)
    if profile is None:  # a link since replaced: this browser is bound to nothing any more
        del request.session[SESSION_PROFILE]
    return profile


@require_GET
def resume(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The private link: back exactly where the customer left off. Opening it in a browser not
    yet bound to it binds that browser and counts as using the link."""
    profile = profile_or_404(token)
    if request.session.get(SESSION_PROFILE) != profile.token:
        _remember(request, profile)
        services.resume_link_used(profile=profile)
    if profile.wizard_step > len(STEPS):  # past the last step: the instructions
        return HttpResponseRedirect(instructions_url(profile))
    return HttpResponseRedirect(step_url(profile, step_name(profile.wizard_step)))


@require_http_methods(["GET", "POST"])
@profile_create_rate_limit
def start(request: HtmxHttpRequest) -> HttpResponse:
    """Step 1 for a new customer: the profile (and its private link) exists once this is saved.

    A browser that already has a profile is sent to that profile's step 1 instead; a new one is
    made only when asked for (`?new=1`, the "start a new one" link)."""
    prefill.remember(request)  # ?domain= from the bounce explainer, for the recipients step
    wants_new = request.GET.get("new") == "1"
    existing = None if wants_new else _remembered(request)
    if existing is not None:
        if request.method == "POST":
            return about(request, existing.token)
        return see_other(step_url(existing, "about"))
    form = AboutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            _remember(request, profile)
            return go(request, step_url(profile, "sending"))
    action = reverse("wizard:start") + ("?new=1" if wants_new else "")
    context = wizard_context(request, None, 1, form=form, action=action)
    return render_panel(request, ABOUT, context)


@require_http_methods(["GET", "POST"])
@rate_limit("step_save")
def about(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = customer_profile(request, token)
    initial = {
        "organisation": profile.organisation,
        "contact_name": profile.contact_name,
        "contact_email": profile.contact_email,
        "account_reference": profile.account_reference,
    }
    stale = request.method == "POST" and is_stale(request, profile)
    form = AboutForm(None if stale else request.POST or None, initial=initial)
    if request.method == "POST" and not stale and form.is_valid():
        try:
            services.profile_update_about(profile=profile, **form.cleaned_data, next_step=2)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return go(request, step_url(profile, "sending"))
    context = wizard_context(
        request,
        profile,
        1,
        form=form,
        action=step_url(profile, "about"),
        stale=stale,
        new_url=reverse("wizard:start") + "?new=1",
    )
    return render_panel(request, ABOUT, context)


def _sending_context(
    request: HtmxHttpRequest, profile: CustomerProfile, form: SendingForm
) -> dict[str, Any]:
    platform = platform_info()
    data = form.data if form.is_bound else form.initial
    addresses = split_list(data.get("from_addresses", "") or "")
    preview = from_line(
        mode=data.get("mode", "") or "",
        customer_address=data.get("customer_address", "") or "",
        display_name=data.get("display_name", "") or "",
        from_addresses=addresses,
        shared_address=platform.shared_address,
    )
    return wizard_context(
        request,
        profile,
        2,
        form=form,
        action=step_url(profile, "sending"),
        preview=preview,
        shared_address=platform.shared_address,
        report_rows=sending_report_rows(profile.sending_domain_report),
        report_domain=(profile.sending_domain_report or {}).get("display_domain", ""),
        report_checked_at=profile.sending_domain_checked_at,
    )


@require_http_methods(["GET", "POST"])
@rate_limit("step_save")
@dns_rate_limit
def sending(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Step 2. With the customer's own From domain, saving also checks its SPF / DKIM / DMARC."""
    profile = customer_profile(request, token)
    initial = {
        "mode": profile.sending_mode or SendingMode.UNVERIFIED_ADDRESS,
        "customer_address": profile.customer_address or profile.contact_email,
        "from_addresses": "\n".join(selectors.from_addresses(profile)),
        "display_name": profile.display_name,
        "permit_whole_domain": profile.permit_whole_domain,
    }
    stale = request.method == "POST" and is_stale(request, profile)
    form = SendingForm(None if stale else request.POST or None, initial=initial)
    if request.method == "POST" and not stale and form.is_valid():
        # "Check" stays on this step; saving moves the customer on to step 3.
        checking = request.POST.get("action") == "check"
        try:
            services.sending_identity_set(
                profile=profile, **form.service_kwargs(), next_step=None if checking else 3
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # The customer's own From domain: its SPF and DMARC shape the instructions (§5).
            if selectors.sending_domain(profile):
                services.sending_domain_check(profile=profile)
            if checking:
                form = SendingForm(
                    initial={
                        **form.cleaned_data,
                        "from_addresses": "\n".join(selectors.from_addresses(profile)),
                    }
                )
                return render_panel(request, SENDING, _sending_context(request, profile, form))
            return go(request, step_url(profile, "recipients"))
    context = {**_sending_context(request, profile, form), "stale": stale}
    return render_panel(request, SENDING, context)


@require_GET
def sending_preview(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The live From line as the customer types (no DNS, nothing saved)."""
    profile = customer_profile(request, token)
    form = SendingForm(request.GET)
    return render(request, f"{SENDING}#preview", _sending_context(request, profile, form))


@require_GET
@dns_rate_limit
def sending_check(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Check the typed sending domain's SPF / DKIM / DMARC now (nothing saved)."""
    profile = customer_profile(request, token)
    addresses = split_list(request.GET.get("from_addresses", ""))
    report: dict = {}
    error = ""
    if addresses:
        try:
            domain = domain_of(normalise_email(addresses[0]))
        except ValidationError as invalid:
            error = invalid.messages[0]
        else:
            report = dnsfacts.live_sending_report(domain)
    context = {
        "profile": profile,
        "report_rows": sending_report_rows(report),
        "report_domain": report.get("display_domain", ""),
        "report_error": error,
        "report_live": True,
    }
    return render(request, f"{SENDING}#domain_report", context)


@require_http_methods(["GET", "POST"])
@rate_limit("step_save")
def options(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = customer_profile(request, token)
    accounts = selectors.recipient_accounts(profile)
    advice = recommended_basis(profile)
    initial = {
        # Until the customer has chosen (options saved once), the recommendation is preselected.
        "basis": profile.basis if profile.wizard_step > 4 else advice.basis,
        "bulk_refs": [a.ref for a in accounts if a.bulk],
        "api_refs": [a.ref for a in accounts if a.mimecast_api],
        "unique_links": profile.unique_links,
    }
    stale = request.method == "POST" and is_stale(request, profile)
    form = OptionsForm(
        None if stale else request.POST or None,
        initial=initial,
        accounts=accounts,
        recommended=advice.basis,
        reason=advice.reason,
    )
    if request.method == "POST" and not stale and form.is_valid():
        try:
            services.options_set(
                profile=profile,
                basis=form.cleaned_data["basis"],
                bulk_refs=set(form.cleaned_data["bulk_refs"]),
                api_refs=set(form.cleaned_data["api_refs"]),
                unique_links=form.cleaned_data["unique_links"],
                next_step=5,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return go(request, step_url(profile, "review"))
    context = wizard_context(
        request, profile, 4, form=form, action=step_url(profile, "options"), stale=stale
    )
    return render_panel(request, OPTIONS, context)


@require_http_methods(["GET", "POST"])
@rate_limit("step_save")
def review(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Step 5: everything on one page; confirming builds the instructions."""
    profile = customer_profile(request, token)
    errors: list[str] = []
    # Confirming a review page older than the answers would build instructions from answers the
    # customer did not see: show the current ones instead.
    stale = request.method == "POST" and is_stale(request, profile)
    if request.method == "POST" and not stale:
        try:
            services.profile_complete(profile=profile)
        except ValidationError as error:
            errors = error.messages
        else:
            services.plan_record_shown(profile=profile)  # what the customer is about to see
            # The instructions are a page of their own, not a wizard panel.
            if is_htmx(request):
                return HttpResponseClientRedirect(instructions_url(profile))
            return see_other(instructions_url(profile))
    platform = platform_info()
    addresses = selectors.from_addresses(profile)
    accounts = account_views(profile)
    context = wizard_context(
        request,
        profile,
        5,
        errors=errors,
        stale=stale,
        action=step_url(profile, "review"),
        from_addresses=addresses,
        preview=from_line(
            mode=profile.sending_mode,
            customer_address=profile.customer_address,
            display_name=profile.display_name,
            from_addresses=addresses,
            shared_address=platform.shared_address,
        ),
        accounts=accounts,
        bulk_organisations=[item.account.organisation for item in accounts if item.account.bulk],
        api_organisations=[a.account.organisation for a in accounts if a.account.mimecast_api],
        report_rows=sending_report_rows(profile.sending_domain_report),
        report_domain=(profile.sending_domain_report or {}).get("display_domain", ""),
    )
    return render_panel(request, REVIEW, context)
