"""What the customer was told: a PlanRecord per distinct plan shown."""

import hashlib
import json
from typing import Any

from django.db import transaction

from apps.customers.models import CustomerProfile, PlanRecord
from apps.customers.selectors import plan_for_profile
from apps.policies.serialize import plan_to_dict
from apps.policies.types import Plan

# --- What the customer was told ------------------------------------------------------------------


def plan_fingerprint(plan_dict: dict[str, Any]) -> str:
    """A hash of the plan's content, leaving out when it was generated."""
    content = {key: value for key, value in plan_dict.items() if key != "generated_at"}
    text = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def plan_ip_ranges(plan: Plan) -> list[str]:
    """Every IP range the plan tells the customer to allow, sorted, each once."""
    return sorted({r for account in plan.accounts for r in account.ip_ranges})


def plan_differs_from(plan: Plan, record: PlanRecord) -> bool:
    """Whether `plan` says something other than what `record` shows the customer was told."""
    return plan_fingerprint(plan_to_dict(plan)) != record.fingerprint


@transaction.atomic
def plan_record_save(*, profile: CustomerProfile, plan: Plan) -> PlanRecord:
    plan_dict = plan_to_dict(plan)
    fingerprint = plan_fingerprint(plan_dict)
    latest = profile.plan_records.order_by("-created_at", "-id").first()
    if latest is not None and latest.fingerprint == fingerprint:
        return latest
    return PlanRecord.objects.create(
        profile=profile,
        plan=plan_dict,
        fingerprint=fingerprint,
        basis=str(plan.basis),
        ip_ranges=plan_ip_ranges(plan),
        platform_version=plan.platform.version,
    )


def plan_show(*, profile: CustomerProfile) -> Plan:
    """The profile's plan as it stands, recorded as shown (a new PlanRecord only when it
    differs from the last one): what every page that shows a customer or IT the
    instructions calls. Staff looking at a profile call `selectors.plan_for_profile`."""
    plan = plan_for_profile(profile)
    plan_record_save(profile=profile, plan=plan)
    return plan
