"""Classifying replies: hand-written lines for each gateway in the SMTP replies reference."""

from datetime import timedelta

import pytest

from apps.delivery.classify import (
    Control,
    classify,
    classify_cached,
    remote_reply,
    retried_control,
)
from apps.delivery.parsing import parse_postfix
from apps.policies.types import PolicyId

MC = "eu-smtp-inbound-1.mimecast.com"
MS = "tenant-example.mail.protection.outlook.com"
GG = "aspmx.l.google.com"
PP = "mx0a-00112233.pphosted.com"
BC = "d123456a.ess.barracudanetworks.com"
SO = "mx-01-eu-west-1.prod.hydra.sophos.com"
CI = "mx1.hc0000-00.iphmx.com"
TM = "customer.in.tmes.trendmicro.com"
ML = "cluster1.eu.messagelabs.com"
MCT = " - https://community.mimecast.com/docs/DOC-1369#550 [ZyXwVuTsRqPoNmLkJiHg.uk45]"

# (relay, status, reply, gateway, control, permanent, policy)
CASES = [
    # §3.1 Mimecast
    (
        MC,
        "deferred",
        "451 Internal resource temporarily unavailable" + MCT,
        "mimecast",
        Control.GREYLISTING,
        False,
        PolicyId.GREYLISTING_BYPASS,
    ),
    (
        MC,
        "bounced",
        "550 Rejected by header based Anti-Spoofing policy: s@c.example" + MCT,
        "mimecast",
        Control.ANTI_SPOOFING,
        True,
        PolicyId.ANTI_SPOOFING_BYPASS,
    ),
    (
        MC,
        "bounced",
        "550 Anti-Spoofing policy - Inbound not allowed" + MCT,
        "mimecast",
        Control.ANTI_SPOOFING,
        True,
        PolicyId.ANTI_SPOOFING_BYPASS,
    ),
    (
        MC,
        "deferred",
        "421 Sender address blocked" + MCT,
        "mimecast",
        Control.BLOCKED_SENDER,
        False,
        None,
    ),
    (
        MC,
        "bounced",
        "550 Administrative prohibition - envelope blocked" + MCT,
        "mimecast",
        Control.BLOCKED_SENDER,
        True,
        None,
    ),
    (
        MC,
        "bounced",
        "550 Rejected by header based manually Blocked Senders: s@c.example",
        "mimecast",
        Control.BLOCKED_SENDER,
        True,
        None,
    ),
    (
        MC,
        "bounced",
        "550 DMARC Sender Invalid - envelope rejected" + MCT,
        "mimecast",
        Control.AUTHENTICATION,
        True,
        None,
    ),
    (
        MC,
        "bounced",
        "550 SPF Sender Invalid - envelope rejected",
        "mimecast",
        Control.AUTHENTICATION,
        True,
        None,
    ),
    (
        MC,
        "bounced",
        "550 Local CT IP Reputation - (reject)" + MCT,
        "mimecast",
        Control.REPUTATION,
        True,
        PolicyId.PERMITTED_SENDERS,
    ),
    (
        MC,
        "bounced",
        "550 spamcop.mimecast.org Blocked - see http://www.spamcop.net/bl.shtml?203.0.113.9",
        "mimecast",
        Control.REPUTATION,
        True,
        PolicyId.PERMITTED_SENDERS,
    ),
    (
        MC,
        "deferred",
        "451 Account service is temporarily unavailable" + MCT,
        "mimecast",
        Control.THROTTLING,
        False,
        None,
    ),
    (
        MC,
        "bounced",
        "550 Invalid Recipient" + MCT,
        "mimecast",
        Control.UNKNOWN_RECIPIENT,
        True,
        None,
    ),
    (MC, "deferred", "451 Open relay not allowed" + MCT, "mimecast", Control.OTHER, False, None),
    (MC, "bounced", "554 Host network not allowed" + MCT, "mimecast", Control.OTHER, True, None),
    # §3.2 Microsoft 365
    (
        MS,
        "deferred",
        "451 4.7.500 Server busy. Please try again later from [203.0.113.9]. (AS72830458)",
        "microsoft365",
        Control.THROTTLING,
        False,
        None,
    ),
    (
        MS,
        "bounced",
        "550 5.7.606 Access denied, banned sending IP [203.0.113.9]. To request "
        "removal from this list please visit https://sender.office.com/",
        "microsoft365",
        Control.REPUTATION,
        True,
        None,
    ),
    (
        MS,
        "bounced",
        "550 5.7.1 Service unavailable, Client host [203.0.113.9] blocked using "
        "Spamhaus (AS16012611)",
        "microsoft365",
        Control.REPUTATION,
        True,
        None,
    ),
    (
        MS,
        "bounced",
        "550 5.7.513 Service unavailable, Client host [203.0.113.9] blocked by "
        "tenant.example using Customer Block list (AS16012607)",
        "microsoft365",
        Control.BLOCKED_SENDER,
        True,
        None,
    ),
    (
        MS,
        "bounced",
        "550 5.7.509 Access denied, sending domain c.example does not pass DMARC "
        "verification and has a DMARC policy of reject.",
        "microsoft365",
        Control.AUTHENTICATION,
        True,
        None,
    ),
    (
        MS,
        "bounced",
        "550 5.4.1 [x@tenant.example]: Recipient address rejected: Access denied",
        "microsoft365",
        Control.UNKNOWN_RECIPIENT,
        True,
        None,
    ),
    (
        MS,
        "bounced",
        "550 5.7.1 TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy",
        "microsoft365",
        Control.OTHER,
        True,
        None,
    ),
    (
        MS,
        "bounced",
        "554 5.2.121 The sender has exceeded the limit for the number of messages "
        "they can send to this recipient per hour",
        "microsoft365",
        Control.THROTTLING,
        True,
        None,
    ),
    # §3.3 Google
    (
        GG,
        "deferred",
        "421-4.7.28 Gmail has detected an unusual rate of mail originating from "
        "your SPF domain [ssmx.example]. 421 4.7.28 For more information a1b2c3 - gsmtp",
        "google",
        Control.THROTTLING,
        False,
        None,
    ),
    (
        GG,
        "bounced",
        "550-5.7.26 Unauthenticated email from c.example is not accepted due to "
        "domain's DMARC policy. 550 5.7.26 Please contact a1b2 - gsmtp",
        "google",
        Control.AUTHENTICATION,
        True,
        None,
    ),
    (
        GG,
        "bounced",
        "550-5.7.1 Our system has detected a very low reputation of the sending IP - gsmtp",
        "google",
        Control.REPUTATION,
        True,
        None,
    ),
    (
        GG,
        "bounced",
        "550-5.1.1 The email account that you tried to reach does not exist. - gsmtp",
        "google",
        Control.UNKNOWN_RECIPIENT,
        True,
        None,
    ),
    # §3.4 Proofpoint (and §4.3: a 5xx greeting logged as a deferral is a block at once)
    (
        PP,
        "deferred",
        "host mx0a-00112233.pphosted.com[192.0.2.60] refused to talk to me: 554 "
        "5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=203.0.113.8",
        "proofpoint",
        Control.REPUTATION,
        True,
        None,
    ),
    (
        PP,
        "bounced",
        "550 5.7.1 Service unavailable; client [203.0.113.8] blocked using "
        "Cloudmark Sender Intelligence",
        "proofpoint",
        Control.REPUTATION,
        True,
        None,
    ),
    (
        PP,
        "bounced",
        "550 5.7.0 Email rejected per sender's DMARC policy",
        "proofpoint",
        Control.AUTHENTICATION,
        True,
        None,
    ),
    # §3.5 Barracuda
    (
        BC,
        "bounced",
        "554 Service unavailable; Client host [203.0.113.8] blocked using Barracuda "
        "Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=203.0.113.8",
        "barracuda",
        Control.REPUTATION,
        True,
        None,
    ),
    (
        BC,
        "deferred",
        "451 4.7.1 <x@c.example>: Recipient address rejected: Greylisted for 5 minutes",
        "barracuda",
        Control.GREYLISTING,
        False,
        None,
    ),
    (
        BC,
        "bounced",
        "550 cuda_nsu 5.1.1 <x@c.example>... User unknown",
        "barracuda",
        Control.UNKNOWN_RECIPIENT,
        True,
        None,
    ),
    # §3.6 Sophos
    (
        SO,
        "bounced",
        "550 5.7.1 Rejected XGEMAIL_0003",
        "sophos",
        Control.AUTHENTICATION,
        True,
        None,
    ),
    (SO, "bounced", "550 Rejected XGEMAIL_0004", "sophos", Control.REPUTATION, True, None),
    (SO, "bounced", "550 Rejected XGEMAIL_0008", "sophos", Control.BLOCKED_SENDER, True, None),
    # §3.7 Cisco
    (
        CI,
        "deferred",
        "host mx1.hc0000-00.iphmx.com[192.0.2.70] refused to talk to me: 554 Your "
        "access to this mail system has been rejected due to the sending MTA's poor reputation.",
        "cisco",
        Control.REPUTATION,
        True,
        None,
    ),
    (
        CI,
        "bounced",
        "550 #5.7.1 DMARC unauthenticated mail is prohibited.",
        "cisco",
        Control.AUTHENTICATION,
        True,
        None,
    ),
    # §3.8 Trend Micro
    (
        TM,
        "bounced",
        "550 Service unavailable; Client host [203.0.113.9] blocked using Trend "
        "Micro RBL+. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.9",
        "trendmicro",
        Control.REPUTATION,
        True,
        None,
    ),
    (
        TM,
        "bounced",
        "554 5.7.1 <x@c.example>: Recipient address rejected: BLOCK-SEND-ER.",
        "trendmicro",
        Control.BLOCKED_SENDER,
        True,
        None,
    ),
    # §3.9 Broadcom
    (
        ML,
        "bounced",
        "553 Sorry, your IP address has been blacklisted",
        "broadcom",
        Control.BLOCKED_SENDER,
        True,
        None,
    ),
    (
        ML,
        "bounced",
        "501 Connection rejected by policy [7.7] 20805, please visit www.messagelabs.com/support",
        "broadcom",
        Control.REPUTATION,
        True,
        None,
    ),
    (
        ML,
        "bounced",
        "553 DMARC domain authentication fail",
        "broadcom",
        Control.AUTHENTICATION,
        True,
        None,
    ),
    # §3.10 Cloudflare Email Routing
    (
        "route1.mx.cloudflare.net",
        "bounced",
        "554 203.0.113.9 found on one or more DNSBLs (bl.example)",
        None,
        Control.REPUTATION,
        True,
        None,
    ),
]


