from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from apps.dnscheck.deadline import overall_deadline


class DnsBudgetMiddleware:
    """One DNS budget per request: every lookup it makes shares one deadline (DNS_DEADLINE).

    A page may check the recipients' gateways, the platform's IPs and the sending domain, each
    under its own `overall_deadline()`; nested in this one they all end with it, so a domain
    that never answers costs a request DNS_DEADLINE at most, not one deadline per check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with overall_deadline():
            return self.get_response(request)
