from typing import Any, cast

from crispy_forms.layout import Fieldset, Layout
from django import forms

from apps.customers.models import SendingMode
from apps.customers.validation import split_list
from apps.wizard.forms.choices import described
from apps.wizard.forms.fields import AddressField
from apps.wizard.forms.helper import WizardFormHelper

MODE_HELP = {
    SendingMode.UNVERIFIED_ADDRESS: (
        "The usual choice if you never set anything up: invitations come from the platform's "
        "own address, with your email address shown as the sender's name."
    ),
    SendingMode.VERIFIED_ADDRESS: (
        "You confirmed your own address with the platform (it emailed you a code or link): "
        "invitations come from that address."
    ),
    SendingMode.SENDING_DOMAIN: (
        "Your IT team set up your organisation's domain to send through the platform: "
        "invitations come from an address such as surveys@yourdomain.com."
    ),
}

# Which sending modes each group of fields applies to (wizard.js shows only the chosen mode's
# group; without JavaScript every group shows, each headed by when it applies).
SHARED_MODES = (SendingMode.UNVERIFIED_ADDRESS,)
OWN_MODES = (SendingMode.VERIFIED_ADDRESS, SendingMode.SENDING_DOMAIN)


class SendingForm(forms.Form):
    """Step 2: how the platform's mail will look to recipients."""

    mode = forms.ChoiceField(
        label="How are your invitations sent?",
        choices=SendingMode.choices,
        widget=forms.RadioSelect,
    )
    customer_address = AddressField(
        label="Your email address",
        required=False,
        max_length=254,
        help_text="Recipients see it as the sender's name, next to the platform's address.",
    )
    from_addresses = forms.CharField(
        label="From address(es)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocapitalize": "none", "spellcheck": "false"}),
        help_text="The address your invitations come from, e.g. surveys@yourdomain.com. "
        "Several? One per line.",
    )
    display_name = forms.CharField(
        label="Sender name (optional)",
        required=False,
        max_length=200,
        help_text="The name recipients see next to the address, e.g. “Example HR surveys”.",
    )
    permit_whole_domain = forms.BooleanField(
        label="Permit every address at my sending domain, not just these",
        required=False,
        help_text="Only for a sending domain. Handy if colleagues send from their own "
        "addresses there; listing the exact addresses above is safer.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = WizardFormHelper(self)
        self.helper.layout = Layout(
            "mode",
            Fieldset(
                "If invitations come from the platform's shared address",
                "customer_address",
                css_class="mode-group",
                data_modes=" ".join(SHARED_MODES),
            ),
            Fieldset(
                "If invitations come from your own address or domain",
                "from_addresses",
                "display_name",
                "permit_whole_domain",
                css_class="mode-group",
                data_modes=" ".join(OWN_MODES),
            ),
        )
        self.fields["customer_address"].widget.attrs["autocomplete"] = "email"
        # `fields` holds copies of the declared fields typed only as Field; this one has choices.
        cast(forms.ChoiceField, self.fields["mode"]).choices = [
            (value, described(label, MODE_HELP[SendingMode(value)]))
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