@pytest.mark.parametrize(
    ("relay", "status", "reply", "gateway", "control", "permanent", "policy"), CASES
)
def test_it_classifies_each_gateways_documented_replies(
    relay: str,
    status: str,
    reply: str,
    gateway: str | None,
    control: Control,
    permanent: bool,
    policy: PolicyId | None,
) -> None:
    verdict = classify(status=status, reply=reply, relay=relay)
    assert (verdict.gateway, verdict.control, verdict.permanent, verdict.policy) == (
        gateway,
        control,
        permanent,
        policy,
    )


@pytest.mark.parametrize(("relay", "status", "reply"), [case[:3] for case in CASES])
def test_the_ingests_cached_verdict_is_classifys(relay: str, status: str, reply: str) -> None:
    # Twice: the second answer comes from the cache and must still be the same verdict.
    expected = classify(status=status, reply=reply, relay=relay)
    assert classify_cached(status, reply, relay) == expected
    assert classify_cached(status, reply, relay) == expected


def test_an_unknown_text_is_unrecognised_and_the_raw_reply_kept() -> None:
    # §3.1: Mimecast's Impersonation Protect reply is UNCONFIRMED: no rule guesses it.
    reply = "550 Message held for impersonation review [abc.uk1]"
    verdict = classify(status="bounced", reply=reply, relay=MC)
    assert verdict.control is Control.UNRECOGNISED
    assert verdict.policy is None
    assert verdict.reply == reply


