"""The instructions: the customer's page (via the resume link) and IT's page (via a share link),
with downloads, sharing and the IT checklist."""

from collections.abc import Container
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.core.http import HtmxHttpRequest, is_htmx, or_404, see_other
from apps.core.ratelimit import dns_rate_limit, rate_limit
from apps.customers import selectors, services
from apps.customers.models import CustomerProfile, ShareLink
from apps.customers.stepprints import StepChanges, plan_fingerprints, step_changes
from apps.dnscheck import status
from apps.exports.content import plan_heading
from apps.exports.responses import json_response, pdf_response, text_response
from apps.exports.text import render_text
from apps.instructions.forms import RevokeForm, ShareLinkForm, TickForm
from apps.instructions.presenters import dns_changes, dns_snapshot, last_checked
from apps.policies.types import Plan
from apps.sending.selectors import platform_info
from apps.wizard.views.common import customer_profile, profile_or_404

INSTRUCTIONS = "instructions/instructions.html"
NO_LINK = "No such link."
RECHECKED = "wizard_rechecked"  # what "Look up the domains again" changed, shown once
IT_PAGE = "instructions/it.html"


def _instructions_url(profile: CustomerProfile) -> str:
    return reverse("customer:instructions", kwargs={"token": profile.token})


def _review_url(profile: CustomerProfile) -> str:
    """The wizard's last step, where the customer changes their answers."""
    return reverse("wizard:review", kwargs={"token": profile.token})


def _plan_context(
    profile: CustomerProfile,
    *,
    namespace: str,
    token: str,
    tick_url: str | None = None,
    account_ref: str | None = None,
) -> dict[str, Any]:
    """The instructions as shown to the customer ("customer") or to IT ("it"), whose downloads
    are reached through `token` in that URL namespace; IT's only for its own organisation
    (`account_ref`)."""
    plan = selectors.plan_for_profile(profile)
    if account_ref is not None:
        plan = selectors.plan_for_account(plan, account_ref)
    ticks = selectors.checklist_for_plan(profile, plan)
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


