from typing import Any, cast

from django import forms

from apps.customers.models import Basis, RecipientAccount
from apps.wizard.forms.choices import described
from apps.wizard.forms.helper import WizardFormHelper

BASIS_HELP = {
    Basis.ADDRESS: "The policies match the address your invitations come from, so they keep "
    "working when the platform changes its servers.",
    Basis.IP: "The policies match the platform's servers. Harder to fake, but IT must update "
    "the policies whenever the platform's servers change.",
    Basis.ADDRESS_AND_IP: "The policies match both. The hardest to fake, with the same upkeep "
    "as server addresses.",
}


class OptionsForm(forms.Form):
    """Step 4: which sends are bulk or time-sensitive, whether invitations carry unique links,
    who runs Mimecast through Microsoft 365, and what the policies match on."""

    bulk_refs = forms.MultipleChoiceField(
        label="Which organisations get bulk or time-sensitive sends?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick an organisation if you send it large batches, or invitations that must "
        "arrive within minutes. Its instructions then get an extra step so Mimecast doesn't "
        "hold back the first delivery for a while (greylisting). Not sure? Leave it unticked.",
    )
    unique_links = forms.BooleanField(
        label="Each invitation carries its own survey link",
        required=False,
        help_text="Usual for survey invitations. Mimecast's URL Protect may open such links to "
        "scan them, so the instructions offer an optional step to leave them alone.",
    )
    api_refs = forms.MultipleChoiceField(
        label="Which organisations use Mimecast through Microsoft 365 (Email Security – API)?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their mail servers point at Microsoft 365, with Mimecast connected to it "
        "rather than in front of it. Their IT team will know. Not sure? Leave it unticked.",
    )
    basis = forms.ChoiceField(
        label="What should the policies recognise your invitations by?",
        choices=Basis.choices,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        accounts: list[RecipientAccount],
        recommended: Basis | None = None,
        reason: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.helper = WizardFormHelper(self)
        # `fields` holds copies of the declared fields typed only as Field; these two are choices.
        for name in ("bulk_refs", "api_refs"):
            cast(forms.MultipleChoiceField, self.fields[name]).choices = [
                (a.ref, a.organisation) for a in accounts
            ]
        basis = cast(forms.ChoiceField, self.fields["basis"])
        # Recommended for this customer's situation (wizard.presenters.recommended_basis), with
        # the trade-off in one line; the other choices stay open.
        basis.choices = [
            (
                value,
                described(
                    f"{label} — recommended for you" if value == recommended else label,
                    BASIS_HELP[Basis(value)],
                ),
            )
            for value, label in Basis.choices
        ]
        if recommended is not None:
            basis.help_text = f"Recommended for you: {Basis(recommended).label}. {reason}"
