"""The Plan as a print-quality PDF: budget, rendering slots and errors here; WeasyPrint itself
only in `apps.exports.weasyprint_renderer`, loaded with the first PDF.

The text is autoescaped by the template, so it stays text; the renderer's fetcher keeps it off
the network and the rest of the disk.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache as memoize
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from apps.core.bidi import strip_bidi
from apps.exports.content import cover, gateway_line, idn_hint
from apps.policies.types import Plan
from apps.policies.wording import stamp

if TYPE_CHECKING:
    from apps.exports.weasyprint_renderer import Renderer

logger = logging.getLogger(__name__)

PAGE_SIZES = {"a4": "A4", "letter": "letter"}


class PdfError(Exception):
    """The PDF could not be made; the text export still works."""


class PdfTooLarge(PdfError):
    """The document is past the page budget (settings.PDF_MAX_PAGES): laying it out would hold a
    worker too long. One PDF per organisation, or the text export, is the way to get it."""

    def __init__(self, estimated_pages: int, limit: int) -> None:
        super().__init__(f"about {estimated_pages} pages, over the limit of {limit}")
        self.estimated_pages = estimated_pages
        self.limit = limit


class PdfBusy(PdfError):
    """Every rendering slot is taken (settings.PDF_MAX_CONCURRENT across all workers)."""


# The fewest characters of the PDF's HTML that one page holds (measured: 2,300–3,400 for real
# plans, fewest for short accounts with many page breaks): dividing by it over-estimates pages,
# so the budget errs on the side of refusing.
HTML_CHARS_PER_PAGE = 2200
# How long a rendering slot is held at most, should its worker die without letting go.
SLOT_SECONDS = 120
# How long a request waits for this process's renderer (one document at a time) before 503.
RENDERER_WAIT_SECONDS = 10.0


def estimated_pages(html: str) -> int:
    return len(html) // HTML_CHARS_PER_PAGE + 1


def static_roots() -> tuple[Path, ...]:
    """The only directories the renderer may read: the print stylesheet and the fonts."""
    static = Path(settings.BASE_DIR) / "static"
    return ((static / "exports").resolve(), (static / "fonts").resolve())


@memoize
def _renderer() -> Renderer:
    # WeasyPrint takes seconds to import (Pango through cffi): loaded with the first PDF, not
    # by every process that imports the URLconf.
    from apps.exports.weasyprint_renderer import Renderer

    return Renderer(static_roots(), PAGE_SIZES)


def render_html(
    plan: Plan, *, organisation: str, checklist_urls: Mapping[str, str] | None = None
) -> str:
    """The HTML the PDF is laid out from (also handy for looking at it in a browser).
    `checklist_urls` maps an account's ref to the absolute URL of its live checklist (its IT
    share link), printed under the account's heading."""
    links = checklist_urls or {}
    accounts = [
        {
            "number": n,
            "plan": account,
            "gateway": gateway_line(account),
            "idn_hint": idn_hint(account),
            "checklist_url": links.get(account.ref, ""),
        }
        for n, account in enumerate(plan.accounts, start=1)
    ]
    # Text-direction controls would reverse a line of the PDF (names stored before they were
    # taken out on input, apps.core.bidi): none is needed anywhere in the document.
    html = render_to_string(
        "exports/plan_pdf.html",
        {
            "plan": plan,
            "cover": cover(plan, organisation),
            "accounts": accounts,
            "ips_resolved": stamp(plan.platform.ips_resolved_at),
        },
    )
    return strip_bidi(html)


@contextmanager
def rendering_slot() -> Iterator[None]:
    """One of settings.PDF_MAX_CONCURRENT slots in the shared cache (Redis in production), so
    PDFs can never occupy every worker; raises `PdfBusy` when all are taken. A cache outage
    leaves rendering uncapped rather than refusing every PDF."""
    limit = int(settings.PDF_MAX_CONCURRENT)
    key = None
    try:
        for slot in range(limit):
            if cache.add(f"pdf-render-slot:{slot}", 1, SLOT_SECONDS):
                key = f"pdf-render-slot:{slot}"
                break
        else:
            raise PdfBusy(f"all {limit} PDF rendering slots are in use")
    except PdfBusy:
        raise
    except Exception:
        logger.warning("PDF rendering slots unavailable", exc_info=True)
    try:
        yield
    finally:
        if key is not None:
            try:
                cache.delete(key)
            except Exception:
                logger.warning("PDF rendering slot not released", exc_info=True)


def render_pdf(
    plan: Plan,
    *,
    organisation: str,
    page_size: str | None = None,
    checklist_urls: Mapping[str, str] | None = None,
) -> bytes:
    """The plan as PDF bytes on A4 or Letter (default: settings.PDF_PAGE_SIZE).

    Raises `PdfTooLarge` past the page budget (before any layout), `PdfBusy` when every
    rendering slot is taken, and `PdfError` if WeasyPrint fails for any reason.
    """
    chosen = page_size or settings.PDF_PAGE_SIZE
    size = chosen.lower()
    if size not in PAGE_SIZES:
        raise ValueError(f"page_size must be A4 or Letter, not {chosen!r}")
    html = render_html(plan, organisation=organisation, checklist_urls=checklist_urls)
    limit = int(settings.PDF_MAX_PAGES)
    if (pages := estimated_pages(html)) > limit:
        raise PdfTooLarge(pages, limit)
    with rendering_slot():
        try:
            return _renderer().write(html, size, wait=RENDERER_WAIT_SECONDS)
        except TimeoutError as exc:
            raise PdfBusy("this worker's PDF renderer stayed busy") from exc
        except Exception as exc:
            logger.exception("PDF rendering failed")
            raise PdfError("The PDF could not be made.") from exc


# Every face and element the real documents use (bold, monospace, a settings table, running
# headers), so their fonts are loaded and subset once before any customer waits on them.
WARM_UP_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Safelist</title>
</head><body><div class="running"><span class="running-title">Safelist</span></div>
<section class="cover"><p class="brand">Safelist</p><h1>Instructions</h1>
<table class="facts"><tr><th>Generated</th><td>now</td></tr></table></section>
<section class="account"><h2 class="account-heading">Account</h2><p class="domains">example.com</p>
<div class="step"><div class="step-main"><h3><span class="tickbox">☐</span> 1. Step</h3>
<p class="why">Why, in <strong>bold</strong> and <em>italic</em>.</p>
<table class="settings"><thead><tr><th>Field</th><th>Value</th></tr></thead>
<tbody><tr><td class="field">From</td><td class="value mono">a@example.com ‡ — 192.0.2.0/24</td>
</tr></tbody></table></div><p class="note">Note.</p></div></section></body></html>"""


def warm() -> None:
    """Load the stylesheets and fonts and lay out one small page now, so the first PDF a
    process serves takes no longer than any other (cold, the first took seconds: see
    bench/README.md). Called from a background thread when a web process starts; a failure
    here only means the first real PDF pays the cost."""
    try:
        renderer = _renderer()
        for size in PAGE_SIZES:
            renderer.write(WARM_UP_HTML, size, wait=RENDERER_WAIT_SECONDS)
    except Exception:
        logger.warning("PDF renderer warm-up failed", exc_info=True)
