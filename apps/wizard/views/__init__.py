from apps.wizard.views.instructions import (
    instructions,
    instructions_export,
    it_export,
    it_page,
    it_tick,
    recheck,
    share_create,
    share_revoke,
)
from apps.wizard.views.link import link_replace
from apps.wizard.views.recipients import (
    domain_check,
    recipient_add,
    recipient_edit,
    recipient_remove,
    recipients,
)
from apps.wizard.views.steps import (
    about,
    options,
    resume,
    review,
    sending,
    sending_check,
    sending_preview,
    start,
)

__all__ = [
    "about",
    "domain_check",
    "instructions",
    "instructions_export",
    "it_export",
    "it_page",
    "it_tick",
    "link_replace",
    "options",
    "recheck",
    "recipient_add",
    "recipient_edit",
    "recipient_remove",
    "recipients",
    "resume",
    "review",
    "sending",
    "sending_check",
    "sending_preview",
    "share_create",
    "share_revoke",
    "start",
]