def test_the_reply_fingerprint_beats_the_relay_host() -> None:
    # §0.6: iCloud's MX returns Proofpoint PDR text.
    verdict = classify(
        status="bounced",
        reply="550 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=203.0.113.8",
        relay="mx01.mail.icloud.com",
    )
    assert verdict.gateway == "proofpoint"


def test_an_unknown_relay_and_text_has_no_gateway() -> None:
    verdict = classify(status="deferred", reply="451 try later", relay="mx.unknown.example")
    assert (verdict.gateway, verdict.control) == (None, Control.UNRECOGNISED)


def test_a_delivered_attempt_has_no_control() -> None:
    verdict = classify(status="sent", reply="250 Ok", relay=MC)
    assert (verdict.gateway, verdict.control, verdict.permanent) == ("mimecast", None, False)


def test_a_pasted_reply_is_permanent_by_its_code() -> None:
    assert classify(status="", reply="550 Invalid Recipient").permanent is True
    assert (
        classify(status="", reply="451 Internal resource temporarily unavailable").permanent
        is False
    )


def test_a_host_with_a_lookalike_name_is_not_the_gateway() -> None:
    verdict = classify(status="deferred", reply="451 later", relay="smtp.evilmimecast.com")
    assert verdict.gateway is None


def test_postfix_text_is_stripped_to_the_remote_reply() -> None:
    attempt = parse_postfix(
        "Nov 28 11:30:02 ms5 postfix/smtp[5120]: A06dWq7Fh8: to=<p@customer.example>, "
        "relay=aspmx.l.google.com[192.0.2.40]:25, delay=3.3, delays=0.1/0/0.9/2.3, dsn=4.7.28, "
        "status=deferred (host aspmx.l.google.com[192.0.2.40] said: 421-4.7.28 Gmail has "
        "detected an unusual rate. 421 4.7.28 For more information a1b2c3 - gsmtp (in reply to "
        "end of DATA command))",
        year=2026,
    )
    assert attempt is not None
    assert remote_reply(attempt.reply) == (
        "421-4.7.28 Gmail has detected an unusual rate. For more information a1b2c3 - gsmtp"
    )


