"""Checking a plan request body (API and CLI): either the `Answers` or errors by dotted path.

Every problem is reported at once, each under the path of the value at fault, e.g.
`{"recipients.0.domains.1": ["'exa mple.com' is not a valid domain name."]}`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from apps.core.bidi import strip_bidi
from apps.dnscheck.facts import AccountAnswer, Answers
from apps.policies import gateways
from apps.policies import mimecast as mc
from apps.policies.addresses import InvalidAddress, normalise_address, normalise_domain
from apps.policies.limits import (
    MAX_DOMAINS_PER_ACCOUNT,
    MAX_FROM_ADDRESSES,
    MAX_RECIPIENT_ACCOUNTS,
    MAX_TEXT,
)
from apps.policies.types import Basis, GatewayInfo, Mode, SendingIdentity

_GATEWAY_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

Errors = dict[str, list[str]]


class _Checker:
    def __init__(self) -> None:
        self.errors: Errors = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path or "__all__", []).append(message)

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(path, "This field is required.")
            return ""
        if not isinstance(value, str):
            self.add(path, "Must be a string.")
            return ""
        if len(value) > MAX_TEXT:
            self.add(path, f"Must be at most {MAX_TEXT} characters.")
            return ""
        if any(ord(c) < 32 for c in value):
            self.add(path, "Must not contain line breaks or control characters.")
            return ""
        # Text-direction controls are taken out, as the wizard does before storing (core.bidi).
        cleaned = strip_bidi(value).strip()
        if required and not cleaned:
            self.add(path, "This field is required.")
        return cleaned

    def flag(self, data: dict[str, Any], key: str, path: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(path, "Must be true or false.")
            return False
        return value

    def array(self, data: dict[str, Any], key: str, path: str, limit: int) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, "Must be a list.")
            return []
        if len(value) > limit:
            self.add(path, f"At most {limit} items are allowed; {len(value)} were sent.")
            return []
        return value

    def address(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            self.add(path, "Must be an email address (a string).")
            return ""
        try:
            return normalise_address(value).address
        except InvalidAddress as error:
            self.add(path, str(error))
            return ""


def parse_body(body: bytes) -> tuple[Answers | None, Errors]:
    """Decode and check a raw request body."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return None, {"__all__": ["The body must be UTF-8 encoded JSON."]}
    except (ValueError, RecursionError) as error:
        return None, {"__all__": [f"The body is not valid JSON: {error}"[:300]]}
    return parse_request(data)


def parse_request(data: Any) -> tuple[Answers | None, Errors]:
    """Check a decoded JSON value; see docs/api.md, "Request", for the shape."""
    check = _Checker()
    if not isinstance(data, dict):
        return None, {"__all__": ["The body must be a JSON object."]}
    sending = _sending(check, data.get("sending"))
    recipients = _recipients(check, data.get("recipients"))
    basis = Basis.ADDRESS
    raw_basis = data.get("basis")
    if raw_basis is not None:
        try:
            basis = Basis(raw_basis) if isinstance(raw_basis, str) else Basis("?")
        except ValueError:
            check.add("basis", f"Must be one of: {', '.join(b.value for b in Basis)}.")
    if check.errors or sending is None:
        return None, check.errors
    return Answers(sending=sending, accounts=recipients, basis=basis), {}


def _sending(check: _Checker, data: Any) -> SendingIdentity | None:
    if data is None:
        check.add("sending", "This field is required.")
        return None
    if not isinstance(data, dict):
        check.add("sending", "Must be an object.")
        return None
    raw_mode = data.get("mode")
    try:
        mode = Mode(raw_mode) if isinstance(raw_mode, str) else None
    except ValueError:
        mode = None
    if mode is None:
        check.add("sending.mode", f"Must be one of: {', '.join(m.value for m in Mode)}.")
    display_name = check.text(data, "display_name", "sending.display_name")
    customer_address = ""
    if data.get("customer_address") not in (None, ""):
        customer_address = check.address(data["customer_address"], "sending.customer_address")
    elif mode is Mode.UNVERIFIED_ADDRESS:
        check.add(
            "sending.customer_address",
            "Required when mode is unverified_address: the customer's own address, which the "
            "platform shows as the display name.",
        )
    raw_from = check.array(data, "from_addresses", "sending.from_addresses", MAX_FROM_ADDRESSES)
    from_addresses: list[str] = []
    if mode is not Mode.UNVERIFIED_ADDRESS:  # ignored in unverified_address mode
        for index, raw in enumerate(raw_from):
            address = check.address(raw, f"sending.from_addresses.{index}")
            if address and address.lower() not in {a.lower() for a in from_addresses}:
                from_addresses.append(address)
        if mode is not None and not raw_from and "sending.from_addresses" not in check.errors:
            check.add(
                "sending.from_addresses",
                f"At least one From address is required when mode is {mode.value}.",
            )
    whole = check.flag(data, "permit_whole_domain", "sending.permit_whole_domain")
    # §11: survey invitations carry per-recipient links unless the caller says otherwise.
    unique_links = check.flag(data, "unique_links", "sending.unique_links", default=True)
    if mode is None:
        return None
    return SendingIdentity(
        mode=mode,
        from_addresses=tuple(from_addresses),
        display_name=display_name,
        customer_address=customer_address,
        permit_whole_domain=whole and mode is Mode.SENDING_DOMAIN,
        unique_links=unique_links,
    )


