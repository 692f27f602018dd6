"""Realistic Plans built straight from the dataclasses, for the export tests and the benchmark.

`make_plan(n)` gives n recipient accounts cycling through: a Mimecast account with every policy
kind (IP-based, an IDN address, long values, notes), a Mimecast account with only
address-based steps, a Microsoft 365 account (no Mimecast steps) and an account whose gateway
could not be detected.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from apps.policies.types import (
    AccountPlan,
    Basis,
    ConsolePath,
    GatewaySummary,
    Mode,
    Plan,
    PlatformSummary,
    PolicyId,
    Setting,
    Step,
    WhitelistAddress,
)

GENERATED_AT = datetime(2026, 11, 28, 7, 30, tzinfo=UTC)
IPS_RESOLVED_AT = datetime(2026, 11, 28, 6, 15, tzinfo=UTC)
IP_RANGES = (
    "185.5.88.10/32",
    "185.5.88.11/32",
    "185.5.88.17/32",
    "185.5.88.18/32",
    "194.116.212.0/24",
    "2a05:d018:1a4:b600::/56",
)
SHARED = "member@smartsurveyuser.com"

_GATEWAY_PATH = "Policies → Gateway Policies → "
_LEGACY_PATH = "Administration → Gateway → Policies → "


def _path(kind: str) -> ConsolePath:
    return ConsolePath(current=_GATEWAY_PATH + kind, legacy=_LEGACY_PATH + kind)


def _steps(domain: str, addresses: tuple[WhitelistAddress, ...], ips: bool) -> tuple[Step, ...]:
    """Every policy kind, with the field names exactly as on the Mimecast forms."""
    ip_setting = (Setting("Source IP Ranges (n.n.n.n/x)", "\n".join(IP_RANGES)),) if ips else ()
    first = addresses[0].address
    return (
        Step(
            key="permitted_senders-1",
            policy=PolicyId.PERMITTED_SENDERS,
            title=f"Permit {first} as a sender",
            path=_path("Permitted Senders"),
            settings=(
                Setting("Policy Narrative", f"Safelist: permit survey mail from {first}"),
                Setting("Select Option", "Permit Sender"),
                Setting("Addresses Based On", "Both"),
                Setting("Applies From", "Individual Email Address"),
                Setting("Specifically", first),
                Setting("Applies To", "Email Domain"),
                Setting("Specifically", domain),
                *ip_setting,
            ),
            why="Permitted Senders skip reputation, greylisting and spam checks.",
            notes=("Changes can take up to 5 minutes to take effect.",),
        ),
        Step(
            key="greylisting_bypass-1",
            policy=PolicyId.GREYLISTING_BYPASS,
            title="Stop greylisting the survey invitations",
            path=_path("Greylisting"),
            settings=(
                Setting("Policy Narrative", "Safelist: no greylisting for survey mail"),
                Setting("Select Option", "Take No Action"),
                Setting("Applies From", "Individual Email Address"),
                Setting("Specifically", first),
                *ip_setting,
            ),
            why="Bulk sends are deferred with 451 on every new sender triplet.",
            notes=(
                "The console label for 'no action' was not seen in a Mimecast page "
                "(UNCONFIRMED): choose the option that does not apply greylisting.",
            ),
        ),
        Step(
            key="anti_spoofing_bypass-1",
            policy=PolicyId.ANTI_SPOOFING_BYPASS,
            title=f"Let the platform send as {domain} (Anti-Spoofing exception)",
            path=_path("Anti-Spoofing"),
            settings=(
                Setting("Policy Narrative", f"Safelist: {domain} from the survey platform"),
                Setting("Select Option", "Take No Action"),
                Setting("Addresses Based On", "Both"),
                Setting("Applies From", "Email Domain"),
                Setting("Specifically", domain),
                Setting("Applies To", "Internal Addresses"),
                *ip_setting,
            ),
            why="Mail from your own domain arriving from outside is rejected with 550.",
        ),
        Step(
            key="anti_spoofing_spf_bypass-1",
            policy=PolicyId.ANTI_SPOOFING_SPF_BYPASS,
            title="Or: bypass Anti-Spoofing when SPF passes",
            path=_path("Anti-Spoofing SPF-Based Bypass"),
            settings=(
                Setting("Select Option", "Enable Anti-Spoofing SPF-Based Bypass"),
                Setting("When IP Matches SPF Record of", domain),
                Setting("Applies From", "Everyone"),
                Setting("Applies To", "Everyone"),
            ),
            why="Mimecast's documented way to let a trusted third party send as your domain.",
            notes=("SPF records with 10 or more terms break this check.",),
        ),
        Step(
            key="impersonation_bypass-1",
            policy=PolicyId.IMPERSONATION_BYPASS,
            title="Bypass Impersonation Protect for the survey mail",
            path=_path("Impersonation Protection Bypass"),
            settings=(
                Setting("Policy Narrative", "Safelist: display name carries a colleague's address"),
                Setting("Select Option", "Disable Impersonation Protect"),
                Setting("Applies From", "Individual Email Address"),
                Setting("Specifically", SHARED),
                Setting("Applies To", "Everyone"),
                *ip_setting,
            ),
            why="The display name shows the customer's own address, which may count as a hit.",
            notes=("Which control fires on an address in the display name is UNCONFIRMED.",),
        ),
        Step(
            key="verify-1",
            policy=PolicyId.VERIFY,
            title="Check that a test invitation arrives",
            path=ConsolePath(
                current="Reports → Message Tracking",
                legacy="Administration → Message Center → Message Tracking",
            ),
            settings=(Setting("Search", first),),
            why="Message Tracking shows which policy acted on the message.",
            notes=("Wait at least 5 minutes after saving before testing.",),
        ),
    )


def _mimecast(region: str, label: str, url: str, domain: str) -> GatewaySummary:
    return GatewaySummary(
        name="mimecast",
        label="Mimecast",
        region=region,
        region_label=label,
        console_url=url,
        evidence=(f"{region}-smtp-inbound-1.mimecast.com", f"{region}-smtp-inbound-2.mimecast.com"),
        detail=f"{domain} receives mail through Mimecast ({label}).",
        mimecast_steps_apply=True,
    )


def make_account(i: int, *, ips: bool = True) -> AccountPlan:
    """Account number i (1-based); the kind cycles every four accounts."""
    kind = (i - 1) % 4
    if kind == 0:
        domain = f"northwind{i}.example"
        addresses: tuple[WhitelistAddress, ...] = (
            WhitelistAddress(SHARED, SHARED),
            WhitelistAddress("umfragen@xn--bcher-kva.example", "umfragen@bücher.example"),
            WhitelistAddress(
                "very.long.survey.sender.address.for.quarterly.staff.engagement@"
                f"people-and-culture.{domain}",
                "very.long.survey.sender.address.for.quarterly.staff.engagement@"
                f"people-and-culture.{domain}",
            ),
        )
        return AccountPlan(
            ref=f"acct-{i}",
            organisation=f"Northwind Traders {i}",
            domains=(domain, f"mail.{domain}"),
            gateway=_mimecast("eu", "Europe", "https://login-eu.mimecast.com", domain),
            whitelist_addresses=addresses,
            steps=_steps(domain, addresses, ips),
            warnings=(
                f"Recipients at {domain} share the From domain: Anti-Spoofing applies.",
                "Bulk sends: greylisting will defer the first message to each recipient.",
            ),
            ip_ranges=IP_RANGES if ips else (),
        )
    if kind == 1:
        domain = f"contoso{i}.example"
        addresses = (WhitelistAddress(SHARED, SHARED),)
        steps = tuple(
            replace(s, settings=tuple(x for x in s.settings if not x.field.startswith("Source")))
            for s in _steps(domain, addresses, ips=False)
            if s.policy in (PolicyId.PERMITTED_SENDERS, PolicyId.VERIFY)
        )
        return AccountPlan(
            ref=f"acct-{i}",
            organisation=f"Contoso Health {i}",
            domains=(domain,),
            gateway=_mimecast("us", "USA", "https://login-us.mimecast.com", domain),
            whitelist_addresses=addresses,
            steps=steps,
            warnings=(f"{SHARED} is shared by every customer of the platform: scope To narrowly.",),
        )
    if kind == 2:
        domain = f"fabrikam{i}.example"
        return AccountPlan(
            ref=f"acct-{i}",
            organisation=f"Fabrikam {i}",
            domains=(domain,),
            gateway=GatewaySummary(
                name="microsoft365",
                label="Microsoft 365",
                region=None,
                region_label="",
                console_url="",
                evidence=(f"{domain}.mail.protection.outlook.com",),
                detail=f"{domain} receives mail directly through Microsoft 365.",
                mimecast_steps_apply=False,
            ),
            whitelist_addresses=(WhitelistAddress(SHARED, SHARED),),
            steps=(),
            warnings=("This account is not behind Mimecast: no Mimecast policies are needed.",),
        )
    domain = f"adatum{i}.example"
    return AccountPlan(
        ref=f"acct-{i}",
        organisation=f"Adatum {i}",
        domains=(domain,),
        gateway=GatewaySummary(
            name=None,
            label="Unknown",
            region=None,
            region_label="",
            console_url="",
            evidence=(),
            detail="Couldn't check: the DNS server didn't answer.",
            mimecast_steps_apply=False,
        ),
        whitelist_addresses=(WhitelistAddress(SHARED, SHARED),),
        steps=(),
        warnings=("The gateway could not be detected; check again or choose it by hand.",),
    )


def make_plan(n: int = 1, *, basis: Basis = Basis.ADDRESS_AND_IP) -> Plan:
    ips = basis != Basis.ADDRESS
    return Plan(
        accounts=tuple(make_account(i, ips=ips) for i in range(1, n + 1)),
        platform=PlatformSummary(
            name="SmartSurvey",
            shared_address=SHARED,
            spf_include="spf.ssmx.net",
            server_hostnames=("ms1.ssmx.net", "ms7.ssmx.net", "ms8.ssmx.net"),
            version="1.42",
            ip_ranges=IP_RANGES if ips else (),
            ips_resolved_at=IPS_RESOLVED_AT if ips else None,
            ips_stale=False,
        ),
        basis=basis,
        mode=Mode.UNVERIFIED_ADDRESS,
        generated_at=GENERATED_AT,
        warnings=(f"{SHARED} is shared by all of the platform's customers.",),
    )


def hostile_plan(port: int) -> Plan:
    """A plan whose customer-entered fields try to make a renderer fetch from 127.0.0.1:port."""
    img = f'<img src="http://127.0.0.1:{port}/x">'
    css = f"url(http://127.0.0.1:{port}/y)"
    link = f'<link rel="stylesheet" href="http://127.0.0.1:{port}/z.css">'
    style = f"<style>@import 'http://127.0.0.1:{port}/w.css';</style>"
    plan = make_plan(2)
    account = plan.accounts[0]
    hostile_step = replace(
        account.steps[0],
        title=f"Permit {img}",
        settings=(
            *account.steps[0].settings,
            Setting(f"Field {link}", f"{css} {style}"),
        ),
        why=f"http://127.0.0.1:{port}/why {img}",
        notes=(f"<a href='http://127.0.0.1:{port}/n'>n</a> {style}",),
    )
    account = replace(
        account,
        organisation=f"Evil {img} {css}",
        domains=(f"{link}.example",),
        whitelist_addresses=(
            WhitelistAddress(f"{img}@x.example", f"{css}@x.example"),
            *account.whitelist_addresses,
        ),
        steps=(hostile_step, *account.steps[1:]),
        warnings=(f"{style} {img}", *account.warnings),
    )
    return replace(plan, accounts=(account, *plan.accounts[1:]), warnings=(img, css, link))
