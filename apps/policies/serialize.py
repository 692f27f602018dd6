"""A `Plan` as JSON-ready values: the API's answer, the JSON export and a stored PlanRecord."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apps.policies.types import (
    AccountPlan,
    Plan,
    Step,
)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The API's answer shape (docs/api.md, "Answer fields")."""
    return {
        "accounts": [_account_to_dict(account) for account in plan.accounts],
        "platform": {
            "name": plan.platform.name,
            "shared_address": plan.platform.shared_address,
            "spf_include": plan.platform.spf_include,
            "server_hostnames": list(plan.platform.server_hostnames),
            "version": plan.platform.version,
            "ip_ranges": list(plan.platform.ip_ranges),
            "ips_resolved_at": _iso(plan.platform.ips_resolved_at),
            "ips_stale": plan.platform.ips_stale,
        },
        "basis": plan.basis.value,
        "mode": plan.mode.value,
        "generated_at": _iso(plan.generated_at),
        "warnings": list(plan.warnings),
        "basis_note": plan.basis_note,
        "caveats": list(plan.caveats),
        "inferred": list(plan.inferred),
    }


def _account_to_dict(account: AccountPlan) -> dict[str, Any]:
    gateway = account.gateway
    return {
        "ref": account.ref,
        "organisation": account.organisation,
        "domains": list(account.domains),
        "gateway": {
            "name": gateway.name,
            "label": gateway.label,
            "region": gateway.region,
            "region_label": gateway.region_label,
            "console_url": gateway.console_url,
            "evidence": list(gateway.evidence),
            "detail": gateway.detail,
            "mimecast_steps_apply": gateway.mimecast_steps_apply,
            "mimecast_api": gateway.mimecast_api,
        },
        # The exact From addresses as typed into Mimecast; the Unicode forms beside them.
        "whitelist_addresses": [a.address for a in account.whitelist_addresses],
        "whitelist_addresses_display": [
            {"address": a.address, "display": a.display} for a in account.whitelist_addresses
        ],
        "ip_ranges": list(account.ip_ranges),
        "summary": account.summary,
        "blockers": list(account.blockers),
        "caveats": list(account.caveats),
        "inferred": list(account.inferred),
        "steps": [_step_to_dict(step) for step in account.steps],
        "warnings": list(account.warnings),
    }


def _step_to_dict(step: Step) -> dict[str, Any]:
    return {
        "key": step.key,
        "policy": step.policy.value,
        "title": step.title,
        "path": {"current": step.path.current, "legacy": step.path.legacy},
        "settings": [
            {"field": s.field, "value": s.value, "inferred": s.inferred} for s in step.settings
        ],
        "why": step.why,
        "notes": list(step.notes),
        "optional": step.optional,
        "blocked": step.blocked,
        "help_url": step.help_url,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
