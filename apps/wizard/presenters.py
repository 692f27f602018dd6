"""Plain values the wizard templates show: the From line preview, badges, the review summary."""

from dataclasses import dataclass, field
from typing import Any

from apps.customers import dnsfacts, selectors
from apps.customers.models import CustomerProfile, RecipientAccount, SendingMode
from apps.customers.validation import domain_display

STEPS: tuple[tuple[int, str, str], ...] = (
    (1, "about", "About you"),
    (2, "sending", "How you send"),
    (3, "recipients", "Who receives"),
    (4, "options", "Options"),
    (5, "review", "Review"),
)


def step_name(number: int) -> str:
    return STEPS[max(1, min(number, len(STEPS))) - 1][1]


def from_line(
    *,
    mode: str,
    customer_address: str,
    display_name: str,
    from_addresses: list[str],
    shared_address: str,
) -> str:
    """How the From line will look in the recipient's inbox, e.g.
    `"luke@example.com" <member@smartsurveyuser.com>`."""
    if mode == SendingMode.UNVERIFIED_ADDRESS:
        return f'"{customer_address or "your address"}" <{shared_address}>'
    if mode in (SendingMode.VERIFIED_ADDRESS, SendingMode.SENDING_DOMAIN):
        address = from_addresses[0] if from_addresses else "your address"
        return f'"{display_name}" <{address}>' if display_name else f"<{address}>"
    return ""


@dataclass
class ReportRow:
    label: str
    ok: bool | None  # None = unknown
    text: str


def sending_report_rows(report: dict[str, Any]) -> list[ReportRow]:
    """What the sending domain's DNS says, and what is missing, in plain words."""
    if not report or not report.get("domain"):
        return []
    if report.get("error"):
        return [ReportRow("DNS", None, f"We couldn't check: {report['error']}")]
    spf = report.get("spf_authorises_platform")
    spf_text = {
        True: "Your SPF record authorises the platform.",
        False: "Your SPF record does not include the platform: ask IT to add it.",
        None: "No SPF record found (or it could not be read): ask IT to add one that includes "
        "the platform.",
    }[spf]
    if report.get("spf_record"):
        spf_text += f" ({report['spf_record']})"
    dkim = report.get("dkim_selectors_found") or []
    dmarc = report.get("dmarc_policy") or ""
    return [
        ReportRow("SPF", spf, spf_text),
        ReportRow(
            "DKIM",
            bool(dkim) or None,
            f"Signing keys found: {', '.join(dkim)}."
            if dkim
            else "No DKIM key for the platform found: ask IT to publish the platform's key.",
        ),
        ReportRow(
            "DMARC",
            bool(dmarc) or None,
            f"Your DMARC policy is “{dmarc}”." if dmarc else "No DMARC record found.",
        ),
    ]


@dataclass
class DomainView:
    domain: str
    display: str
    badge: str
    tone: str
    own: bool


@dataclass
class AccountView:
    account: RecipientAccount
    domains: list[DomainView] = field(default_factory=list)

    @property
    def has_own_domain(self) -> bool:
        return any(d.own for d in self.domains)


def account_views(profile: CustomerProfile) -> list[AccountView]:
    own = selectors.own_domains(profile)
    views = []
    for account in selectors.recipient_accounts(profile):
        view = AccountView(account)
        for row in account.domains.all():
            text, tone = dnsfacts.badge(row)
            view.domains.append(
                DomainView(row.domain, domain_display(row.domain), text, tone, row.domain in own)
            )
        views.append(view)
    return views
