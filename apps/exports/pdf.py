"""The Plan as a print-quality PDF. The only module that imports WeasyPrint.

WeasyPrint fetches whatever a document points at (images, stylesheets, fonts), so every fetch
goes through `LocalStaticFetcher`, which serves files from our own print stylesheet and fonts
directories and refuses everything else: a customer's text can never make the renderer reach
the network or the rest of the disk. The text itself is autoescaped by the template, so it
stays text.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache as memoize
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from apps.exports.content import cover, gateway_line, idn_hint
from apps.policies.types import Plan
from apps.policies.wording import stamp

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


class FetchRefused(ValueError):
    """A URL the PDF renderer may not load."""


def static_roots() -> tuple[Path, ...]:
    """The only directories the renderer may read: the print stylesheet and the fonts."""
    static = Path(settings.BASE_DIR) / "static"
    return ((static / "exports").resolve(), (static / "fonts").resolve())


class LocalStaticFetcher(URLFetcher):
    """Serves `file:` URLs inside `roots` and refuses every other URL (http, https, data,
    files elsewhere, paths that climb out with `..` or symlinks)."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.roots = roots

    def local_path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"the PDF renderer only reads local static files, not {url!r}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise FetchRefused(f"{path} is not a static file the PDF may use")
        return path

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.local_path(url)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": media_type}
        )


class _Renderer:
    """Parsed stylesheets and loaded fonts, kept for the life of the process: a warm render
    only lays out the document. WeasyPrint's font state is not thread-safe, hence the lock."""

    def __init__(self) -> None:
        roots = static_roots()
        self.fetcher = LocalStaticFetcher(roots)
        self.base_url = roots[0].as_uri() + "/"
        self.fonts = FontConfiguration()
        self.lock = threading.Lock()
        self.stylesheet = CSS(
            filename=str(roots[0] / "pdf.css"), url_fetcher=self.fetcher, font_config=self.fonts
        )
        self.page_sizes = {
            name: CSS(string=f"@page {{ size: {size}; }}", font_config=self.fonts)
            for name, size in PAGE_SIZES.items()
        }

    def write(self, html: str, page_size: str) -> bytes:
        if not self.lock.acquire(timeout=RENDERER_WAIT_SECONDS):
            raise PdfBusy("this worker's PDF renderer stayed busy")
        try:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
            pdf = document.write_pdf(
                stylesheets=[self.stylesheet, self.page_sizes[page_size]],
                font_config=self.fonts,
            )
        finally:
            self.lock.release()
        if not isinstance(pdf, bytes):
            raise TypeError("WeasyPrint returned no PDF bytes")
        return pdf


@memoize
def _renderer() -> _Renderer:
    return _Renderer()


def render_html(plan: Plan, *, organisation: str) -> str:
    """The HTML the PDF is laid out from (also handy for looking at it in a browser)."""
    accounts = [
        {
            "number": n,
            "plan": account,
            "gateway": gateway_line(account),
            "idn_hint": idn_hint(account),
        }
        for n, account in enumerate(plan.accounts, start=1)
    ]
    return render_to_string(
        "exports/plan_pdf.html",
        {
            "plan": plan,
            "cover": cover(plan, organisation),
            "accounts": accounts,
            "ips_resolved": stamp(plan.platform.ips_resolved_at),
        },
    )


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


def render_pdf(plan: Plan, *, organisation: str, page_size: str | None = None) -> bytes:
    """The plan as PDF bytes on A4 or Letter (default: settings.PDF_PAGE_SIZE).

    Raises `PdfTooLarge` past the page budget (before any layout), `PdfBusy` when every
    rendering slot is taken, and `PdfError` if WeasyPrint fails for any reason.
    """
    chosen = page_size or settings.PDF_PAGE_SIZE
    size = chosen.lower()
    if size not in PAGE_SIZES:
        raise ValueError(f"page_size must be A4 or Letter, not {chosen!r}")
    html = render_html(plan, organisation=organisation)
    limit = int(settings.PDF_MAX_PAGES)
    if (pages := estimated_pages(html)) > limit:
        raise PdfTooLarge(pages, limit)
    with rendering_slot():
        try:
            return _renderer().write(html, size)
        except PdfBusy:
            raise
        except Exception as exc:
            logger.exception("PDF rendering failed")
            raise PdfError("The PDF could not be made.") from exc
