"""The support console's views: every one goes through `staff_required`."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from apps.core.http import HtmxHttpRequest, is_htmx, or_404
from apps.core.ratelimit import dns_rate_limit, rate_limit
from apps.customers import selectors as customer_selectors
from apps.customers import services as customer_services
from apps.customers.models import CustomerProfile
from apps.dnscheck import status
from apps.exports.responses import pdf_response, text_response
from apps.instructions.forms import ShareLinkForm
from apps.policies.types import Plan
from apps.sending.selectors import PlatformNotConfigured
from apps.support.access import staff_required
from apps.support.forms import StaffNoteForm
from apps.support.history import profile_history
from apps.support.selectors import PAGE_SIZE, ip_change, normalise_query, search_page
from apps.support.services import resume_link_send as send_resume_link
from apps.support.services import staff_note_add
from apps.wizard.presenters import STEPS


class StaffHttpRequest(HtmxHttpRequest):
    """A request `staff_required` let through: its user is a signed-in staff account."""

    user: User


@staff_required
@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """One box for every way staff know a customer; htmx swaps the results as they type."""
    query = normalise_query(request.GET.get("q"))
    page = search_page(query, request.GET.get("page")) if query else None
    context = {"query": query, "page": page}
    template = "support/search.html#results" if is_htmx(request) else "support/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_required
@require_GET
def affected(request: HtmxHttpRequest) -> HttpResponse:
    change = ip_change()
    page = Paginator(change.profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "support/affected.html", {"change": change, "page": page})


def _plan_context(profile: CustomerProfile) -> dict[str, Any]:
    """The instructions as the customer sees them now, the IT checklist against them, and the
    last version the customer was shown."""
    try:
        plan = customer_selectors.plan_for_profile(profile)
    except PlatformNotConfigured:
        return {"plan": None, "plan_problem": "No active platform facts: set them in the admin."}
    ticks = customer_selectors.checklist_for_plan(profile, plan)
    record = customer_selectors.latest_plan_record(profile)
    ranges = set(customer_services.plan_ip_ranges(plan))
    shown = set(record.ip_ranges or ()) if record else set()
    return {
        "plan": plan,
        "ticks": ticks,
        "tick_url": None,
        "progress": customer_selectors.checklist_progress(plan, ticks),
        "plan_record": record,
        # What differs from the version the customer last saw.
        "plan_changed": record is not None and customer_services.plan_differs_from(plan, record),
        "ranges_removed": sorted(shown - ranges) if record else [],
        "ranges_added": sorted(ranges - shown) if record else [],
    }


def _dns_context(profile: CustomerProfile) -> dict[str, Any]:
    accounts = customer_selectors.recipient_accounts(profile)
    return {
        "profile": profile,
        "accounts": accounts,
        "domain_rows": [(account, list(account.domains.all())) for account in accounts],
        "sending_domain": customer_selectors.sending_domain(profile),
        "sending_report": profile.sending_domain_report or {},
        # The same SPF / DKIM / DMARC statuses as the customer's wizard (apps.dnscheck.status).
        "sending_facts": status.sending_facts(profile.sending_domain_report),
    }


def _page(request: HtmxHttpRequest, profile: CustomerProfile, **forms: Any) -> HttpResponse:
    context = {
        **_dns_context(profile),
        **_plan_context(profile),
        "from_addresses": customer_selectors.from_addresses(profile),
        "step_count": len(STEPS),
        "resume_step": next(
            ((n, title) for n, _name, title in STEPS if n == profile.wizard_step), (1, STEPS[0][2])
        ),
        "complete": customer_selectors.is_complete(profile),
        "share_links": customer_selectors.share_links_for_profile(profile),
        "notes": profile.staff_notes.select_related("author"),
        "history": profile_history(profile),
        "note_form": forms.get("note_form") or StaffNoteForm(),
        "share_form": forms.get("share_form") or ShareLinkForm(),
    }
    code = 400 if forms else 200
    return render(request, "support/profile.html", context, status=code)


def _profile_or_404(ref: str) -> CustomerProfile:
    """The profile a staff URL names by its support reference; 404 when unknown."""
    return or_404(customer_selectors.profile_by_support_ref(ref), "No such profile.")


@staff_required
@require_GET
def profile(request: HtmxHttpRequest, ref: str) -> HttpResponse:
    return _page(request, _profile_or_404(ref))


@staff_required
@require_POST
@dns_rate_limit
def dns_recheck(request: HtmxHttpRequest, ref: str) -> HttpResponse:
    """Look the profile's domains up again now (bounded by the DNS deadline) and show the facts."""
    profile = _profile_or_404(ref)
    customer_services.dns_recheck(profile=profile)
    profile.refresh_from_db()
    if is_htmx(request):
        # The facts, and (out of band) the instructions built from them.
        dns = render_to_string("support/profile.html#dns", _dns_context(profile), request)
        plan = render_to_string(
            "support/profile.html#instructions",
            {"profile": profile, "oob": True, **_plan_context(profile)},
            request,
        )
        return HttpResponse(dns + plan)
    messages.success(request, "DNS checked again.")
    return redirect("support:profile", ref=profile.support_ref)


