from typing import Any

from django import forms

from apps.customers.models import Basis, RecipientAccount
from apps.wizard.forms.helper import WizardFormHelper

BASIS_HELP = {
    Basis.ADDRESS: "Match your From address. Keeps working when the platform changes servers. "
    "Recommended.",
    Basis.IP: "Match the platform's server addresses. Harder to forge, but IT must update the "
    "policies whenever the platform's servers change.",
    Basis.ADDRESS_AND_IP: "Match both. The strongest, with the same upkeep as IP addresses.",
}


class OptionsForm(forms.Form):
    """Step 4: which sends are bulk or time-sensitive, and what the policies match on."""

    bulk_refs = forms.MultipleChoiceField(
        label="Which organisations get bulk or time-sensitive sends?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Large sends or invitations that must arrive within minutes: we add a step so "
        "Mimecast doesn't hold back the first delivery (greylisting).",
    )
    basis = forms.ChoiceField(
        label="What should the policies recognise your invitations by?",
        choices=Basis.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, accounts: list[RecipientAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = WizardFormHelper(self)
        self.fields["bulk_refs"].choices = [(a.ref, a.organisation) for a in accounts]
        self.fields["basis"].choices = [
            (value, f"{label} — {BASIS_HELP[Basis(value)]}") for value, label in Basis.choices
        ]
