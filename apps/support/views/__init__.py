"""The support console's views: every one goes through `staff_required`."""

from apps.support.views.affected import affected
from apps.support.views.exports import instructions_export
from apps.support.views.profile import (
    dns_recheck,
    note_add,
    profile,
    resume_link_send,
    share_link_create,
    share_link_revoke,
)
from apps.support.views.search import search

__all__ = [
    "affected",
    "dns_recheck",
    "instructions_export",
    "note_add",
    "profile",
    "resume_link_send",
    "search",
    "share_link_create",
    "share_link_revoke",
]
