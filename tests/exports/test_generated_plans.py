"""The exports render what the generator really builds, not only the hand-made test plans."""

import pytest

from apps.exports.pdf import render_pdf
from apps.exports.text import render_text
from apps.policies.generator import build_plan
from apps.policies.types import Basis, GatewayInfo, Mode, Plan, SendingDomainFacts
from tests.exports.checks import missing_from
from tests.exports.test_pdf_export import pdf_text
from tests.policies import factories as f

SENDING = {
    Mode.UNVERIFIED_ADDRESS: f.unverified("luke@acme.example"),
    Mode.VERIFIED_ADDRESS: f.verified("hr@acme.example"),
    Mode.SENDING_DOMAIN: f.sending_domain("surveys@acme.example", "umfragen@bücher.example"),
}


def generated(mode: Mode, basis: Basis) -> Plan:
    """Three accounts (Mimecast with bulk sends, Microsoft 365, undetected) for one mode."""
    return build_plan(
        f.request(
            SENDING[mode],
            f.account("acme.example", organisation="Acme Ltd", bulk=True),
            f.account(
                "other.example", organisation="Other Org", gateway=GatewayInfo(name="microsoft365")
            ),
            f.account("unknown.example", organisation="Unknown Org", gateway=GatewayInfo()),
            basis=basis,
            platform_ips=f.ips("185.5.88.10/32", "185.5.88.11/32"),
            facts=SendingDomainFacts(domain="acme.example"),
        )
    )


CASES = [
    (Mode.UNVERIFIED_ADDRESS, Basis.ADDRESS),
    (Mode.VERIFIED_ADDRESS, Basis.ADDRESS_AND_IP),
    (Mode.SENDING_DOMAIN, Basis.IP),
]


@pytest.mark.parametrize(("mode", "basis"), CASES)
def test_the_text_carries_everything_the_generator_said(mode: Mode, basis: Basis) -> None:
    plan = generated(mode, basis)
    assert any(account.steps for account in plan.accounts)
    assert missing_from(render_text(plan, organisation="Acme"), plan) == []


@pytest.mark.parametrize(("mode", "basis"), CASES)
def test_the_pdf_carries_everything_the_generator_said(mode: Mode, basis: Basis) -> None:
    plan = generated(mode, basis)
    assert missing_from(pdf_text(render_pdf(plan, organisation="Acme")), plan) == []
