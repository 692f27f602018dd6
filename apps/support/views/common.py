from django.contrib.auth.models import User

from apps.core.http import HtmxHttpRequest


class StaffHttpRequest(HtmxHttpRequest):
    """A request `staff_required` let through: its user is a signed-in staff account."""

    user: User