@pytest.mark.parametrize(
    ("reply", "gateway"),
    [
        (
            "451 4.7.500 Server busy. Please try again later from [203.0.113.9]. (AS72830458)",
            "microsoft365",
        ),
        ("421-4.7.28 unusual rate of mail. 421 4.7.28 more a1b2c3 - gsmtp", "google"),
        ("550 5.1.1 <x@c.example>: Recipient address rejected [abc.uk12]", "mimecast"),
        ("550 Rejected XGEMAIL_0002", "sophos"),
    ],
)
def test_a_pasted_reply_names_its_gateway_by_fingerprint_alone(reply: str, gateway: str) -> None:
    # §2: the fingerprint identifies the gateway even with no relay host (a pasted bounce).
    assert classify(status="", reply=reply).gateway == gateway


def test_mimecast_greylisting_past_its_window_is_reputation() -> None:
    # §0.2, §6 rule 4: the same 451 text, still refused after 12 h, means poor IP reputation.
    g = Control.GREYLISTING
    assert retried_control(g, "mimecast", timedelta(hours=11, minutes=59)) is g
    assert retried_control(g, "mimecast", timedelta(hours=12, seconds=1)) is Control.REPUTATION
    assert retried_control(g, "barracuda", timedelta(days=2)) is g
    assert retried_control(Control.THROTTLING, "mimecast", timedelta(days=2)) is Control.THROTTLING
