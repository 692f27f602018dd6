"""Every write to a customer's profile. Keyword-only, one transaction each.

Bad input raises `django.core.exceptions.ValidationError` keyed by field, before anything is
written, so a failed call changes nothing. History (django-simple-history) records each change:
support staff edits carry their user through the request middleware; customers are anonymous,
so their changes carry no user and a change reason naming the wizard step.
"""

from apps.customers.services.dns import dns_recheck, recipient_domains_check, sending_domain_check
from apps.customers.services.links import profile_by_link, resume_link_replace, resume_link_used
from apps.customers.services.plans import (
    plan_differs_from,
    plan_fingerprint,
    plan_ip_ranges,
    plan_record_save,
    plan_record_shown,
)
from apps.customers.services.profiles import (
    options_set,
    profile_complete,
    profile_create,
    profile_update_about,
    sending_identity_set,
    wizard_step_set,
)
from apps.customers.services.recipients import (
    recipient_account_add,
    recipient_account_remove,
    recipient_account_update,
)
from apps.customers.services.sharing import (
    checklist_tick_set,
    checklist_ticks_stamp,
    share_link_create,
    share_link_revoke,
    share_link_seen,
    share_links_create_missing,
)

__all__ = [
    "checklist_tick_set",
    "checklist_ticks_stamp",
    "dns_recheck",
    "options_set",
    "plan_differs_from",
    "plan_fingerprint",
    "plan_ip_ranges",
    "plan_record_save",
    "plan_record_shown",
    "profile_by_link",
    "profile_complete",
    "profile_create",
    "profile_update_about",
    "recipient_account_add",
    "recipient_account_remove",
    "recipient_account_update",
    "recipient_domains_check",
    "resume_link_replace",
    "resume_link_used",
    "sending_domain_check",
    "sending_identity_set",
    "share_link_create",
    "share_link_revoke",
    "share_link_seen",
    "share_links_create_missing",
    "wizard_step_set",
]
