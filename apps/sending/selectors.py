"""Reads of the platform's facts, as the plain values the generator takes."""

from django.db.models import OuterRef, Subquery

from apps.core.errors import ServiceUnavailable
from apps.policies.types import PlatformInfo
from apps.sending.models import PlatformFacts


class PlatformNotConfigured(ServiceUnavailable):
    """No platform facts are active (an operator switched them off, or none were added yet):
    nothing true can be said about the platform's mail, so no plan can be made."""

    message = (
        "The sending platform's details are not configured yet, so no instructions can be "
        "made. Your saved answers are safe; please try again later."
    )


def platform_info() -> PlatformInfo:
    """The active platform facts as a `PlatformInfo` (raises `PlatformNotConfigured`).

    `version` is "<record id>.<history id>": it names the exact revision a plan was built from,
    so support can look it up in the admin history.
    """
    history = PlatformFacts.history.model.objects.filter(id=OuterRef("pk"))
    latest = history.order_by("-history_id").values("history_id")[:1]
    facts = PlatformFacts.objects.filter(is_active=True).annotate(revision=Subquery(latest)).first()
    if facts is None:
        raise PlatformNotConfigured
    return PlatformInfo(
        name=facts.name,
        shared_address=facts.shared_address,
        spf_include=facts.spf_include,
        server_hostnames=tuple(str(name) for name in facts.server_hostnames or ()),
        bounce_address=facts.bounce_address or "",
        envelope_domain=facts.envelope_domain or "",
        dkim_selectors=tuple(str(name) for name in facts.dkim_selectors or ()),
        version=f"{facts.pk}.{facts.revision or 0}",
        updated_at=facts.updated_at,
    )
