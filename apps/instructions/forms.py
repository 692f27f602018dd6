from typing import Any

from django import forms

from apps.policies.limits import MAX_TEXT
from apps.wizard.forms import Answer, WizardFormHelper


class ShareLinkForm(forms.Form):
    """A link for one organisation (`account`, its ref, checked against the profile by the
    service), or for each one without a link yet (`account` empty; the customer's page only).
    Support's console uses it too."""

    account = forms.CharField(max_length=16, required=False)
    label = Answer(
        label="Who is this link for? (optional)",
        required=False,
        max_length=MAX_TEXT,
        help_text="E.g. “Partner Org IT”, so you can tell your links apart.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = WizardFormHelper(self)


class RevokeForm(forms.Form):
    link = forms.CharField(max_length=64)


class TickForm(forms.Form):
    account = forms.CharField(max_length=16)
    step = forms.CharField(max_length=64)
    done = forms.BooleanField(required=False)
