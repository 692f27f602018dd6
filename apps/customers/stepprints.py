"""What a tick was given for: a fingerprint of one step's content, and what changed between the
steps an IT team last saw and the steps as they are now.

A tick belongs to the exact step IT carried out. When the customer's answers change a step
(another address, IP ranges, a different policy), its old tick no longer says anything about
it, so the tick only counts while the step's fingerprint is the one it was given for.
"""

import hashlib
import json
from dataclasses import dataclass, field

from apps.policies.mimecast import NARRATIVE, policy_type
from apps.policies.types import AccountPlan, Plan, Step


def step_fingerprint(step: Step) -> str:
    """SHA-256 of what IT acts on: the policy, the title, the menu paths and every setting."""
    content = {
        "policy": str(step.policy),
        "title": step.title,
        "path": [step.path.current, step.path.legacy],
        "settings": [[setting.field, setting.value] for setting in step.settings],
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def plan_fingerprints(plan: Plan) -> dict[tuple[str, str], str]:
    """Each step's fingerprint, keyed like the ticks: (account ref, step key)."""
    return {
        (account.ref, step.key): step_fingerprint(step)
        for account in plan.accounts
        for step in account.steps
    }


def seen_steps(account: AccountPlan) -> dict[str, dict[str, str]]:
    """What an IT team is shown of its steps, kept to tell it next time what changed."""
    return {
        step.key: {
            "fingerprint": step_fingerprint(step),
            "title": step.title,
            "policy": policy_type(step.policy),
            "name": next((s.value for s in step.settings if s.field == NARRATIVE), ""),
        }
        for step in account.steps
    }


@dataclass(frozen=True)
class StepChanges:
    added: list[str] = field(default_factory=list)  # titles of new steps
    changed: list[str] = field(default_factory=list)  # titles of steps whose content changed
    removed: list[str] = field(default_factory=list)  # what IT can undo, in a sentence each

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def step_changes(before: dict[str, dict[str, str]], account: AccountPlan) -> StepChanges:
    """How `account`'s steps differ from the ones seen before (`before`, from `seen_steps`)."""
    now = seen_steps(account)
    removed = []
    for key, old in before.items():
        if key in now:
            continue
        if old.get("policy") and old.get("name"):
            removed.append(
                f"You can delete the {old['policy']} policy named “{old['name']}”: "
                "it is no longer needed."
            )
        else:
            removed.append(f"No longer needed: {old.get('title', key)}.")
    return StepChanges(
        added=[step["title"] for key, step in now.items() if key not in before],
        changed=[
            step["title"]
            for key, step in now.items()
            if key in before and before[key].get("fingerprint") != step["fingerprint"]
        ],
        removed=removed,
    )