def _share_context(
    request: HtmxHttpRequest,
    profile: CustomerProfile,
    plan: Plan | None = None,
    ticks: Container[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The share card: one group per organisation with its links for IT; with the `plan`, also
    how far its IT team has got and what changed since IT last looked (the full page only —
    creating or revoking a link re-renders the card from the links alone)."""
    links = selectors.share_links_for_profile(profile)
    plans = {account.ref: account for account in plan.accounts} if plan else {}
    groups: list[dict[str, Any]] = []
    for account in selectors.recipient_accounts(profile):
        own = [link for link in links if link.account_id == account.pk]
        # What IT has not seen yet: the steps added or changed since its last visit.
        seen = [link for link in own if link.is_active and link.seen_at]
        news = (
            step_changes(
                max(seen, key=lambda link: link.seen_at or link.created_at).seen_steps,
                plans[account.ref],
            )
            if seen and account.ref in plans
            else StepChanges()
        )
        groups.append(
            {
                "account": account,
                "progress": (
                    selectors.checklist_progress(
                        selectors.plan_for_account(plan, account.ref), ticks
                    )
                    if plan
                    else {}
                ),
                "links": [
                    {
                        "link": link,
                        "url": request.build_absolute_uri(
                            reverse("it:page", kwargs={"token": link.token})
                        ),
                    }
                    for link in own
                ],
                "has_active": any(link.is_active for link in own),
                "news": len(news.added) + len(news.changed),
            }
        )
    return {
        "profile": profile,
        "share_groups": groups,
        "share_missing": any(not group["has_active"] for group in groups),
        "old_links": [link for link in links if link.account_id is None],
    }


def _instructions_context(
    request: HtmxHttpRequest, profile: CustomerProfile, **extra: Any
) -> dict[str, Any]:
    context = _plan_context(profile, namespace="customer", token=profile.token)
    # The customer's own DNS comes first: no policy at any organisation rescues mail that fails
    # its From domain's SPF / DKIM / DMARC (reference §5).
    own_dns = (
        status.sending_actions(profile.sending_domain_report, platform_info())
        if selectors.sending_domain(profile)
        else []
    )
    return {
        **context,
        **_share_context(request, profile, context["plan"], context["ticks"]),
        "own_dns_actions": own_dns,
        "share_form": extra.pop("share_form", None) or ShareLinkForm(),
        "resume_url": request.build_absolute_uri(
            reverse("wizard:resume", kwargs={"token": profile.token})
        ),
        "edit_url": _review_url(profile),
        **extra,
    }


def _share_card(request: HtmxHttpRequest, profile: CustomerProfile, **extra: Any) -> HttpResponse:
    if not is_htmx(request):
        return render(request, INSTRUCTIONS, _instructions_context(request, profile, **extra))
    context = {
        **_share_context(request, profile),
        "share_form": extra.pop("share_form", None) or ShareLinkForm(),
        **extra,
    }
    return render(request, f"{INSTRUCTIONS}#share", context)


@require_GET
@dns_rate_limit
def instructions(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = customer_profile(request, token)
    if selectors.missing_answers(profile):
        return HttpResponseRedirect(_review_url(profile))
    context = _instructions_context(
        request,
        profile,
        last_checked=last_checked(profile),
        rechecked=request.session.pop(RECHECKED, None),
    )
    return render(request, INSTRUCTIONS, context)


def _checklist_urls(
    request: HtmxHttpRequest, profile: CustomerProfile, link: ShareLink | None
) -> dict[str, str]:
    """Each organisation's live checklist, absolute, for the PDF to link back to: the share link
    the PDF came from, or (the customer's PDF) each organisation's newest open link. Never the
    customer's own page, whose link is theirs alone."""
    if link is not None:
        links = [link]
    else:
        links = [
            item
            for item in selectors.share_links_for_profile(profile)
            if item.is_active and item.account is not None
        ]
        links.sort(key=lambda item: item.created_at)
    return {
        item.account.ref: request.build_absolute_uri(
            reverse("it:page", kwargs={"token": item.token})
        )
        for item in links
        if item.account is not None
    }


def _export(
    profile: CustomerProfile,
    ext: str,
    request: HtmxHttpRequest,
    account_ref: str | None = None,
    link: ShareLink | None = None,
) -> HttpResponse:
    if selectors.missing_answers(profile):
        raise Http404("No instructions yet.")
    plan = selectors.plan_for_profile(profile)
    if account_ref is not None:
        plan = selectors.plan_for_account(plan, account_ref)
    if ext == "pdf":
        return pdf_response(
            plan,
            organisation=profile.organisation,
            request=request,
            checklist_urls=_checklist_urls(request, profile, link),
        )
    if ext == "txt":
        return text_response(plan, organisation=profile.organisation)
    return json_response(plan, organisation=profile.organisation, download=True)


@require_GET
@dns_rate_limit
def instructions_export(request: HtmxHttpRequest, token: str, ext: str) -> HttpResponse:
    return _export(profile_or_404(token), ext, request)


@require_POST
@dns_rate_limit
def recheck(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Look up every domain again (e.g. after a timeout) and show the refreshed instructions."""
    profile = customer_profile(request, token)
    before = dns_snapshot(profile)
    services.dns_recheck(profile=profile)
    changes = dns_changes(before, dns_snapshot(profile))
    services.plan_record_shown(profile=profile)
    # Shown once on the instructions page, beside the button: what the new lookup found.
    request.session[RECHECKED] = changes
    return see_other(_instructions_url(profile) + "#answers-heading")


@require_POST
@rate_limit("share_change")
@dns_rate_limit
def share_create(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = customer_profile(request, token)
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["account"]:
                services.share_link_create(
                    profile=profile,
                    account_ref=form.cleaned_data["account"],
                    label=form.cleaned_data["label"],
                )
                created = 1
            else:  # "a link for each organisation"
                created = len(services.share_links_create_missing(profile=profile))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if not is_htmx(request):
                return see_other(_instructions_url(profile) + "#share")
            return _share_card(request, profile, share_created=created)
    return _share_card(request, profile, share_form=form)


@require_POST
@rate_limit("share_change")
@dns_rate_limit
def share_revoke(request: HtmxHttpRequest, token: str) -> HttpResponse:
    profile = customer_profile(request, token)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        raise Http404(NO_LINK)
    link = or_404(selectors.share_link_of_profile(profile, form.cleaned_data["link"]), NO_LINK)
    services.share_link_revoke(share_link=link)
    if not is_htmx(request):
        return see_other(_instructions_url(profile) + "#share")
    return _share_card(request, profile)


# --- IT's side: the share link ----------------------------------------------------------------


def _link_or_404(token: str) -> ShareLink:
    """The active share link in IT's URL; 404 when unknown or revoked."""
    return or_404(selectors.share_link_by_token(token), NO_LINK)


def _ref(link: ShareLink) -> str:
    """The organisation a share link is for (share_link_by_token serves no link without one)."""
    if link.account is None:
        raise Http404(NO_LINK)
    return link.account.ref


@require_GET
@dns_rate_limit
def it_page(request: HtmxHttpRequest, token: str) -> HttpResponse:
    link = _link_or_404(token)
    tick_url = reverse("it:tick", kwargs={"token": token})
    context = _plan_context(
        link.profile, namespace="it", token=token, tick_url=tick_url, account_ref=_ref(link)
    )
    accounts = context["plan"].accounts
    # What changed since IT last saw the steps; the page then tells `it_seen` it saw these.
    changes = step_changes(link.seen_steps, accounts[0]) if accounts and link.seen_at else None
    heading = plan_heading(context["plan"])
    return render(
        request,
        IT_PAGE,
        {
            **context,
            "account": link.account,
            "changes": changes,
            "heading": heading,
            "seen_url": reverse("it:seen", kwargs={"token": token}),
        },
    )


@require_POST
@dns_rate_limit
def it_seen(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """IT's page was shown: remember the steps it showed, so the next visit can say what
    changed (posted by the page once loaded: a GET writes nothing)."""
    link = _link_or_404(token)
    plan = selectors.plan_for_account(selectors.plan_for_profile(link.profile), _ref(link))
    if plan.accounts:
        services.share_link_seen(share_link=link, account=plan.accounts[0])
    return HttpResponse(status=204)


@require_GET
@dns_rate_limit
def it_export(request: HtmxHttpRequest, token: str, ext: str) -> HttpResponse:
    link = _link_or_404(token)
    return _export(link.profile, ext, request, account_ref=_ref(link), link=link)


@require_POST
@rate_limit("it_tick")  # ticks look nothing up: not the DNS bucket
def it_tick(request: HtmxHttpRequest, token: str) -> HttpResponse:
    link = _link_or_404(token)
    form = TickForm(request.POST)
    if not form.is_valid():
        raise Http404("No such step.")
    account, step = form.cleaned_data["account"], form.cleaned_data["step"]
    # Only the link's own organisation: the other organisations' steps are not IT's to tick.
    plan = selectors.plan_for_account(selectors.plan_for_profile(link.profile), _ref(link))
    steps = {(a.ref, s.key): (a, s) for a in plan.accounts for s in a.steps}
    fingerprint = plan_fingerprints(plan).get((account, step))
    if fingerprint is None or (account, step) not in steps:
        raise Http404("No such step.")
    try:
        services.checklist_tick_set(
            profile=link.profile,
            share_link=link,
            account_ref=account,
            step_key=step,
            done=form.cleaned_data["done"],
            fingerprint=fingerprint,
        )
    except ValidationError:
        raise Http404("No such step.") from None
    if not is_htmx(request):
        url = reverse("it:page", kwargs={"token": token}) + f"#step-{account}-{step}"
        return see_other(url)
    ticks = selectors.checklist_for_plan(link.profile, plan)
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
    return render(request, "instructions/_tick_response.html", context)
