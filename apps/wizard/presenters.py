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
    status: str  # ok / warning / missing / invalid / unknown
    message: str
    record: str = ""
    missing: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        """The status in plain words for the badge, e.g. "SPF: OK"."""
        return {
            "ok": "OK",
            "warning": "needs a look",
            "missing": "missing",
            "invalid": "has a problem",
        }.get(self.status, "not checked")

    @property
    def tone(self) -> str:
        return {"ok": "success", "warning": "warning", "unknown": "secondary"}.get(
            self.status, "danger"
        )


def sending_report_rows(report: dict[str, Any]) -> list[ReportRow]:
    """What the sending domain's SPF, DKIM and DMARC say and what is missing, from a stored
    `SendingDomainReport` (apps.customers.dnsfacts.report_dict)."""
    if not report or not report.get("domain"):
        return []
    rows = []
    for key, label in (("spf", "SPF"), ("dkim", "DKIM"), ("dmarc", "DMARC")):
        check = report.get(key) or {}
        rows.append(
            ReportRow(
                label=label,
                status=str(check.get("status", "unknown")),
                message=check.get("message", ""),
                record=check.get("record", ""),
                missing=tuple(check.get("missing") or ()),
            )
        )
    return rows


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

    @property
    def has_unchecked_domain(self) -> bool:
        """A domain whose email provider couldn't be looked up (amber badge)."""
        return any(d.tone == "warning" for d in self.domains)


def account_views(profile: CustomerProfile) -> list[AccountView]:
    own = selectors.own_domains(profile)
    views = []
    for account in selectors.recipient_accounts(profile):
        view = AccountView(account)
        for row in account.domains.all():
            badge = dnsfacts.badge(row)
            view.domains.append(
                DomainView(
                    row.domain,
                    domain_display(row.domain),
                    badge.text,
                    badge.tone,
                    row.domain in own,
                )
            )
        views.append(view)
    return views
