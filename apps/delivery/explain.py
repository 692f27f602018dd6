"""A pasted bounce or rejection, explained: which gateway and control, in plain words, and the
plan step that fixes it. Pure: nothing pasted is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from apps.delivery.classify import CONTROL_LABELS, Control, Verdict, classify
from apps.delivery.parsing import recipient_domain
from apps.policies import mimecast
from apps.policies.gateways import BY_ID
from apps.policies.types import PolicyId

MAX_PASTE_CHARS = 20_000

# §1.3: in a DSN, Diagnostic-Code holds the real reply (Status may be a generic 5.0.0) and
# Remote-MTA the server that answered.
_DIAGNOSTIC = re.compile(r"^diagnostic-code:\s*smtp;\s*(.+(?:\n[ \t]+.+)*)", re.I | re.M)
_REMOTE_MTA = re.compile(r"^remote-mta:\s*dns;\s*([^\s\[]+)", re.I | re.M)
# Where a pasted text names the recipient: a DSN's Final-Recipient or Original-Recipient, a
# Postfix line's to=<…>, or the "<address>: host … said" line of a Postfix bounce's text part.
_RECIPIENT = (
    re.compile(r"^(?:final|original)-recipient:\s*rfc822;\s*(\S+@\S+)", re.I | re.M),
    re.compile(r"\bto=<([^>\s]+@[^>\s]+)>", re.I),
    re.compile(r"^\s*<([^>\s]+@[^>\s]+)>:?\s", re.M),
)

# What the recipient's IT (or the sender) does about each control, in plain words.
_ADVICE: dict[Control, str] = {
    Control.GREYLISTING: "Nothing is lost: the gateway accepts the retry, minutes later. If the "
    "delay matters (a time-boxed survey), IT can add a greylisting bypass.",
    Control.ANTI_SPOOFING: "The invitation's From address uses the recipient organisation's own "
    "domain, so their gateway treats it as spoofed. IT adds an Anti-Spoofing exception for the "
    "platform.",
    Control.AUTHENTICATION: "The sending domain's SPF, DKIM or DMARC did not pass. This is fixed "
    "on the sending side (your domain's DNS), not by the recipient.",
    Control.REPUTATION: "The gateway (or a block list it uses) distrusts the sending servers. "
    "Where the gateway allows it, IT can permit the platform as a sender.",
    Control.THROTTLING: "Too much mail arrived too fast; it clears by itself as sending slows.",
    Control.BLOCKED_SENDER: "Someone at the recipient organisation blocked this sender. Their IT "
    "(or the person) has to remove the entry; an allow-listing step does not override it.",
    Control.UNKNOWN_RECIPIENT: "The address does not exist there: correct or remove it from "
    "your list.",
    Control.OTHER: "A policy or set-up problem at the recipient organisation: send their IT "
    "the reply text below.",
    Control.UNRECOGNISED: "Safelist does not recognise this reply. Send the text below to the "
    "recipient organisation's IT team, who can look it up in their gateway's log.",
}


@dataclass(frozen=True)
class Step:
    policy: PolicyId
    name: str  # "Greylisting"
    menu: str  # the current console's menu path
    help_url: str


@dataclass(frozen=True)
class Explanation:
    gateway: str  # the gateway's name, or "" when the reply does not say
    control: Control
    control_label: str
    permanent: bool
    advice: str
    step: Step | None
    reply: str  # the reply as it was matched, shown back (never stored)
    domain: str = ""  # the recipient's domain when the text names it (for the wizard link)


def reply_of(pasted: str) -> tuple[str, str]:
    """(reply, relay host) out of a pasted text: a DSN's Diagnostic-Code and Remote-MTA when
    present, otherwise the whole text on one line."""
    diagnostic = _DIAGNOSTIC.search(pasted)
    remote = _REMOTE_MTA.search(pasted)
    text = diagnostic.group(1) if diagnostic else pasted
    return " ".join(text.split()), (remote.group(1).rstrip(".").lower() if remote else "")


def recipient_domain_of(pasted: str) -> str:
    """The recipient's domain named in a pasted bounce, "" when none is (the local part is
    dropped here: only the domain goes into the wizard link)."""
    for pattern in _RECIPIENT:
        match = pattern.search(pasted)
        if match:
            return recipient_domain(match.group(1).rstrip(".;,")) or ""
    return ""


def explain(pasted: str) -> Explanation:
    reply, relay = reply_of(pasted[:MAX_PASTE_CHARS])
    verdict: Verdict = classify(status="", reply=reply, relay=relay)
    control = verdict.control or Control.UNRECOGNISED
    provider = BY_ID.get(verdict.gateway or "")
    step = None
    if verdict.policy is not None:
        step = Step(
            policy=verdict.policy,
            name=mimecast.policy_type(verdict.policy),
            menu=mimecast.console_path(verdict.policy).current,
            help_url=mimecast.HELP_URLS[verdict.policy],
        )
    return Explanation(
        gateway=provider.label if provider else "",
        control=control,
        control_label=CONTROL_LABELS[control],
        permanent=verdict.permanent,
        advice=_ADVICE[control],
        step=step,
        reply=verdict.reply,
        domain=recipient_domain_of(pasted[:MAX_PASTE_CHARS]),
    )
