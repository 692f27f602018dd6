"""The generator's side of issue 12, items 8 and 10: a missing SPF record is "missing", never
"couldn't check", and an organisation whose domains take no mail gets no gateway steps."""

from apps.policies.generator import build_plan
from apps.policies.types import GatewayInfo, PolicyId, SendingDomainFacts
from tests.policies.factories import account, all_text, request, sending_domain


def test_an_organisation_whose_domains_take_no_mail_gets_no_steps() -> None:
    gone = GatewayInfo(
        detail="gmial.com can't receive email — check the spelling.", receives_mail=False
    )
    plan = build_plan(
        request(
            sending_domain("surveys@customer.example"),
            account("gmial.com", organisation="Typo Ltd", gateway=gone),
            account("partner.example"),
        )
    )
    typo, partner = plan.accounts
    assert typo.steps == ()
    assert not typo.gateway.mimecast_steps_apply
    assert "can't receive email" in typo.warnings[0] and "check the spelling" in typo.warnings[0]
    assert partner.steps  # the other organisation keeps its own


def test_a_missing_spf_record_is_called_missing_not_couldnt_check() -> None:
    facts = SendingDomainFacts(
        domain="ownorg.example", spf_authorises_platform=False, spf_status="missing"
    )
    plan = build_plan(
        request(sending_domain("surveys@ownorg.example"), account("ownorg.example"), facts=facts)
    )
    (spoofing,) = [s for s in plan.accounts[0].steps if s.policy is PolicyId.ANTI_SPOOFING_BYPASS]
    assert "SPF: missing — ownorg.example publishes no SPF record" in spoofing.blocked
    said = all_text(plan) + spoofing.blocked
    assert "couldn't check" not in said and "could not check" not in said


def test_only_an_spf_check_that_failed_is_couldnt_check() -> None:
    facts = SendingDomainFacts(domain="ownorg.example", spf_status="unknown")
    plan = build_plan(
        request(sending_domain("surveys@ownorg.example"), account("ownorg.example"), facts=facts)
    )
    (spoofing,) = [s for s in plan.accounts[0].steps if s.policy is PolicyId.ANTI_SPOOFING_BYPASS]
    assert "SPF: couldn't check" in spoofing.blocked
