"""What support staff add to a customer's profile: private notes, never shown to the customer."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from apps.customers.models import CustomerProfile

MAX_NOTE_LENGTH = 5000


class StaffNote(models.Model):
    profile = models.ForeignKey(
        CustomerProfile, on_delete=models.CASCADE, related_name="staff_notes"
    )
    # Notes outlive the staff account that wrote them.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=MAX_NOTE_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.profile} at {self.created_at:%Y-%m-%d %H:%M}"
