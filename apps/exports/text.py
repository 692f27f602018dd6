"""The Plan as Markdown-flavoured plain text: for pasting into a ticket or an email.

Same content and order as the PDF (templates/exports/plan_pdf.html): header, plan-wide
warnings, one section per recipient account (its summary, addresses, steps), then what is said
once for the whole document ("If something doesn't match").
"""

from __future__ import annotations

from apps.exports.content import (
    INFERRED_MARK,
    account_label,
    cover,
    gateway_line,
    idn_hint,
    setting_value,
)
from apps.policies.types import AccountPlan, Plan, Step


def render_text(plan: Plan, *, organisation: str = "") -> str:
    head = cover(plan, organisation)
    lines = [f"# {head.title}", "", f"Generated {head.generated} · Sending platform {head.facts}"]
    if head.basis:
        lines.append(head.basis)
    lines.append("")
    lines += [*(f"Warning: {w}" for w in plan.warnings), *([""] if plan.warnings else [])]
    for account in plan.accounts:
        lines += _account(account)
    if plan.caveats or plan.inferred:
        lines += ["## If something doesn't match", "", *(f"- {c}" for c in plan.caveats)]
        lines += [f"- {INFERRED_MARK} {note}" for note in plan.inferred]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _account(account: AccountPlan) -> list[str]:
    gateway = account.gateway
    lines = [f"## {account_label(account)}: {gateway_line(account)}", ""]
    lines += [f"First: {blocker}" for blocker in account.blockers]
    lines += [f"Warning: {w}" for w in account.warnings]
    if account.summary:
        lines.append(account.summary)
    if gateway.console_url:
        lines.append(f"Console: {gateway.console_url}")
    if account.steps and account.whitelist_addresses:
        shown = ", ".join(
            a.address if a.display == a.address else f"{a.address} ({a.display})"
            for a in account.whitelist_addresses
        )
        lines.append(f"From address to permit: {shown}")
        if hint := idn_hint(account):
            lines.append(hint)
    lines.append("")
    for index, step in enumerate(account.steps, start=1):
        lines += _step(step, index)
    return lines


def _step(step: Step, index: int) -> list[str]:
    # The Mimecast article on the policy type sits beside its menu path.
    article = f" ({step.help_url})" if step.help_url else ""
    lines = [f"### {index}. {step.title}", step.why, f"Menu: {step.path.current}{article}"]
    if step.blocked:
        lines.append(f"Not ready to save: {step.blocked}")
    lines += [f"- {s.field}: {setting_value(s)}" for s in step.settings]
    lines += [f"Note: {note}" for note in step.notes]
    lines.append("")
    return lines
