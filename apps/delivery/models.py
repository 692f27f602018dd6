"""Delivery evidence as stored: hourly counts per recipient domain, never per message.

No local part, subject or message content is kept anywhere. The one per-message record,
PendingMessage, holds only a queue id, the recipient domain and times, and is purged once the
link-up window has passed.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models

# §4.2 of the SMTP replies reference: Postfix gives up after 5 days (maximal_queue_lifetime), so
# a retry or an expiry can come that long after the first attempt; an hour's margin on top.
LINK_WINDOW = timedelta(days=5, hours=1)


class DomainHour(models.Model):
    """One recipient domain's delivery attempts in one hour (UTC).

    `deferred` and `rejected` count attempts by control ({"greylisting": 3}); `delays` is a
    histogram of first-attempt-to-delivery delays ({seconds bucket: deliveries}, see stats.py);
    `gateways` counts attempts by the gateway that answered ({"mimecast": 4, "": 1})."""

    domain = models.CharField(max_length=253)
    hour = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    deferred = models.JSONField(default=dict)
    rejected = models.JSONField(default=dict)
    delays = models.JSONField(default=dict)
    gateways = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["domain", "hour"], name="delivery_domain_hour_unique")
        ]
        ordering = ["domain", "hour"]

    def __str__(self) -> str:
        return f"{self.domain} {self.hour:%Y-%m-%d %H}:00"


class PendingMessage(models.Model):
    """A message (queue id) with a recipient at `domain` that was deferred, kept for the link-up
    window so its later delivery gets a delay and its expiry a control."""

    queue_id = models.CharField(max_length=64)
    domain = models.CharField(max_length=253)
    first_attempt_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(db_index=True)
    last_control = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["queue_id", "domain"], name="delivery_pending_queue_domain_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.queue_id} → {self.domain}"


class NotificationLink(models.Model):
    """A delivery status notification (DSN) Postfix queued about a message: the DSN's own queue id
    and the original's. The DSN goes to the platform's bounce address, so its delivery lines are
    linked to the original message and not counted as mail to a recipient. Purged after the
    link-up window, like PendingMessage."""

    queue_id = models.CharField(max_length=64, unique=True)  # the DSN's
    original_queue_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)  # the bounce line's time, from the log

    def __str__(self) -> str:
        return f"DSN {self.queue_id} about {self.original_queue_id}"


class IngestSource(models.Model):
    """How far a log has been read. A log is known by a fingerprint of its first line (a path
    or stdin says nothing about which file it is), so re-reading it resumes at `offset`."""

    fingerprint = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=500, blank=True)  # the path as given, for people
    offset = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name or self.fingerprint[:12]} at byte {self.offset}"
