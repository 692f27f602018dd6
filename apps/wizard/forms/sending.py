from typing import Any

from django import forms

from apps.customers.models import SendingMode
from apps.customers.validation import split_list
from apps.wizard.forms.helper import WizardFormHelper

MODE_HELP = {
    SendingMode.UNVERIFIED_ADDRESS: (
        "You haven't verified an address with the platform: invitations come from its shared "
        "address and your address appears as the name."
    ),
    SendingMode.VERIFIED_ADDRESS: (
        "You verified your own address with the platform: invitations come from that address."
    ),
    SendingMode.SENDING_DOMAIN: (
        "Your IT set up your domain for the platform (SPF/DKIM): invitations come from any "
        "address at your domain, such as surveys@yourdomain."
    ),
}


class SendingForm(forms.Form):
    """Step 2: how the platform's mail will look to recipients."""

    mode = forms.ChoiceField(
        label="How are your invitations sent?",
        choices=SendingMode.choices,
        widget=forms.RadioSelect,
    )
    customer_address = forms.EmailField(
        label="Your own email address",
        required=False,
        max_length=254,
        help_text="Recipients see it as the sender's name (needed when you send unverified).",
    )
    from_addresses = forms.CharField(
        label="From address(es)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The address your invitations come from, e.g. surveys@yourdomain. "
        "Several? One per line.",
    )
    display_name = forms.CharField(
        label="Sender name (optional)",
        required=False,
        max_length=200,
        help_text="The name recipients see, e.g. “Example HR surveys”.",
    )
    permit_whole_domain = forms.BooleanField(
        label="Permit every address at my sending domain, not just these",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = WizardFormHelper(self)
        self.fields["mode"].choices = [
            (value, f"{label} — {MODE_HELP[SendingMode(value)]}")
            for value, label in SendingMode.choices
        ]

    def clean_from_addresses(self) -> list[str]:
        return split_list(self.cleaned_data.get("from_addresses", ""))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "mode": data["mode"],
            "from_addresses": data["from_addresses"],
            "display_name": data.get("display_name", ""),
            "customer_address": data.get("customer_address", ""),
            "permit_whole_domain": data.get("permit_whole_domain", False),
        }
