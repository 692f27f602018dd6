"""A `Plan` as JSON-ready values, and back (the API's answer, the JSON export, stored plans).

`plan_from_dict(plan_to_dict(plan)) == plan` for every plan the generator builds, so a stored
plan renders exactly as it was first shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apps.policies.types import (
    AccountPlan,
    Basis,
    ConsolePath,
    GatewaySummary,
    Mode,
    Plan,
    PlatformSummary,
    PolicyId,
    Setting,
    Step,
    WhitelistAddress,
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


def plan_from_dict(data: dict[str, Any]) -> Plan:
    """A `Plan` from `plan_to_dict`'s output (e.g. a stored plan), for rendering again."""
    platform = data["platform"]
    return Plan(
        accounts=tuple(_account_from_dict(a) for a in data["accounts"]),
        platform=PlatformSummary(
            name=platform["name"],
            shared_address=platform["shared_address"],
            spf_include=platform["spf_include"],
            server_hostnames=tuple(platform.get("server_hostnames", ())),
            version=platform.get("version", ""),
            ip_ranges=tuple(platform.get("ip_ranges", ())),
            ips_resolved_at=_parse(platform.get("ips_resolved_at")),
            ips_stale=bool(platform.get("ips_stale", False)),
        ),
        basis=Basis(data["basis"]),
        mode=Mode(data["mode"]),
        generated_at=_parse(data["generated_at"]) or datetime.fromtimestamp(0),
        warnings=tuple(data.get("warnings", ())),
        basis_note=data.get("basis_note", ""),
        caveats=tuple(data.get("caveats", ())),
        inferred=tuple(data.get("inferred", ())),
    )


def _account_from_dict(data: dict[str, Any]) -> AccountPlan:
    gateway = data["gateway"]
    display = data.get("whitelist_addresses_display")
    if display is not None:
        addresses = tuple(WhitelistAddress(d["address"], d["display"]) for d in display)
    else:
        addresses = tuple(WhitelistAddress(a, a) for a in data.get("whitelist_addresses", ()))
    return AccountPlan(
        ref=data.get("ref", ""),
        organisation=data.get("organisation", ""),
        domains=tuple(data.get("domains", ())),
        gateway=GatewaySummary(
            name=gateway.get("name"),
            label=gateway.get("label", ""),
            region=gateway.get("region"),
            region_label=gateway.get("region_label", ""),
            console_url=gateway.get("console_url", ""),
            evidence=tuple(gateway.get("evidence", ())),
            detail=gateway.get("detail", ""),
            mimecast_steps_apply=bool(gateway.get("mimecast_steps_apply", False)),
            mimecast_api=bool(gateway.get("mimecast_api", False)),
        ),
        whitelist_addresses=addresses,
        steps=tuple(_step_from_dict(s) for s in data.get("steps", ())),
        warnings=tuple(data.get("warnings", ())),
        ip_ranges=tuple(data.get("ip_ranges", ())),
        summary=data.get("summary", ""),
        blockers=tuple(data.get("blockers", ())),
        caveats=tuple(data.get("caveats", ())),
        inferred=tuple(data.get("inferred", ())),
    )


def _step_from_dict(data: dict[str, Any]) -> Step:
    return Step(
        key=data["key"],
        policy=PolicyId(data["policy"]),
        title=data["title"],
        path=ConsolePath(current=data["path"]["current"], legacy=data["path"]["legacy"]),
        settings=tuple(
            Setting(s["field"], s["value"], bool(s.get("inferred", False)))
            for s in data.get("settings", ())
        ),
        why=data.get("why", ""),
        notes=tuple(data.get("notes", ())),
        optional=bool(data.get("optional", False)),
        blocked=data.get("blocked", ""),
        help_url=data.get("help_url", ""),
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
