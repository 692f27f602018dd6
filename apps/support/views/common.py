from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails

from apps.customers.models import CustomerProfile
from apps.support.selectors import profile_for_staff


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class StaffHttpRequest(HtmxHttpRequest):
    """A request `staff_required` let through: its user is a signed-in staff account."""

    user: User


def get_profile_or_404(token: str) -> CustomerProfile:
    try:
        return profile_for_staff(token)
    except CustomerProfile.DoesNotExist:
        raise Http404("No customer profile with that link.") from None
