"""Step 3: recipient organisations and their domains, added, changed and removed inline."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.http import HtmxHttpRequest, is_htmx, render_panel
from apps.core.ratelimit import dns_rate_limit
from apps.customers import dnsfacts, selectors, services
from apps.customers.models import CustomerProfile, RecipientAccount
from apps.customers.validation import normalise_domain, split_list
from apps.policies.limits import MAX_DOMAINS_PER_ACCOUNT
from apps.wizard.forms import RecipientForm
from apps.wizard.presenters import account_views
from apps.wizard.views.common import (
    apply_errors,
    go,
    step_url,
    wizard_context,
)

RECIPIENTS = "wizard/step_recipients.html"


def _context(
    request: HtmxHttpRequest,
    profile: CustomerProfile,
    *,
    form: RecipientForm | None = None,
    editing: RecipientAccount | None = None,
    edit_form: RecipientForm | None = None,
    errors: list[str] | None = None,
) -> dict:
    form = form or RecipientForm()
    # Each domain is checked as it is typed (htmx only): badges appear under the field.
    form.fields["domains"].widget.attrs.update(
        {
            "data-hx-get": step_url(profile, "domain_check"),
            "data-hx-trigger": "input changed delay:600ms, change",
            "data-hx-target": "#live-badges",
            "data-hx-swap": "outerHTML",
            "data-hx-sync": "this:replace",
        }
    )
    return wizard_context(
        request,
        profile,
        3,
        accounts=account_views(profile),
        form=form,
        editing=editing,
        edit_form=edit_form,
        errors=errors or [],
        action=step_url(profile, "recipients"),
        add_url=step_url(profile, "recipient_add"),
        check_url=step_url(profile, "domain_check"),
    )


def _list(request: HtmxHttpRequest, profile: CustomerProfile, **kwargs: Any) -> HttpResponse:
    """htmx: just the list and the add form; otherwise the whole step."""
    context = _context(request, profile, **kwargs)
    return render_panel(request, RECIPIENTS, context, partial="recipients")


def _changed(request: HtmxHttpRequest, profile: CustomerProfile) -> HttpResponse:
    """After an add, edit or remove: htmx gets the fresh list, a plain form post a redirect."""
    if not is_htmx(request):
        return go(request, step_url(profile, "recipients"))
    return _list(request, profile)


ADD_FIELDS = ("organisation", "domains", "it_contact_email")
KEPT_TYPED = (
    "The organisation you typed below is not added yet: complete or correct it and press "
    "Continue again (or clear its fields to continue without it)."
)


def _add(profile: CustomerProfile, form: RecipientForm) -> bool:
    """Add the organisation in `form` (its domains checked in DNS); False, with the reasons on
    the form, when it cannot be added."""
    if not form.is_valid():
        return False
    try:
        account = services.recipient_account_add(
            profile=profile,
            organisation=form.cleaned_data["organisation"],
            domains=form.cleaned_data["domains"],
            it_contact_email=form.cleaned_data["it_contact_email"],
        )
    except ValidationError as error:
        apply_errors(form, error)
        return False
    services.recipient_domains_check(account=account)
    return True


@require_http_methods(["GET", "POST"])
@dns_rate_limit
def recipients(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """GET shows the step; POST ("Continue") moves on once there is at least one organisation.

    Continue submits the add form: an organisation still typed there is added first, or kept,
    with what to fix, if it cannot be — never dropped."""
    profile = selectors.profile_by_token(token)
    if request.method == "POST":
        if any(request.POST.get(field, "").strip() for field in ADD_FIELDS):
            form = RecipientForm(request.POST)
            if not _add(profile, form):
                return _list(request, profile, form=form, errors=[KEPT_TYPED])
        if profile.recipient_accounts.exists():
            services.wizard_step_set(profile=profile, step=4)
            return go(request, step_url(profile, "options"))
        errors = ["Add at least one organisation that receives your invitations."]
        return _list(request, profile, errors=errors)
    return render_panel(request, RECIPIENTS, _context(request, profile))


@require_POST
@dns_rate_limit
def recipient_add(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = selectors.profile_by_token(token)
    form = RecipientForm(request.POST)
    if _add(profile, form):
        return _changed(request, profile)
    return _list(request, profile, form=form)


@require_http_methods(["GET", "POST"])
@dns_rate_limit
def recipient_edit(request: HtmxHttpRequest, token: str, ref: str) -> HttpResponse:
    profile = selectors.profile_by_token(token)
    account = selectors.recipient_account_by_ref(profile, ref)
    initial = {
        "organisation": account.organisation,
        "domains": "\n".join(account.domains.values_list("domain", flat=True)),
        "it_contact_email": account.it_contact_email,
    }
    form = RecipientForm(request.POST or None, initial=initial, prefix=f"edit-{ref}")
    if request.method == "POST" and form.is_valid():
        try:
            services.recipient_account_update(
                account=account,
                organisation=form.cleaned_data["organisation"],
                domains=form.cleaned_data["domains"],
                it_contact_email=form.cleaned_data["it_contact_email"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            services.recipient_domains_check(account=account)
            return _changed(request, profile)
    return _list(request, profile, editing=account, edit_form=form)


@require_POST
def recipient_remove(request: HtmxHttpRequest, token: str, ref: str) -> HttpResponse:
    profile = selectors.profile_by_token(token)
    services.recipient_account_remove(account=selectors.recipient_account_by_ref(profile, ref))
    return _changed(request, profile)


@require_GET
@dns_rate_limit
def domain_check(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Badges for the domains being typed, checked now (nothing saved)."""
    profile = selectors.profile_by_token(token)
    own = selectors.own_domains(profile)
    domains: list[str] = []
    invalid: list[str] = []
    for raw in split_list(request.GET.get("domains", ""))[:MAX_DOMAINS_PER_ACCOUNT]:
        try:
            domains.append(normalise_domain(raw))
        except ValidationError as error:
            invalid.extend(error.messages)
    badges = [
        {
            "domain": check.display_domain,
            "badge": check.badge,
            "tone": check.worded().tone,
            "own": check.domain in own,
        }
        for check in dnsfacts.live_badges(domains)
    ]
    return render(request, f"{RECIPIENTS}#live_badges", {"badges": badges, "invalid": invalid})
