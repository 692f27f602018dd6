from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class PlatformFacts(models.Model):
    """What the sending platform's mail looks like on the wire, as the recipients' gateways see it.

    Operators keep this current in the admin; every change is kept in the history so support can
    tell which facts a customer's instructions were built from.
    """

    name = models.CharField(max_length=100)
    shared_address = models.EmailField(
        help_text="Header From of mail sent from an unverified address, shared by every customer."
    )
    bounce_address = models.EmailField(
        blank=True,
        help_text="Envelope sender (Return-Path). Leave empty when it varies or is unknown.",
    )
    envelope_domain = models.CharField(
        max_length=253,
        blank=True,
        help_text="Domain of the envelope sender (Return-Path) on the platform's mail, e.g. "
        "bounce.example.net, even when the part before the @ varies per message. Recipients "
        "exempt it from greylisting without listing IP addresses. Leave empty until known.",
    )
    server_hostnames = models.JSONField(
        default=list, help_text="The platform's sending servers, e.g. ms1.ssmx.net."
    )
    spf_include = models.CharField(
        max_length=253, help_text="The SPF include customers add to authorise the platform."
    )
    dkim_selectors = models.JSONField(
        default=list, blank=True, help_text="DKIM selectors the platform signs with, if known."
    )
    support_contact = models.CharField(max_length=254, blank=True)
    is_active = models.BooleanField(
        default=True, help_text="Instructions are built from the one active record."
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "platform facts"
        verbose_name_plural = "platform facts"
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_platform_facts",
                violation_error_message="Another platform record is already active. "
                "Deactivate it first.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}{' (active)' if self.is_active else ''}"


class PlatformIPSnapshot(models.Model):
    """The platform's source IP ranges as DNS gave them at one moment (apps.dnscheck).

    Only complete answers are stored: when DNS fails, the last snapshot stays the truth, and its
    age is shown.
    """

    facts = models.ForeignKey(PlatformFacts, on_delete=models.CASCADE, related_name="ip_snapshots")
    ranges = models.JSONField(default=list, help_text="CIDR ranges, IPv4 before IPv6.")
    sources = models.JSONField(
        default=dict, help_text="For each range, the DNS names and terms it came from."
    )
    resolved_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-resolved_at", "-id"]
        get_latest_by = ["resolved_at", "id"]
        verbose_name = "platform IP snapshot"

    def __str__(self) -> str:
        return f"{len(self.ranges)} ranges at {self.resolved_at:%Y-%m-%d %H:%M} UTC"

    def previous(self) -> "PlatformIPSnapshot | None":
        """The same platform's snapshot before this one."""
        earlier = Q(resolved_at__lt=self.resolved_at) | Q(
            resolved_at=self.resolved_at, id__lt=self.pk
        )
        return PlatformIPSnapshot.objects.filter(earlier, facts_id=self.facts_id).first()

    def change(self) -> tuple[list[str], list[str]]:
        """(added, removed): the ranges new and gone since the previous snapshot, in this and the
        previous snapshot's order; the first snapshot adds every range."""
        previous = self.previous()
        before = previous.ranges if previous else []
        return (
            [r for r in self.ranges if r not in set(before)],
            [r for r in before if r not in set(self.ranges)],
        )
