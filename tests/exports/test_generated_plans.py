"""The exports render what the generator really builds, not only the hand-made test plans."""

from datetime import UTC, datetime

import pytest

from apps.exports.pdf import render_pdf
from apps.exports.text import render_text
from apps.policies.generator import build_plan
from apps.policies.types import (
    Basis,
    GatewayInfo,
    Mode,
    Plan,
    PlanRequest,
    PlatformInfo,
    PlatformIPs,
    RecipientAccount,
    SendingDomainFacts,
    SendingIdentity,
)
from tests.exports.checks import missing_from
from tests.exports.test_pdf_export import pdf_text

WHEN = datetime(2026, 11, 28, 7, 30, tzinfo=UTC)


def generated(mode: Mode, basis: Basis) -> Plan:
    sending = {
        Mode.UNVERIFIED_ADDRESS: SendingIdentity(mode=mode, customer_address="luke@acme.example"),
        Mode.VERIFIED_ADDRESS: SendingIdentity(mode=mode, from_addresses=("hr@acme.example",)),
        Mode.SENDING_DOMAIN: SendingIdentity(
            mode=mode, from_addresses=("surveys@acme.example", "umfragen@bücher.example")
        ),
    }[mode]
    return build_plan(
        PlanRequest(
            platform=PlatformInfo(
                name="SmartSurvey",
                shared_address="member@smartsurveyuser.com",
                spf_include="spf.ssmx.net",
                server_hostnames=("ms1.ssmx.net", "ms7.ssmx.net"),
                version="3.7",
            ),
            sending=sending,
            recipients=(
                RecipientAccount(
                    organisation="Acme Ltd",
                    domains=("acme.example",),
                    gateway=GatewayInfo(name="mimecast", region="eu"),
                    bulk=True,
                ),
                RecipientAccount(
                    organisation="Other Org",
                    domains=("other.example",),
                    gateway=GatewayInfo(name="microsoft365"),
                ),
                RecipientAccount(organisation="Unknown Org", domains=("unknown.example",)),
            ),
            basis=basis,
            platform_ips=PlatformIPs(ranges=("185.5.88.10/32", "185.5.88.11/32"), resolved_at=WHEN),
            sending_domain_facts=SendingDomainFacts(domain="acme.example"),
            generated_at=WHEN,
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
