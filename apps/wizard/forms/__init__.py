from apps.wizard.forms.about import AboutForm
from apps.wizard.forms.options import OptionsForm
from apps.wizard.forms.recipients import RecipientForm
from apps.wizard.forms.sending import SendingForm
from apps.wizard.forms.sharing import ShareLinkForm, TickForm

__all__ = ["AboutForm", "OptionsForm", "RecipientForm", "SendingForm", "ShareLinkForm", "TickForm"]
