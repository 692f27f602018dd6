"""Greylisting (§3) and the final check that the policies work (§0 propagation, §9 rule 9)."""

from __future__ import annotations

from apps.policies import mimecast as mc
from apps.policies.addresses import InvalidAddress, normalise_address
from apps.policies.rules.common import AccountContext, describe, ip_note, step
from apps.policies.types import PolicyId, Step


def greylisting_bypass(ctx: AccountContext) -> list[Step]:
    """§9 rule 6: bulk or time-sensitive sends are held up by greylisting's first deferral."""
    if not ctx.account.bulk:
        return []
    ranges = ctx.sender.ip_ranges  # §3: decided from the IP and envelope, so scope by IP
    envelope = _envelope_sender(ctx)
    settings = [
        (mc.NARRATIVE, f"No greylisting for {ctx.platform.name} sending servers"),
        # §3: the API action is no_action; the console label is an inference.
        (mc.SELECT_OPTION, mc.TAKE_NO_ACTION),
    ]
    if envelope:
        settings += [
            (mc.ADDRESSES_BASED_ON, mc.ENVELOPE_FROM),  # §3: greylisting keys on the envelope
            (mc.APPLIES_FROM, mc.INDIVIDUAL_ADDRESS),
            (mc.SPECIFICALLY, envelope),
        ]
    else:
        settings.append((mc.APPLIES_FROM, mc.EVERYONE))
    if ranges:
        # §0: only real CIDR ranges go in this field; without them the note says not to save.
        settings.append((mc.SOURCE_IPS, ", ".join(ranges)))
    settings.append((mc.PERPETUAL, mc.PERPETUAL_VALUE))
    notes = [
        "Select Option: Mimecast's documentation names the action only as 'no action'; the "
        "console label is probably 'Take No Action' (the other choice being to apply "
        "greylisting). This is an inference: pick the option that does not greylist.",
        "Mimecast's policy API gives a Greylisting policy a sender scope only, so the form "
        "may have no Applies To; if it has one, choose Internal Addresses.",
        ip_note(ctx, ranges),
    ]
    if not ranges:
        notes.append(
            f"{ctx.platform.name}'s IP ranges could not be looked up, so Source IP Ranges "
            "is left out above. Without them this policy would switch greylisting off for "
            f"every sender: do not save it until you have the ranges from {ctx.platform.name} "
            "to enter under Source IP Ranges."
        )
    if not envelope:
        notes.append(
            f"{ctx.platform.name}'s envelope sender (bounce address) is not known or varies "
            "per message, so every message can count as a new sender to greylisting; the IP "
            "ranges are what make this policy match."
        )
    return [
        step(
            PolicyId.GREYLISTING_BYPASS,
            title="Stop first-delivery delays (Greylisting policy)",
            settings=settings,
            why=(
                "Greylisting refuses the first message from each new combination of sending "
                "server, envelope sender and recipient (a 451 deferral) and accepts it only "
                "when it is retried between 60 seconds and 12 hours later. For bulk or "
                "time-sensitive sends that means delays of minutes to an hour or more, and "
                "queues of deferred mail that can hide real blocks. Greylisting decides from "
                "the sending server and the envelope, before the message header is read, so a "
                "Permitted Senders entry that matches only the header From address cannot act "
                "at that stage and is unlikely to prevent it (an inference: Mimecast does not "
                "say at which stage a permit is checked). This policy matches the sending "
                "servers instead."
            ),
            notes=notes,
            reference="§3, §9 rule 6",
        )
    ]


def verify(ctx: AccountContext) -> Step:
    """§9 rule 9 and §0 propagation: allow at least 5 minutes after saving before testing."""
    return step(
        PolicyId.VERIFY,
        title="Check that it works",
        settings=[],
        why=(
            "Mimecast applies saved policies within about 5 minutes (some providers say up to "
            "30). Wait at least 5 minutes after saving the last policy, then look up recent "
            f"mail from {describe(ctx.sender.from_addresses)} in Message Tracking to see whether "
            "it was accepted, deferred, held or rejected, and by which policy. Then send a "
            f"test message through {ctx.platform.name} to one person at {ctx.organisation} "
            "and confirm it arrives."
        ),
        notes=[
            "The Mimecast documentation these steps are based on gives no menu path for "
            "Message Tracking in either console; find it through the console's menu or search.",
            "If the test is still held or rejected, Message Tracking shows which policy acted: "
            "compare it with the steps above.",
        ],
        reference="§0, §4, §9 rule 9",
    )


def _envelope_sender(ctx: AccountContext) -> str:
    raw = ctx.platform.bounce_address.strip()
    if not raw:
        return ""
    try:
        return normalise_address(raw).address
    except InvalidAddress:
        return ""
