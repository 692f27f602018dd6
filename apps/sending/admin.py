from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from apps.policies.addresses import InvalidAddress, normalise_domain
from apps.sending.models import PlatformFacts, PlatformIPSnapshot


class LinesField(forms.CharField):
    """A list of strings edited as one entry per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: str | None) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip().lower() for line in text.splitlines() if line.strip()]


class PlatformFactsForm(forms.ModelForm):
    server_hostnames = LinesField(help_text="One hostname per line.")
    dkim_selectors = LinesField(required=False, help_text="One selector per line.")

    def clean_envelope_domain(self) -> str:
        """A domain, not an address: the part after the @ of the Return-Path (§3)."""
        raw = self.cleaned_data.get("envelope_domain", "").strip()
        if not raw:
            return ""
        if "@" in raw:
            raise forms.ValidationError(
                "Enter only the domain after the @ (e.g. bounce.example.net), not an address."
            )
        try:
            return normalise_domain(raw)[0]
        except InvalidAddress as error:
            raise forms.ValidationError(str(error)) from error

    class Meta:
        model = PlatformFacts
        fields = [
            "name",
            "shared_address",
            "bounce_address",
            "envelope_domain",
            "server_hostnames",
            "spf_include",
            "dkim_selectors",
            "support_contact",
            "is_active",
        ]


@admin.register(PlatformFacts)
class PlatformFactsAdmin(SimpleHistoryAdmin):
    form = PlatformFactsForm
    list_display = ["name", "shared_address", "spf_include", "is_active", "updated_at"]
    readonly_fields = ["updated_at"]


@admin.register(PlatformIPSnapshot)
class PlatformIPSnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are written by `refresh_platform_ips` from DNS, never by hand."""

    list_display = ["resolved_at", "facts", "range_count", "added", "removed"]
    readonly_fields = ["facts", "ranges", "sources", "added", "removed", "resolved_at"]

    @admin.display(description="ranges")
    def range_count(self, snapshot: PlatformIPSnapshot) -> int:
        return len(snapshot.ranges)

    @admin.display(description="added since the previous snapshot")
    def added(self, snapshot: PlatformIPSnapshot) -> str:
        return ", ".join(snapshot.change()[0]) or "—"

    @admin.display(description="removed since the previous snapshot")
    def removed(self, snapshot: PlatformIPSnapshot) -> str:
        return ", ".join(snapshot.change()[1]) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
