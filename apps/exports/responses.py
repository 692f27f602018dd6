"""HTTP responses for the three exports, for the customer page, the IT share link and the
support console to return from their own views (which do the access checks)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.text import slugify

from apps.exports.pdf import PdfBusy, PdfError, PdfTooLarge, render_pdf
from apps.exports.text import render_text
from apps.policies.generator import only
from apps.policies.serialize import plan_to_dict
from apps.policies.types import Plan

SLUG_MAX = 50


def export_filename(organisation: str, generated_at: datetime, ext: str) -> str:
    """`safelist-<organisation-slug>-<yyyy-mm-dd>.<ext>`, the date in UTC; ASCII only, so it is
    safe in a Content-Disposition header. An organisation with no ASCII letters becomes "plan"."""
    slug = slugify(organisation)[:SLUG_MAX].strip("-") or "plan"
    day = (generated_at.astimezone(UTC) if generated_at.tzinfo else generated_at).date()
    return f"safelist-{slug}-{day.isoformat()}.{ext}"


def _private(response: HttpResponse, filename: str | None) -> HttpResponse:
    # Plans are reached through private links: never keep them in a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    if filename is not None:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


ORGANISATION_PARAM = "organisation"


def _one_organisation(plan: Plan, request: HttpRequest | None) -> Plan | str:
    """The plan cut down to the account that `?organisation=<n>` (1-based) names, the whole plan
    without it, or the message saying what is wrong with it."""
    raw = request.GET.get(ORGANISATION_PARAM) if request is not None else None
    if raw is None:
        return plan
    count = len(plan.accounts)
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3 and 1 <= int(raw) <= count):
        return f"“{ORGANISATION_PARAM}” must be a number from 1 to {count}."
    return only(plan, plan.accounts[int(raw) - 1])


def _text_url(request: HttpRequest | None) -> str:
    # Every PDF download (customer, IT, support) sits beside its text export.
    if request is None or not request.path.endswith(".pdf"):
        return ""
    return request.path.removesuffix(".pdf") + ".txt"


def _refusal(
    request: HttpRequest | None, template: str, status: int, **context: object
) -> HttpResponse:
    page = render_to_string(template, {"text_url": _text_url(request), **context}, request)
    return _private(HttpResponse(page, status=status), None)


def pdf_response(
    plan: Plan,
    *,
    organisation: str,
    request: HttpRequest | None = None,
    checklist_urls: Mapping[str, str] | None = None,
) -> HttpResponse:
    """The PDF as a download (of one organisation with `?organisation=<n>`). Instead, a page:
    400 for a bad `organisation`; 422 offering one PDF per organisation, or the text export,
    when the whole plan is past the page budget; 503 when every rendering slot is busy, or
    pointing to the text export if it can't be made. Pass `request` to render those pages
    with the site's full layout. `checklist_urls` (account ref → absolute URL of its live
    checklist) prints a link back to it under each account that has one."""
    chosen = _one_organisation(plan, request)
    if isinstance(chosen, str):
        return _refusal(request, "exports/pdf_bad_request.html", 400, message=chosen)
    try:
        pdf = render_pdf(chosen, organisation=organisation, checklist_urls=checklist_urls)
    except PdfTooLarge as too_large:
        base = request.path if request is not None else ""
        per_organisation = [
            {"name": account.organisation, "url": f"{base}?{ORGANISATION_PARAM}={n}"}
            for n, account in enumerate(chosen.accounts, start=1)
        ]
        return _refusal(
            request,
            "exports/pdf_too_large.html",
            422,
            pages=too_large.estimated_pages,
            limit=too_large.limit,
            per_organisation=per_organisation if len(chosen.accounts) > 1 else [],
        )
    except PdfBusy:
        response = _refusal(request, "exports/pdf_busy.html", 503)
        response["Retry-After"] = "30"
        return response
    except PdfError:
        page = render_to_string("exports/pdf_unavailable.html", request=request)
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "60"
        return _private(response, None)
    response = HttpResponse(pdf, content_type="application/pdf")
    return _private(response, export_filename(organisation, plan.generated_at, "pdf"))


def text_response(plan: Plan, *, organisation: str, download: bool = True) -> HttpResponse:
    """The Markdown-flavoured text: a `.txt` download, or shown in the browser when `download`
    is False (for "copy as text" without JavaScript)."""
    response = HttpResponse(
        render_text(plan, organisation=organisation), content_type="text/plain; charset=utf-8"
    )
    filename = export_filename(organisation, plan.generated_at, "txt") if download else None
    return _private(response, filename)


def json_response(plan: Plan, *, organisation: str = "", download: bool = False) -> HttpResponse:
    """The plan exactly as the API answers it (apps.policies.serialize.plan_to_dict)."""
    response = JsonResponse(
        plan_to_dict(plan), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    filename = export_filename(organisation, plan.generated_at, "json") if download else None
    return _private(response, filename)
