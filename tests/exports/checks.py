"""What every export must contain: shared by the PDF and the text export tests."""

from __future__ import annotations

import re

from apps.policies.types import Plan


def squash(text: str) -> str:
    """Whitespace-insensitive form: PDF extraction breaks lines wherever the layout did."""
    return re.sub(r"\s+", "", text)


def expected_strings(plan: Plan) -> list[str]:
    """Every step title, whitelist address and warning of the plan."""
    found = list(plan.warnings)
    for account in plan.accounts:
        found += [step.title for step in account.steps]
        found += [entry.address for entry in account.whitelist_addresses]
        found += list(account.warnings)
    return found


def missing_from(text: str, plan: Plan) -> list[str]:
    haystack = squash(text)
    return [s for s in expected_strings(plan) if squash(s) not in haystack]
