"""A deploy check that says why the HTTPS checks are silent on a plain-HTTP deployment."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Info, Tags, register


@register(Tags.security, deploy=True)
def plain_http_by_choice(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    if not getattr(settings, "PLAIN_HTTP_BY_CHOICE", False):
        return []
    return [
        Info(
            "DJANGO_HTTPS=0: served over plain HTTP by choice, so HSTS, the HTTPS redirect and "
            "secure cookies are off and their deploy warnings (security.W004, W008, W012, W016) "
            "are silenced.",
            hint="Only for a deployment that never sees the internet; otherwise unset it.",
            id="safelist.I001",
        )
    ]
