from crispy_forms.helper import FormHelper
from django import forms


class WizardFormHelper(FormHelper):
    """The project's one FormHelper: templates own the <form> tag and the CSRF token."""

    def __init__(self, form: forms.BaseForm | None = None) -> None:
        super().__init__(form)
        self.form_tag = False
        self.disable_csrf = True
        self.label_class = "fw-semibold"
