"""What the production smoke test runs against: a fresh PostgreSQL database, its own Redis keys,
a DNS server that refuses everything, gunicorn with production settings, and a small browser.

Every service is a context manager that undoes itself on the way out, failure or not, so a run
leaves nothing behind: no process, no database, no keys.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import dns.exception
import dns.message
import dns.name
import dns.rcode
import psycopg
import redis
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class SmokeFailure(AssertionError):
    pass


# --- Services -------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(admin_url: str, name: str) -> Iterator[str]:
    """Create database `name` on the server of `admin_url`; drop it afterwards. Yields its URL."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(admin_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextlib.contextmanager
def own_redis_keys(url: str, prefix: str) -> Iterator[None]:
    """Delete the keys under `prefix` before and after: never anyone else's."""
    client = redis.Redis.from_url(url)

    def delete_ours() -> None:
        for key in client.scan_iter(match=f"{prefix}:*", count=500):
            client.delete(key)

    client.ping()
    delete_ours()
    try:
        yield
    finally:
        delete_ours()
        client.close()


SILENT_ZONE = "never-answers.example"
_SILENT = dns.name.from_text(SILENT_ZONE)


@contextlib.contextmanager
def refusing_dns_server(outage: threading.Event | None = None) -> Iterator[int]:
    """A DNS server on loopback that answers REFUSED to everything, at once: every lookup fails
        fast, as when a customer's domain cannot be checked. Names under SILENT_ZONE get no answer
        at all, as from a domain whose DNS never answers, and so does every name while `outage` is
    set (a DNS outage). Yields its UDP port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                query = dns.message.from_wire(data)
                response = dns.message.make_response(query)
            except dns.exception.DNSException:
                continue
            if outage is not None and outage.is_set():
                continue
            if query.question and query.question[0].name.is_subdomain(_SILENT):
                continue
            response.set_rcode(dns.rcode.REFUSED)
            sock.sendto(response.to_wire(), peer)

    thread = threading.Thread(target=serve, name="refusing-dns", daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise SmokeFailure(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, log_path: Path) -> Iterator[str]:
    """gunicorn with config/gunicorn.py on 127.0.0.1:`port`, in its own process group so that
    stopping it stops every worker. Yields the base URL once /healthz answers."""
    env = {**env, "BIND_ADDRESS": "127.0.0.1", "PORT": str(port)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, fixed arguments)
            [str(BIN / "gunicorn"), "--config", "config/gunicorn.py", "config.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_serving(process, port, log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_process_group(process)


def _wait_until_serving(process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SmokeFailure(
                f"gunicorn exited with {process.returncode}:\n{log_path.read_text()}"
            )
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.3)
    raise SmokeFailure(f"gunicorn did not answer /healthz within 60 s:\n{log_path.read_text()}")


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    """TERM the group (gunicorn stops its workers gracefully), KILL whatever is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if group_alive(process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


# --- A small browser ------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    path: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    """Cookies, Origin and Referer as a browser sends them, behind a TLS-terminating proxy: every
    request says `X-Forwarded-Proto: https` unless asked not to. Redirects are not followed
    unless asked, so each one can be checked."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return "https://" + urlsplit(self.base).netloc

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        *,
        https: bool = True,
        referer: str | None = None,
    ) -> Response:
        parts = urlsplit(self.base)
        sent = {"User-Agent": "safelist-smoke", "Accept": "text/html,application/json"}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            sent["Origin"] = self.origin
            sent["Referer"] = self.origin + (referer or path)
        sent.update(headers or {})
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=sent)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read(), path)
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(header)
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs: object) -> Response:
        return self.request("GET", path, **kwargs)  # type: ignore[arg-type]

    def post_form(self, path: str, fields: list[tuple[str, str]], referer: str) -> Response:
        body = urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body, headers, referer=referer)

    def follow(self, response: Response, limit: int = 5) -> Response:
        for _ in range(limit):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            location = urlsplit(response.header("Location"))
            path = location.path + (f"?{location.query}" if location.query else "")
            response = self.get(path)
        raise SmokeFailure(f"more than {limit} redirects from {response.path}")


# --- Forms ----------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str, bool]] = field(default_factory=list)  # name, type, value, on
    options: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)  # value, selected

    def values(self, answers: dict[str, str | list[str]]) -> list[tuple[str, str]]:
        """What a person submitting the form would send: the page's own values (hidden fields,
        the CSRF token, defaults) with `answers` filled in or chosen."""
        sent: list[tuple[str, str]] = []
        for name, kind, value, on in self.fields:
            if name in answers or kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind not in ("checkbox", "radio") or on:
                sent.append((name, value))
        for name, options in self.options.items():
            picked = [v for v, selected in options if selected] or [v for v, _ in options[:1]]
            if name not in answers and picked:
                sent.append((name, picked[0]))
        for name, chosen in answers.items():
            sent.extend((name, v) for v in ([chosen] if isinstance(chosen, str) else chosen))
        return sent


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif not self.forms:
            return
        elif tag in ("input", "button") and a.get("name"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            on = "checked" in a
            self.forms[-1].fields.append((a["name"], kind, a.get("value", ""), on))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1].options.setdefault(self._select, [])
        elif tag == "option" and self._select is not None:
            self.forms[-1].options[self._select].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.forms:
            name, parts = self._textarea
            self.forms[-1].fields.append((name, "textarea", "".join(parts).strip(), False))
            self._textarea = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms
