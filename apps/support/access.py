"""The one gate in front of every support console view."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the sign-in page; signed-in users without the staff flag get 403.

    (Django's `staff_member_required` sends non-staff back to the sign-in page, which hides the
    refusal and loops for a signed-in customer.)
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff):
            raise PermissionDenied("The support console is for staff only.")
        return view(request, *args, **kwargs)

    wrapped.staff_required = True  # type: ignore[attr-defined]
    return wrapped
