from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.customers.models import CustomerProfile, RecipientAccount, RecipientDomain

# One tuple for both options: their declared types differ, and only a tuple suits both.
DOMAIN_FIELDS = ("domain", "gateway", "region", "dns_status", "checked_at")


class RecipientDomainInline(admin.TabularInline):
    model = RecipientDomain
    extra = 0
    fields = DOMAIN_FIELDS
    readonly_fields = DOMAIN_FIELDS


@admin.register(CustomerProfile)
class CustomerProfileAdmin(SimpleHistoryAdmin):
    """Read-mostly: customers change their answers through the wizard, support through services."""

    list_display = ["organisation", "contact_name", "contact_email", "status", "updated_at"]
    list_filter = ["status", "sending_mode"]
    search_fields = ["organisation", "contact_email", "account_reference"]
    exclude = ["token"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(RecipientAccount)
class RecipientAccountAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "profile", "bulk"]
    search_fields = ["organisation", "domains__domain"]
    inlines = [RecipientDomainInline]
    raw_id_fields = ["profile"]
