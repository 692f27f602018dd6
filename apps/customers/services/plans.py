"""What the customer was told: a PlanRecord per distinct plan shown."""

import hashlib
import json
from typing import Any

from django.db import transaction

from apps.customers.models import CustomerProfile, PlanRecord
from apps.policies.types import Plan

# --- What the customer was told ------------------------------------------------------------------


def plan_fingerprint(plan_dict: dict[str, Any]) -> str:
    """A hash of the plan's content, leaving out when it was generated."""
    content = {key: value for key, value in plan_dict.items() if key != "generated_at"}
    text = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def plan_record_save(*, profile: CustomerProfile, plan: Plan) -> PlanRecord:
    from apps.policies.serialize import plan_to_dict

    plan_dict = plan_to_dict(plan)
    fingerprint = plan_fingerprint(plan_dict)
    latest = profile.plan_records.order_by("-created_at", "-id").first()
    if latest is not None and latest.fingerprint == fingerprint:
        return latest
    ranges = sorted({r for account in plan.accounts for r in account.ip_ranges})
    return PlanRecord.objects.create(
        profile=profile,
        plan=plan_dict,
        fingerprint=fingerprint,
        basis=str(plan.basis),
        ip_ranges=ranges,
        platform_version=plan.platform.version,
    )
