from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class StaffHttpRequest(HtmxHttpRequest):
    """A request `staff_required` let through: its user is a signed-in staff account."""

    user: User
