"""A real Postfix (Debian's `postfix`) delivering to a test gateway (aiosmtpd) on loopback.

Registered as a pytest plugin from tests/conftest.py:

- `mail_gateway` (function): an aiosmtpd server on a free 127.0.0.1 port that answers like a
  Mimecast gateway: greylisting (451 on a new client-IP / sender / recipient triplet, the retry
  accepted once `delay` seconds have passed) for the domains in `greylisting`, and Anti-Spoofing
  (550 at end of DATA when the header From is in the recipient's own domain) for the domains in
  `anti_spoofing`. Everything else is accepted.
- `postfix` (function): a private Postfix instance of its own, nothing shared with a system
  Postfix: config, queue and data directories under a temporary directory, smtpd only on a free
  loopback port, every message relayed to `mail_gateway`, retries after a second, and the log
  written by postlogd to `PostfixInstance.maillog`. Stopped at teardown, pass or fail.

No system Postfix is used or needed: the package only provides the programs.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import smtplib
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"

# Reference §3.1 (Mimecast): the greylisting and header-based Anti-Spoofing replies.
GREYLIST_REPLY = (
    "451 Internal resource temporarily unavailable - "
    "https://community.mimecast.com/docs/DOC-1369#451"
)
ANTI_SPOOFING_REPLY = (
    "550 Rejected by header based Anti-Spoofing policy: {sender} - "
    "https://community.mimecast.com/docs/DOC-1369#550"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(">")


@dataclass
class GatewayPolicy:
    """What the test gateway does; the test changes it before sending."""

    greylisting: dict[str, float] = field(default_factory=dict)  # domain → seconds to wait
    anti_spoofing: set[str] = field(default_factory=set)  # domains protected from own-domain From
    first_seen: dict[tuple[str, str, str], float] = field(default_factory=dict)
    accepted: list[tuple[str, list[str]]] = field(default_factory=list)  # (sender, recipients)
    replies: list[str] = field(default_factory=list)  # every refusal it gave, in order


class _Handler:
    def __init__(self, policy: GatewayPolicy, lock: threading.Lock) -> None:
        self.policy = policy
        self.lock = lock

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        domain = _domain(address)
        with self.lock:
            delay = self.policy.greylisting.get(domain)
            if delay is not None:
                triplet = (session.peer[0], envelope.mail_from or "", address.lower())
                first = self.policy.first_seen.setdefault(triplet, time.monotonic())
                if time.monotonic() - first < delay:
                    self.policy.replies.append(GREYLIST_REPLY)
                    return GREYLIST_REPLY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or b""
        headers = content.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
        sender = ""
        for header in headers.split("\r\n"):
            if header.lower().startswith("from:"):
                sender = parseaddr(header[5:])[1]
        rcpt_domains = {_domain(r) for r in envelope.rcpt_tos}
        with self.lock:
            if sender and _domain(sender) in rcpt_domains & self.policy.anti_spoofing:
                reply = ANTI_SPOOFING_REPLY.format(sender=sender)
                self.policy.replies.append(reply)
                return reply
            self.policy.accepted.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Ok queued"


@dataclass
class MailGateway:
    host: str
    port: int
    policy: GatewayPolicy


@contextlib.contextmanager
def run_gateway() -> Iterator[MailGateway]:
    from aiosmtpd.controller import Controller

    policy = GatewayPolicy()
    port = free_port()
    # The banner name must differ from Postfix's myhostname, or Postfix calls it a mail loop.
    controller = Controller(
        _Handler(policy, threading.Lock()),
        hostname="127.0.0.1",
        port=port,
        server_hostname="gateway.mimecast-test.invalid",
        ready_timeout=10,
    )
    controller.start()
    try:
        yield MailGateway("127.0.0.1", port, policy)
    finally:
        controller.stop()


def _main_cf(root: Path, gateway: MailGateway) -> str:
    settings = {
        "compatibility_level": "3.6",
        "queue_directory": root / "queue",
        "data_directory": root / "data",
        "mail_owner": "postfix",
        "setgid_group": "postdrop",
        "myhostname": "mta.safelist-test.invalid",
        "mydomain": "safelist-test.invalid",
        "myorigin": "$mydomain",
        "mydestination": "",
        "local_recipient_maps": "",
        "alias_maps": "",
        "alias_database": "",
        "inet_interfaces": "loopback-only",
        "inet_protocols": "ipv4",
        "mynetworks": "127.0.0.0/8",
        "smtpd_relay_restrictions": "permit_mynetworks, reject",
        "smtpd_peername_lookup": "no",
        "smtp_dns_support_level": "disabled",
        "smtp_tls_security_level": "none",
        "smtpd_tls_security_level": "none",
        "relayhost": f"[{gateway.host}]:{gateway.port}",
        "default_transport": "smtp",
        "relay_transport": "smtp",
        # A retry in about a second instead of five minutes (reference §4.2).
        "queue_run_delay": "1s",
        "minimal_backoff_time": "1s",
        "maximal_backoff_time": "2s",
        "bounce_queue_lifetime": "0",
        "maillog_file": root / "maillog",
        "maillog_file_prefixes": root,
        "biff": "no",
        "notify_classes": "",
        "master_service_disable": "",
    }
    return "".join(f"{key} = {value}\n" for key, value in settings.items())


def _master_cf(smtpd_port: int) -> str:
    services = [
        f"127.0.0.1:{smtpd_port} inet n - n - - smtpd",
        "pickup    unix  n       -       n       60      1       pickup",
        "cleanup   unix  n       -       n       -       0       cleanup",
        "qmgr      unix  n       -       n       300     1       qmgr",
        "rewrite   unix  -       -       n       -       -       trivial-rewrite",
        "bounce    unix  -       -       n       -       0       bounce",
        "defer     unix  -       -       n       -       0       bounce",
        "trace     unix  -       -       n       -       0       bounce",
        "verify    unix  -       -       n       -       1       verify",
        "flush     unix  n       -       n       1000?   0       flush",
        "proxymap  unix  -       -       n       -       -       proxymap",
        "smtp      unix  -       -       n       -       -       smtp",
        "relay     unix  -       -       n       -       -       smtp",
        "showq     unix  n       -       n       -       -       showq",
        "error     unix  -       -       n       -       -       error",
        "retry     unix  -       -       n       -       -       error",
        "discard   unix  -       -       n       -       -       discard",
        "anvil     unix  -       -       n       -       1       anvil",
        "scache    unix  -       -       n       -       1       scache",
        "postlog   unix-dgram n  -       n       -       1       postlogd",
    ]
    return "\n".join(services) + "\n"


class PostfixInstance:
    """One private Postfix: `start()`, `send()`, `wait_for()`, `stop()`."""

    def __init__(self, root: Path, gateway: MailGateway) -> None:
        self.root = root
        self.config = root / "etc"
        self.maillog = root / "maillog"
        self.gateway = gateway
        self.smtpd_port = free_port()
        self.started = False

    def _postfix(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 (fixed program, arguments from this module)
            [POSTFIX, "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def start(self) -> None:
        self.config.mkdir(parents=True)
        (self.config / "main.cf").write_text(_main_cf(self.root, self.gateway))
        (self.config / "master.cf").write_text(_master_cf(self.smtpd_port))
        for sub in ("queue", "data"):
            (self.root / sub).mkdir()
        shutil.chown(self.root / "data", user="postfix")
        self.maillog.touch()
        result = self._postfix("start")
        if result.returncode != 0:
            raise RuntimeError(f"postfix start failed: {result.stdout}{result.stderr}")
        self.started = True
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.smtpd_port), timeout=1),
            ):
                return
            time.sleep(0.1)
        raise RuntimeError(f"postfix smtpd did not listen on {self.smtpd_port}:\n{self.log()}")

    def stop(self) -> None:
        if self.started:
            self._postfix("stop")
            self.started = False
            pid_file = self.root / "queue" / "pid" / "master.pid"
            deadline = time.monotonic() + 20
            while pid_file.exists() and time.monotonic() < deadline:
                pid = pid_file.read_text().strip()
                if not pid.isdigit() or not Path(f"/proc/{pid}").exists():
                    break
                time.sleep(0.1)

    def master_pid(self) -> int | None:
        pid_file = self.root / "queue" / "pid" / "master.pid"
        if not pid_file.exists():
            return None
        pid = pid_file.read_text().strip()
        return int(pid) if pid.isdigit() and Path(f"/proc/{pid}").exists() else None

    def send(self, *, sender: str, to: str, header_from: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = header_from
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP("127.0.0.1", self.smtpd_port, timeout=30) as client:
            client.send_message(message, from_addr=sender, to_addrs=[to])

    def log(self) -> str:
        return self.maillog.read_text(errors="replace") if self.maillog.exists() else ""

    def wait_done(self, found: Callable[[str], bool], *, timeout: float = 60) -> str:
        """Like wait_for, then until Postfix removed every message the log names (its last line
        about each), so the log is complete when the test reads it."""
        self.wait_for(found, timeout=timeout)

        def settled(text: str) -> bool:
            queued = set(re.findall(r"\]: ([0-9A-F]{6,}): from=<", text))
            return all(f"{qid}: removed" in text for qid in queued)

        return self.wait_for(settled, timeout=timeout)

    def wait_for(self, found: Callable[[str], bool], *, timeout: float = 60) -> str:
        """Poll the log until `found(log)`; the log. Fails the test with the log on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log()
            if found(text):
                return text
            time.sleep(0.2)
        pytest.fail(f"Postfix's log never showed what the test waited for:\n{self.log()}")


@pytest.fixture
def mail_gateway() -> Iterator[MailGateway]:
    with run_gateway() as gateway:
        yield gateway


@contextlib.contextmanager
def run_postfix(gateway: MailGateway) -> Iterator[PostfixInstance]:
    if not os.path.exists(POSTFIX):
        pytest.fail("Postfix is not installed: `make test` installs Debian's postfix package")
    root = Path(tempfile.mkdtemp(prefix="safelist-postfix-"))
    root.chmod(0o755)  # the queue is entered by Postfix's unprivileged daemons
    instance = PostfixInstance(root, gateway)
    try:
        instance.start()
        yield instance
    finally:
        instance.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postfix(mail_gateway: MailGateway) -> Iterator[PostfixInstance]:
    with run_postfix(mail_gateway) as instance:
        yield instance