def _recipients(check: _Checker, data: Any) -> tuple[AccountAnswer, ...]:
    if data is None or data == []:
        check.add("recipients", "At least one recipient account is required.")
        return ()
    if not isinstance(data, list):
        check.add("recipients", "Must be a list of recipient accounts.")
        return ()
    if len(data) > MAX_RECIPIENT_ACCOUNTS:
        check.add(
            "recipients",
            f"At most {MAX_RECIPIENT_ACCOUNTS} recipient accounts per request; {len(data)} were "
            "sent. Split them over several requests.",
        )
        return ()
    out = []
    for index, item in enumerate(data):
        parsed = _recipient(check, item, f"recipients.{index}")
        if parsed is not None:
            out.append(parsed)
    return tuple(out)


def _recipient(check: _Checker, data: Any, path: str) -> AccountAnswer | None:
    if not isinstance(data, dict):
        check.add(path, "Must be an object with organisation and domains.")
        return None
    organisation = check.text(data, "organisation", f"{path}.organisation")
    ref = check.text(data, "ref", f"{path}.ref")
    bulk = check.flag(data, "bulk", f"{path}.bulk")
    raw_domains = data.get("domains")
    domains: list[str] = []
    if not isinstance(raw_domains, list) or not raw_domains:
        check.add(f"{path}.domains", "At least one domain is required (a list of names).")
    elif len(raw_domains) > MAX_DOMAINS_PER_ACCOUNT:
        check.add(
            f"{path}.domains",
            f"At most {MAX_DOMAINS_PER_ACCOUNT} domains per recipient account; "
            f"{len(raw_domains)} were sent.",
        )
    else:
        for index, raw in enumerate(raw_domains):
            if not isinstance(raw, str):
                check.add(f"{path}.domains.{index}", "Must be a domain name (a string).")
                continue
            try:
                domain = normalise_domain(raw)[0]
            except InvalidAddress as error:
                check.add(f"{path}.domains.{index}", str(error))
                continue
            if domain not in domains:
                domains.append(domain)
    gateway = _gateway(check, data, path)
    if not domains:
        return None
    return AccountAnswer(
        organisation=organisation, domains=tuple(domains), bulk=bulk, ref=ref, gateway=gateway
    )


def _gateway(check: _Checker, data: dict[str, Any], path: str) -> GatewayInfo | None:
    """null → detect; "mimecast" (+ sibling "region"); or {"name": …, "region": …}."""
    raw = data.get("gateway")
    if raw is None:
        return None
    region_raw: Any = data.get("region")
    region_path = f"{path}.region"
    if isinstance(raw, dict):
        name_raw, region_raw = raw.get("name"), raw.get("region", region_raw)
        name_path, region_path = f"{path}.gateway.name", f"{path}.gateway.region"
    else:
        name_raw, name_path = raw, f"{path}.gateway"
    if not isinstance(name_raw, str) or not _GATEWAY_NAME.match(name_raw.strip().lower()):
        check.add(name_path, 'Must be null (detect it) or a gateway id such as "mimecast".')
        return None
    name = name_raw.strip().lower()
    region = None
    if region_raw not in (None, ""):
        if not isinstance(region_raw, str) or region_raw.strip().lower() not in mc.REGIONS:
            check.add(region_path, f"Must be one of: {', '.join(mc.REGIONS)}.")
            return None
        if name != gateways.MIMECAST:
            check.add(region_path, "A region applies only to the mimecast gateway.")
            return None
        region = region_raw.strip().lower()
    return GatewayInfo(
        name=name,
        region=region,
        detail=f"{gateways.label(name)} was chosen, not detected.",
        forced=True,
    )
