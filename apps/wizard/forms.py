"""The wizard's forms, one per step. They parse and shape what was typed (lists, choices);
the services (apps.customers.services) check the values and say what is wrong."""

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString

from apps.customers.models import Basis, RecipientAccount, SendingMode
from apps.customers.validation import split_list
from apps.policies.limits import MAX_EMAIL, MAX_TEXT


class Answer(forms.CharField):
    """A typed answer the form passes on as it is (stripped): the service checks it, so each
    rule (required, length, a valid address) lives once. `required` and `max_length` still
    shape the input box: the label's marker and the browser's maxlength."""

    def validate(self, value: Any) -> None:
        """The service's to check."""

    def run_validators(self, value: Any) -> None:
        """The service's to check."""


class EmailAnswer(Answer):
    """An email address, checked by the services with the project's one address rule
    (apps.policies.addresses). A text box with the email keyboard: a browser's `type=email`
    has rules of its own and would refuse Unicode domains."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "email", "autocapitalize": "none", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)


class WizardFormHelper(FormHelper):
    """The project's one FormHelper: templates own the <form> tag and the CSRF token."""

    def __init__(self, form: forms.BaseForm | None = None) -> None:
        super().__init__(form)
        self.form_tag = False
        self.disable_csrf = True
        self.label_class = "fw-semibold"


def described(title: str, description: str) -> SafeString:
    """A choice label: the title in bold, the explanation on its own line (both escaped)."""
    return format_html(
        '<span class="fw-semibold">{}</span>'
        '<span class="d-block small text-body-secondary">{}</span>',
        title,
        description,
    )


class AboutForm(forms.Form):
    """Step 1. The service checks and normalises the values."""

    organisation = Answer(
        label="Your organisation",
        max_length=MAX_TEXT,
        help_text="The organisation that sends the surveys.",
    )
    contact_name = Answer(label="Your name", max_length=MAX_TEXT)
    contact_email = EmailAnswer(
        label="Your email address",
        max_length=MAX_EMAIL,
        help_text="So support can find your answers if you get in touch.",
    )
    account_reference = Answer(
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
    customer_address = EmailAnswer(
        label="Your email address",
        required=False,
        max_length=MAX_EMAIL,
        help_text="Recipients see it as the sender's name, next to the platform's address.",
    )
    from_addresses = forms.CharField(
        label="From address(es)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocapitalize": "none", "spellcheck": "false"}),
        help_text="The address your invitations come from, e.g. surveys@yourdomain.com. "
        "Several? One per line.",
    )
    display_name = Answer(
        label="Sender name (optional)",
        required=False,
        max_length=MAX_TEXT,
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


class RecipientForm(forms.Form):
    """Step 3: one recipient organisation (its own Mimecast account) and its email domains."""

    organisation = Answer(
        label="Organisation that receives your invitations",
        max_length=MAX_TEXT,
        help_text="E.g. your own organisation, or a client you survey.",
    )
    domains = Answer(
        label="Its email domain(s)",
        widget=forms.Textarea(attrs={"rows": 2, "autocapitalize": "none", "spellcheck": "false"}),
        help_text="The part after the @ in their addresses, e.g. example.com. "
        "Several? One per line.",
    )
    it_contact_email = EmailAnswer(
        label="Their IT contact's email (optional)",
        required=False,
        max_length=MAX_EMAIL,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = WizardFormHelper(self)

    def clean_domains(self) -> list[str]:
        return split_list(self.cleaned_data.get("domains", ""))


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
