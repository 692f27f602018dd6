from crispy_forms.helper import FormHelper


class WizardFormHelper(FormHelper):
    """The project's one FormHelper: templates own the <form> tag and the CSRF token."""

    def __init__(self, form=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(form)
        self.form_tag = False
        self.disable_csrf = True
        self.label_class = "fw-semibold"
