"""The Plan as Markdown-flavoured plain text: for pasting into a ticket or an email.

Same content and order as the PDF (templates/exports/plan_pdf.html): header, plan-wide
warnings, one section per recipient account (its summary, addresses, steps), then what is said
once for the whole document ("If something doesn't match").

Customer text (organisation names, the display name) is woven into the prose, so every piece of
prose is escaped for Markdown (`md`): an organisation called `<script>`, `[click](http://x)` or
`# Heading` reads literally wherever the text is pasted. Values IT types into a console (From
addresses, setting values, console and article URLs) stay exactly as they are, to be copied;
they are validated addresses, domains and our own words, so they cannot open a link or a tag.
Text-direction controls (apps.core.bidi) are taken out of the whole document, for names stored
before they were refused.
"""

from __future__ import annotations

import re

from apps.core.bidi import strip_bidi
from apps.exports.content import (
    INFERRED_MARK,
    account_label,
    cover,
    gateway_line,
    idn_hint,
    setting_value,
)
from apps.policies.types import AccountPlan, Plan, Step

# Markdown's inline metacharacters; translate takes each character once, backslash included.
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#"})
# At the start of a line these make a list item or a heading underline.
_LINE_START = re.compile(r"^(?=[-+=|~]|\d+[.)])")


def md(text: str) -> str:
    """Prose as Markdown shows it literally: `[click](http://x)` → `\\[click\\](http://x)`,
    `<b>` → `\\<b\\>`, `# Heading` → `\\# Heading`. Parentheses stay as they are: without
    its brackets no link can form."""
    return _LINE_START.sub("\\\\", text.translate(_MARKDOWN))


def render_text(plan: Plan, *, organisation: str = "") -> str:
    head = cover(plan, organisation)
    lines = [f"# {md(head.title)}", ""]
    lines.append(f"Generated {head.generated} · Sending platform {md(head.facts)}")
    if head.basis:
        lines.append(md(head.basis))
    lines.append("")
    lines += [*(f"Warning: {md(w)}" for w in plan.warnings), *([""] if plan.warnings else [])]
    for account in plan.accounts:
        lines += _account(account)
    if plan.caveats or plan.inferred:
        lines += ["## If something doesn't match", "", *(f"- {md(c)}" for c in plan.caveats)]
        lines += [f"- {INFERRED_MARK} {md(note)}" for note in plan.inferred]
        lines.append("")
    return strip_bidi("\n".join(lines).rstrip() + "\n")


def _account(account: AccountPlan) -> list[str]:
    gateway = account.gateway
    lines = [f"## {md(account_label(account))}: {md(gateway_line(account))}", ""]
    lines += [f"First: {md(blocker)}" for blocker in account.blockers]
    lines += [f"Warning: {md(w)}" for w in account.warnings]
    if account.summary:
        lines.append(md(account.summary))
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
    lines = [f"### {index}. {md(step.title)}", md(step.why)]
    lines.append(f"Menu: {md(step.path.current)}{article}")
    if step.blocked:
        lines.append(f"Not ready to save: {md(step.blocked)}")
    lines += [f"- {s.field}: {setting_value(s)}" for s in step.settings]
    lines += [f"Note: {md(note)}" for note in step.notes]
    lines.append("")
    return lines