@staff_required
@require_POST
def note_add(request: StaffHttpRequest, ref: str) -> HttpResponse:
    profile = _profile_or_404(ref)
    form = StaffNoteForm(request.POST)
    if form.is_valid():
        try:
            staff_note_add(profile=profile, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Note added.")
            return redirect(f"{profile_url(profile)}#notes")
    return _page(request, profile, note_form=form)


@staff_required
@require_POST
def share_link_create(request: HtmxHttpRequest, ref: str) -> HttpResponse:
    profile = _profile_or_404(ref)
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        try:
            customer_services.share_link_create(
                profile=profile,
                account_ref=form.cleaned_data["account"],
                label=form.cleaned_data["label"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Share link created.")
            return redirect(f"{profile_url(profile)}#share-links")
    return _page(request, profile, share_form=form)


@staff_required
@require_POST
def share_link_revoke(request: HtmxHttpRequest, ref: str, link_id: int) -> HttpResponse:
    """By the link's id: its token opens IT's page and stays out of staff URLs and logs."""
    profile = _profile_or_404(ref)
    link = get_object_or_404(profile.share_links, pk=link_id)
    customer_services.share_link_revoke(share_link=link)
    messages.success(request, "Share link revoked: it no longer opens.")
    return redirect(f"{profile_url(profile)}#share-links")


@staff_required
@require_POST
@rate_limit("resume_email")
def resume_link_send(request: StaffHttpRequest, ref: str) -> HttpResponse:
    """Email the customer their resume link; the token itself is never shown to staff."""
    profile = _profile_or_404(ref)
    url = request.build_absolute_uri(reverse("wizard:resume", kwargs={"token": profile.token}))
    try:
        send_resume_link(profile=profile, sender=request.user, resume_url=url)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The resume link was emailed to {profile.contact_email}.")
    return redirect(f"{profile_url(profile)}#resume")


def profile_url(profile: CustomerProfile) -> str:
    return reverse("support:profile", kwargs={"ref": profile.support_ref})


# The customer's current instructions as files, for staff to send on.


def _plan_or_none(request: HtmxHttpRequest, profile: CustomerProfile) -> Plan | None:
    try:
        return customer_selectors.plan_for_profile(profile)
    except PlatformNotConfigured:
        messages.error(request, "No active platform facts: set them in the admin first.")
        return None


@staff_required
@require_GET
def instructions_export(request: HtmxHttpRequest, ref: str, ext: str) -> HttpResponse:
    """The instructions as a PDF (`ext="pdf"`) or plain text (`ext="txt"`)."""
    profile = _profile_or_404(ref)
    if (plan := _plan_or_none(request, profile)) is None:
        return redirect("support:profile", ref=profile.support_ref)
    if ext == "pdf":
        return pdf_response(plan, organisation=profile.organisation, request=request)
    return text_response(plan, organisation=profile.organisation)
