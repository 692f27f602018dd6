"""Step 3: recipient organisations and their domains, added, changed and removed inline."""

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.http import HtmxHttpRequest, is_htmx, or_404, render_panel
from apps.core.ratelimit import dns_rate_limit, rate_limit
from apps.customers import dnsfacts, selectors, services
from apps.customers.models import CustomerProfile, RecipientAccount
from apps.customers.validation import normalise_domain, split_list
from apps.policies.limits import MAX_DOMAINS_PER_ACCOUNT
from apps.wizard import prefill
from apps.wizard.forms import RecipientForm
from apps.wizard.presenters import account_views
from apps.wizard.views.common import (
    apply_errors,
    customer_profile,
    go,
    step_url,
    wizard_context,
)

RECIPIENTS = "wizard/step_recipients.html"

# Step 3's live checks, adds and edits share one DNS allowance; an add (or edit) whose domains
# this browser has just checked live looks up nothing new, so the two count once.
LOOKUPS = "wizard.recipient_domains"
SESSION_CHECKED = "wizard_checked_domains"
CHECKED_FOR = 300  # seconds a live check stands in for the add's own lookup
CHECKED_KEEP = 50  # domains remembered at most


def _account_or_404(profile: CustomerProfile, ref: str) -> RecipientAccount:
    return or_404(
        selectors.recipient_account_by_ref(profile, ref), "No such organisation in this profile."
    )


def _typed_domains(value: str) -> list[str]:
    out = []
    for raw in split_list(value)[:MAX_DOMAINS_PER_ACCOUNT]:
        try:
            out.append(normalise_domain(raw))
        except ValidationError:
            continue
    return out


def _remember_checked(request: HtmxHttpRequest, domains: list[str]) -> None:
    now = time.time()
    kept = {
        domain: at
        for domain, at in (request.session.get(SESSION_CHECKED) or {}).items()
        if now - at < CHECKED_FOR
    }
    kept.update(dict.fromkeys(domains, now))
    newest = sorted(kept.items(), key=lambda item: item[1])[-CHECKED_KEEP:]
    request.session[SESSION_CHECKED] = dict(newest)


def _just_checked(request: HtmxHttpRequest, field: str) -> bool:
    """Whether this request looks up nothing new: a GET (no lookup), a post with no domains
    typed, or one whose domains were all checked live moments ago."""
    if request.method != "POST":
        return True
    return _all_checked(request, request.POST.get(field, ""))


def _all_checked(request: HtmxHttpRequest, typed: str) -> bool:
    domains = _typed_domains(typed)
    if not domains:
        return not typed.strip()
    checked = request.session.get(SESSION_CHECKED) or {}
    now = time.time()
    return all(now - checked.get(domain, 0) < CHECKED_FOR for domain in domains)


def _add_free(request: HtmxHttpRequest, token: str) -> bool:
    return _just_checked(request, "domains")


def _check_free(request: HtmxHttpRequest, token: str) -> bool:
    """The same domains checked again (the field's change event after its input event) look
    up nothing new."""
    typed = request.GET.get("domains", "")
    return bool(typed.strip()) and _all_checked(request, typed)


def _edit_free(request: HtmxHttpRequest, token: str, ref: str) -> bool:
    return _just_checked(request, f"edit-{ref}-domains")


def _context(
    request: HtmxHttpRequest,
    profile: CustomerProfile,
    *,
    form: RecipientForm | None = None,
    editing: RecipientAccount | None = None,
    edit_form: RecipientForm | None = None,
    errors: list[str] | None = None,
) -> dict:
    form = form or RecipientForm(initial=prefill.initial_domains(request, profile))
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
@rate_limit("step_save")
@dns_rate_limit(group=LOOKUPS, free=_add_free)
def recipients(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """GET shows the step; POST ("Continue") moves on once there is at least one organisation.

    Continue submits the add form: an organisation still typed there is added first, or kept,
    with what to fix, if it cannot be — never dropped."""
    profile = customer_profile(request, token)
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
@rate_limit("recipient_change")
@dns_rate_limit(group=LOOKUPS, free=_add_free)
def recipient_add(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = customer_profile(request, token)
    form = RecipientForm(request.POST)
    if _add(profile, form):
        return _changed(request, profile)
    return _list(request, profile, form=form)


@require_http_methods(["GET", "POST"])
@rate_limit("recipient_change")
@dns_rate_limit(group=LOOKUPS, free=_edit_free)
def recipient_edit(request: HtmxHttpRequest, token: str, ref: str) -> HttpResponse:
    profile = customer_profile(request, token)
    account = _account_or_404(profile, ref)
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
@rate_limit("recipient_change")
def recipient_remove(request: HtmxHttpRequest, token: str, ref: str) -> HttpResponse:
    profile = customer_profile(request, token)
    services.recipient_account_remove(account=_account_or_404(profile, ref))
    return _changed(request, profile)


@require_GET
@dns_rate_limit(group=LOOKUPS, free=_check_free)
def domain_check(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Badges for the domains being typed, checked now (nothing saved)."""
    profile = customer_profile(request, token)
    own = selectors.own_domains(profile)
    domains: list[str] = []
    invalid: list[str] = []
    for raw in split_list(request.GET.get("domains", ""))[:MAX_DOMAINS_PER_ACCOUNT]:
        try:
            domains.append(normalise_domain(raw))
        except ValidationError as error:
            invalid.extend(error.messages)
    _remember_checked(request, domains)
    badges = [
        {
            "domain": check.display_domain,
            "badge": check.badge,
            "tone": check.worded().tone,
            "own": check.domain in own,
            # Said at once, in plain words: most often a typo.
            "problem": check.message if check.cannot_receive else "",
        }
        for check in dnsfacts.live_badges(domains)
    ]
    return render(request, f"{RECIPIENTS}#live_badges", {"badges": badges, "invalid": invalid})
