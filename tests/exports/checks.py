"""What every export must contain: shared by the PDF and the text export tests."""

from __future__ import annotations

import re

from apps.policies.types import Plan


def squash(text: str) -> str:
    """Whitespace-insensitive form: PDF extraction breaks lines wherever the layout did."""
    return re.sub(r"\s+", "", text)


def expected_strings(plan: Plan) -> list[str]:
    """Every warning, whitelist address, step title and caveat of the plan, in the exports'
    order: what no policy can fix and the warnings first in each account, then its steps."""
    found = list(plan.warnings)
    for account in plan.accounts:
        found.append(account.organisation)
        found += [*account.blockers, *account.warnings]
        if account.steps:
            found += [entry.address for entry in account.whitelist_addresses]
        found += [step.title for step in account.steps]
    return [*found, *plan.caveats, *plan.inferred]


def in_plan_order(text: str, plan: Plan) -> list[str]:
    """The expected strings found one after another, each after the previous one: equal to
    `expected_strings(plan)` when the export keeps the plan's order."""
    haystack, cursor, found = squash(text), 0, []
    for expected in expected_strings(plan):
        at = haystack.find(squash(expected), cursor)
        if at < 0:
            break
        found.append(expected)
        cursor = at + len(squash(expected))
    return found


def missing_from(text: str, plan: Plan) -> list[str]:
    haystack = squash(text)
    return [s for s in expected_strings(plan) if squash(s) not in haystack]
