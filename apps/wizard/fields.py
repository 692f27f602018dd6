"""Form fields of the wizard that check what is typed by the project's one address rule."""

from typing import Any

from django import forms

from apps.customers.validation import normalise_email


class AddressField(forms.CharField):
    """An email address, checked and normalised by `apps.policies.addresses` (the rule the API
    and the services use), not by Django's EmailField, which has rules of its own. A text box
    with the email keyboard: a browser's `type=email` would refuse Unicode domains."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "email", "autocapitalize": "none", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return normalise_email(text) if text else text
