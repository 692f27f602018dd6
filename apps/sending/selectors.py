"""Reads of the platform's facts, as the plain values the generator takes."""

from apps.policies.types import PlatformInfo
from apps.sending.models import PlatformFacts


def platform_info() -> PlatformInfo:
    """The active platform facts as a `PlatformInfo` (raises `PlatformFacts.DoesNotExist`).

    `version` is "<record id>.<history id>": it names the exact revision a plan was built from,
    so support can look it up in the admin history.
    """
    facts = PlatformFacts.objects.active()
    latest = facts.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return PlatformInfo(
        name=facts.name,
        shared_address=facts.shared_address,
        spf_include=facts.spf_include,
        server_hostnames=tuple(facts.server_hostnames or ()),
        bounce_address=facts.bounce_address,
        dkim_selectors=tuple(facts.dkim_selectors or ()),
        version=f"{facts.pk}.{latest}" if latest is not None else f"{facts.pk}.0",
        updated_at=facts.updated_at,
    )
