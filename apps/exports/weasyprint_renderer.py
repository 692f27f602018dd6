"""WeasyPrint, and the only module that imports it (`apps.exports.pdf` loads it on first use).

WeasyPrint fetches whatever a document points at (images, stylesheets, fonts), so every fetch
goes through `LocalStaticFetcher`, which serves files from our own print stylesheet and fonts
directories and refuses everything else: a customer's text can never make the renderer reach
the network or the rest of the disk.
"""

from __future__ import annotations

import atexit
import mimetypes
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse


class FetchRefused(ValueError):
    """A URL the PDF renderer may not load."""


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


def _remove_font_folder(fonts: FontConfiguration) -> None:
    """WeasyPrint removes a font configuration's temporary folder (the document's @font-face
    files) in `FontConfiguration.__del__`. For one kept for the life of the process that runs
    while the interpreter shuts down, after the module globals it needs are gone: it printed a
    traceback at every process exit (each code reload of `make run`) and left the folder in
    /tmp. At exit, before that teardown, remove the folder and tell `__del__` there is none."""
    folder = getattr(fonts, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        fonts._folder = None


class Renderer:
    """Parsed stylesheets and loaded fonts, kept for the life of the process: a warm render
    only lays out the document. WeasyPrint's font state is not thread-safe, hence the lock."""

    def __init__(self, roots: tuple[Path, ...], page_sizes: dict[str, str]) -> None:
        self.fetcher = LocalStaticFetcher(roots)
        self.base_url = roots[0].as_uri() + "/"
        self.fonts = FontConfiguration()
        atexit.register(_remove_font_folder, self.fonts)
        self.lock = threading.Lock()
        self.stylesheet = CSS(
            filename=str(roots[0] / "pdf.css"), url_fetcher=self.fetcher, font_config=self.fonts
        )
        self.page_sizes = {
            name: CSS(string=f"@page {{ size: {size}; }}", font_config=self.fonts)
            for name, size in page_sizes.items()
        }

    def write(self, html: str, page_size: str, *, wait: float) -> bytes:
        """The PDF; TimeoutError when another thread kept the renderer for `wait` seconds."""
        if not self.lock.acquire(timeout=wait):
            raise TimeoutError("this worker's PDF renderer stayed busy")
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
