"""Plain values the wizard templates show: the From line preview, badges, the review summary."""

from dataclasses import dataclass, field
from typing import Any

from apps.customers import dnsfacts, selectors
from apps.customers.models import Basis, CustomerProfile, RecipientAccount, SendingMode
from apps.customers.validation import domain_display
from apps.dnscheck import facade, status
from apps.sending.selectors import platform_info

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


def sending_report_rows(report: dict[str, Any]) -> list[status.Fact]:
    """What the sending domain's SPF, DKIM and DMARC say and what is missing, from a stored
    `SendingDomainReport`, in the words every page uses (apps.dnscheck.status)."""
    return status.sending_facts(report)


@dataclass
class DomainView:
    domain: str
    display: str
    badge: str
    tone: str
    own: bool
    cannot_receive: bool = False  # DNS says it takes no mail: a typo, most likely
    failed: bool = False  # the lookup itself failed: worth trying again later
    message: str = ""  # DNS's verdict in one sentence


@dataclass
class AccountView:
    account: RecipientAccount
    domains: list[DomainView] = field(default_factory=list)

    @property
    def has_own_domain(self) -> bool:
        return any(d.own for d in self.domains)

    @property
    def has_unchecked_domain(self) -> bool:
        """A domain whose lookup failed (timeout, SERVFAIL): only then "couldn't check just now"."""
        return any(d.failed for d in self.domains)

    @property
    def undeliverable(self) -> list["DomainView"]:
        """The domains that can't receive email (null MX, no such domain, a typo)."""
        return [d for d in self.domains if d.cannot_receive]


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
                    cannot_receive=dnsfacts.cannot_receive(row),
                    failed=dnsfacts.check_failed(row),
                    message=row.dns_message,
                )
            )
        views.append(view)
    return views


@dataclass(frozen=True)
class BasisAdvice:
    """Which basis suits this customer, and the trade-off in one line."""

    basis: Basis
    reason: str


def recommended_basis(profile: CustomerProfile) -> BasisAdvice:
    """The basis whose instructions warn against nothing in this customer's situation (the
    generator's rules, apps/policies/rules):

    - the shared address is every platform customer's From, and permitting it by address alone
      lets their forgeries in too (generator `_plan_warnings`): address and IPs;
    - the customer's own From domain sent to its own organisation needs an Anti-Spoofing
      exception restricted to the platform's IPs anyway (`rules.spoofing`): address and IPs,
      so every policy is as hard to fake as that one;
    - the platform's IPs unknown: the From address, since IP bases would fall back to it with a
      note (`rules.caveats.basis_note`);
    - otherwise the From address alone, which keeps working when the platform's servers change.
    """
    if not facade.platform_ips(platform_info()).ranges:
        # Asked for IPs that can't be looked up, the instructions fall back to addresses and
        # say so (rules.caveats.basis_note).
        return BasisAdvice(
            Basis.ADDRESS,
            "The platform's server addresses can't be looked up just now, so the policies can "
            "match only your From address; it keeps working when the servers change.",
        )
    if profile.sending_mode == SendingMode.UNVERIFIED_ADDRESS:
        return BasisAdvice(
            Basis.ADDRESS_AND_IP,
            "The shared address is every customer's From: matching the platform's servers too "
            "keeps forgeries out, though IT must update the policies when those servers change.",
        )
    from_domains = {a.rpartition("@")[2] for a in selectors.from_addresses(profile)}
    recipients = {
        row.domain
        for account in selectors.recipient_accounts(profile)
        for row in account.domains.all()
    }
    if from_domains & recipients:
        return BasisAdvice(
            Basis.ADDRESS_AND_IP,
            "Your own domain's mail to your own organisation needs the platform's servers listed "
            "for Anti-Spoofing anyway: matching both is hardest to fake, and IT updates them "
            "when the servers change.",
        )
    return BasisAdvice(
        Basis.ADDRESS,
        "Matching your From address keeps working when the platform changes its servers; "
        "matching servers as well is harder to fake but needs updating with them.",
    )
