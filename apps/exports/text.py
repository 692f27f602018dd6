"""The Plan as Markdown-flavoured plain text: for pasting into a ticket or an email.

Same content and order as the PDF (templates/exports/plan_pdf.html): cover, plan-wide warnings,
then one section per recipient account with its addresses, IP ranges, warnings and steps.
"""

from __future__ import annotations

from apps.exports.content import account_label, cover, gateway_line, idn_hint, when
from apps.policies.types import AccountPlan, Plan, Step


def render_text(plan: Plan, *, organisation: str = "") -> str:
    head = cover(plan, organisation)
    lines = [f"# {head.title}", ""]
    if head.organisation:
        lines.append(f"Organisation: {head.organisation}")
    lines += [
        f"Generated: {head.generated}",
        f"Sending platform: {head.facts}",
        f"Policies match on: {head.basis}",
        "",
        "Recipient accounts covered:",
        *(f"- {line}" for line in head.covers),
        "",
        "## What IT needs to do",
        "",
        head.summary,
        "",
    ]
    if plan.warnings:
        lines += ["## Before you start", "", *(f"- Warning: {w}" for w in plan.warnings), ""]
    total = len(plan.accounts)
    for number, account in enumerate(plan.accounts, start=1):
        lines += _account(account, number, total, plan)
    return "\n".join(lines).rstrip() + "\n"


def _account(account: AccountPlan, number: int, total: int, plan: Plan) -> list[str]:
    gateway = account.gateway
    lines = [f"## Account {number} of {total}: {account_label(account)}", ""]
    lines.append(f"Gateway: {gateway_line(account)}")
    if gateway.console_url:
        lines.append(f"Console: {gateway.console_url}")
    if gateway.evidence:
        lines.append(f"Detected from MX: {', '.join(gateway.evidence)}")
    if gateway.detail:
        lines.append(f"Status: {gateway.detail}")
    lines.append("")
    if account.whitelist_addresses:
        lines += ["### Addresses to permit", ""]
        for entry in account.whitelist_addresses:
            shown = f"    {entry.address}"
            if entry.display != entry.address:
                shown += f"    ({entry.display})"
            lines.append(shown)
        lines.append("")
        if hint := idn_hint(account):
            lines += [hint, ""]
    if account.ip_ranges:
        lines += [f"### IP ranges (resolved {when(plan.platform.ips_resolved_at)})", ""]
        if plan.platform.ips_stale:
            lines += ["DNS failed: these are the last good ranges.", ""]
        lines += [*(f"    {cidr}" for cidr in account.ip_ranges), ""]
    if account.warnings:
        lines += ["### Warnings", "", *(f"- Warning: {w}" for w in account.warnings), ""]
    if account.steps:
        lines += ["### Steps", ""]
        for index, step in enumerate(account.steps, start=1):
            lines += _step(step, index)
    elif not gateway.mimecast_steps_apply:
        lines += ["No Mimecast steps for this account.", ""]
    return lines


def _step(step: Step, index: int) -> list[str]:
    lines = [
        f"#### Step {index}. {step.title}",
        "",
        f"Menu: {step.path.current}",
        f"Legacy console: {step.path.legacy}",
        "",
    ]
    if step.settings:
        lines.append("Settings (exactly as named on the Mimecast form):")
        for setting in step.settings:
            values = setting.value.splitlines() or [""]
            if len(values) == 1:
                lines.append(f"- {setting.field}: {values[0]}")
            else:
                lines += [f"- {setting.field}:", *(f"    {v}" for v in values)]
        lines.append("")
    lines.append(f"Why: {step.why}")
    lines += [f"Note: {note}" for note in step.notes]
    if step.reference:
        lines.append(f"Safelist reference: {step.reference}")
    lines.append("")
    return lines
