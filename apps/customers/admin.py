from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from apps.customers.models import CustomerProfile, RecipientAccount, RecipientDomain
from apps.customers.selectors import is_complete

# One tuple for both options: their declared types differ, and only a tuple suits both.
DOMAIN_FIELDS = ("domain", "gateway", "region", "dns_status", "checked_at")


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """To read answers and their history: every change goes through apps.customers.services
    (which check and record it), so the admin adds and changes nothing. Deleting stays, for a
    customer who asks to be forgotten."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RecipientDomainInline(admin.TabularInline):
    model = RecipientDomain
    extra = 0
    fields = DOMAIN_FIELDS
    readonly_fields = DOMAIN_FIELDS


@admin.register(CustomerProfile)
class CustomerProfileAdmin(ReadOnlyAdmin):
    """Customers change their answers through the wizard, support through its console."""

    list_display = ["organisation", "contact_name", "contact_email", "complete", "updated_at"]
    list_filter = ["sending_mode"]
    search_fields = ["organisation", "contact_email", "account_reference"]
    exclude = ["token"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(boolean=True, description="finished the wizard")
    def complete(self, profile: CustomerProfile) -> bool:
        return is_complete(profile)


@admin.register(RecipientAccount)
class RecipientAccountAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "profile", "bulk"]
    search_fields = ["organisation", "domains__domain"]
    inlines = [RecipientDomainInline]
    raw_id_fields = ["profile"]
