"""The PDF renderer never reaches the network or files outside its static directories."""

import socket
import threading
from pathlib import Path

import pytest
from django.conf import settings

from apps.exports.pdf import render_pdf, static_roots
from apps.exports.weasyprint_renderer import FetchRefused, LocalStaticFetcher
from tests.exports.factories import hostile_plan


@pytest.fixture
def fetcher() -> LocalStaticFetcher:
    return LocalStaticFetcher(static_roots())


class Listener:
    """A TCP socket on 127.0.0.1 that counts every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def test_the_listener_counts_connections(listener: Listener) -> None:
    with socket.create_connection(("127.0.0.1", listener.port), timeout=1):
        pass
    listener.thread.join(timeout=0.5)
    assert listener.connections == 1


def test_it_makes_no_connection_while_rendering_urls_in_every_field(listener: Listener) -> None:
    port = listener.port
    organisation = f'<img src="http://127.0.0.1:{port}/org"> url(http://127.0.0.1:{port}/o)'
    pdf = render_pdf(hostile_plan(port), organisation=organisation)
    assert pdf.startswith(b"%PDF")
    listener.thread.join(timeout=0.5)  # give a late connection time to arrive
    assert listener.connections == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        "file://otherhost/work/x.css",
    ],
)
def test_it_refuses_urls_outside_the_static_files(fetcher: LocalStaticFetcher, url: str) -> None:
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)


def test_it_refuses_a_path_that_climbs_out_of_static(fetcher: LocalStaticFetcher) -> None:
    escape = (static_roots()[0] / ".." / ".." / "config" / "settings.py").as_posix()
    with pytest.raises(FetchRefused):
        fetcher.fetch(f"file://{escape}")


def test_it_refuses_static_files_outside_its_directories(fetcher: LocalStaticFetcher) -> None:
    other = Path(settings.BASE_DIR) / "static" / "css" / "safelist.css"
    assert other.is_file()
    with pytest.raises(FetchRefused):
        fetcher.fetch(other.as_uri())


def test_it_serves_the_print_stylesheet_and_fonts(fetcher: LocalStaticFetcher) -> None:
    css = fetcher.fetch((static_roots()[0] / "pdf.css").as_uri())
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    font = fetcher.fetch((static_roots()[1] / "DejaVuSans.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"


def test_its_fetcher_blocks_remote_urls_even_in_unescaped_markup(listener: Listener) -> None:
    """Escaping is the first barrier; the fetcher holds even if markup got through."""
    from apps.exports.pdf import _renderer

    port = listener.port
    html = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
        f"<style>@import url(http://127.0.0.1:{port}/b.css);"
        f"body {{ background: url(http://127.0.0.1:{port}/c.png) }}</style>"
        f'<img src="http://127.0.0.1:{port}/d.png"><img src="file:///etc/hostname">'
        f'<object data="http://127.0.0.1:{port}/e"></object>'
    )
    assert _renderer().write(html, "a4", wait=1).startswith(b"%PDF")
    listener.thread.join(timeout=0.5)
    assert listener.connections == 0
