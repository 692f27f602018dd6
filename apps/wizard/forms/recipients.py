from typing import Any

from django import forms

from apps.customers.validation import split_list
from apps.wizard.forms.fields import AddressField
from apps.wizard.forms.helper import WizardFormHelper


class RecipientForm(forms.Form):
    """Step 3: one recipient organisation (its own Mimecast account) and its email domains."""

    organisation = forms.CharField(
        label="Organisation that receives your invitations",
        max_length=200,
        help_text="E.g. your own organisation, or a client you survey.",
    )
    domains = forms.CharField(
        label="Its email domain(s)",
        widget=forms.Textarea(attrs={"rows": 2, "autocapitalize": "none", "spellcheck": "false"}),
        help_text="The part after the @ in their addresses, e.g. example.com. "
        "Several? One per line.",
    )
    it_contact_email = AddressField(
        label="Their IT contact's email (optional)",
        required=False,
        max_length=254,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = WizardFormHelper(self)

    def clean_domains(self) -> list[str]:
        return split_list(self.cleaned_data.get("domains", ""))
