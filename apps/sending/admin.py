from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.sending.models import PlatformFacts


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

    class Meta:
        model = PlatformFacts
        fields = [
            "name",
            "shared_address",
            "bounce_address",
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
