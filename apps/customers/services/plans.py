"""What the customer was told: a PlanRecord per distinct plan shown."""

import hashlib
import json
from typing import Any

from django.db import transaction

from apps.customers.models import CustomerProfile, PlanRecord
from apps.customers.selectors import plan_for_profile
from apps.customers.services.sharing import checklist_ticks_stamp
from apps.customers.stepprints import plan_fingerprints
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


def plan_record_shown(*, profile: CustomerProfile) -> PlanRecord:
    """Record the profile's plan as it stands as shown to the customer (a new PlanRecord only
    when it differs from the last one), and tie any tick made before ticks carried a fingerprint
    to its step as it is now. Called by the POSTs after which the customer sees their
    instructions (the wizard completed, the domains looked up again), never by a page view."""
    plan = plan_for_profile(profile)
    checklist_ticks_stamp(profile=profile, fingerprints=plan_fingerprints(plan))
    return plan_record_save(profile=profile, plan=plan)
