from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class PlatformFactsQuerySet(models.QuerySet["PlatformFacts"]):
    def active(self) -> "PlatformFacts":
        """The one record the instructions are built from (raises DoesNotExist if none)."""
        return self.get(is_active=True)


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

    objects = PlatformFactsQuerySet.as_manager()

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
