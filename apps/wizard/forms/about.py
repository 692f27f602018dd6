from typing import Any

from django import forms

from apps.wizard.forms.fields import AddressField
from apps.wizard.forms.helper import WizardFormHelper


class AboutForm(forms.Form):
    """Step 1. Values are checked again (and normalised) by the service."""

    organisation = forms.CharField(
        label="Your organisation",
        max_length=200,
        help_text="The organisation that sends the surveys.",
    )
    contact_name = forms.CharField(label="Your name", max_length=200)
    contact_email = AddressField(
        label="Your email address",
        max_length=254,
        help_text="So support can find your answers if you get in touch.",
    )
    account_reference = forms.CharField(
        label="Your platform account reference (optional)",
        max_length=100,
        required=False,
        help_text="If you know it: it helps support find your account.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = WizardFormHelper(self)
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
