"""HTTP responses for the three exports, for the customer page, the IT share link and the
support console to return from their own views (which do the access checks)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.text import slugify

from apps.exports.pdf import PdfError, render_pdf
from apps.exports.text import render_text
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


def pdf_response(
    plan: Plan, *, organisation: str, request: HttpRequest | None = None
) -> HttpResponse:
    """The PDF as a download; a 503 page pointing to the text export if it can't be made.
    Pass `request` to render that page with the site's full layout."""
    try:
        pdf = render_pdf(plan, organisation=organisation)
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
