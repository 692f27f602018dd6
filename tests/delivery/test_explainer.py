"""The bounce explainer: plain words, the fixing step, CSRF, and nothing pasted kept."""

import logging

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from apps.delivery.classify import Control
from apps.delivery.explain import explain, reply_of

pytestmark = pytest.mark.django_db

GREYLIST = (
    "451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/"
    "DOC-1369#451 [aBcDeFgHiJkLmNoPqRsT.uk123]"
)
# §1.3: a DSN as Postfix writes it; Diagnostic-Code holds the reply, Status is generic.
DSN = """Reporting-MTA: dns; ms7.example.net
X-Postfix-Queue-ID: 5B1yRl2Ac3

Final-Recipient: rfc822; zqxsecret@customer.example
Action: failed
Status: 5.0.0
Remote-MTA: dns; eu-smtp-inbound-1.mimecast.com
Diagnostic-Code: smtp; 550 Rejected by header based Anti-Spoofing policy:
    surveys@customer.example - https://community.mimecast.com/docs/DOC-1369#550
"""


def test_a_dsn_is_read_by_its_diagnostic_code_and_remote_mta() -> None:
    reply, relay = reply_of(DSN)
    assert reply.startswith("550 Rejected by header based Anti-Spoofing policy: surveys@")
    assert relay == "eu-smtp-inbound-1.mimecast.com"
    explanation = explain(DSN)
    assert (explanation.gateway, explanation.control) == ("Mimecast", Control.ANTI_SPOOFING)
    assert explanation.permanent
    assert explanation.step is not None and explanation.step.name == "Anti-Spoofing"


def test_an_unknown_text_is_shown_back_unrecognised() -> None:
    explanation = explain("554 something nobody documented")
    assert explanation.control is Control.UNRECOGNISED
    assert explanation.step is None
    assert explanation.reply == "554 something nobody documented"


def _post(client: Client, text: str) -> str:
    client.get(reverse("delivery:explain"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("delivery:explain"), {"text": text, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_needs_no_login_and_explains_greylisting(csrf_client: Client) -> None:
    assert csrf_client.get(reverse("delivery:explain")).status_code == 200
    page = _post(csrf_client, GREYLIST)
    assert "Mimecast: greylisting" in page
    assert "temporary refusal" in page
    assert "<strong>Greylisting</strong>" in page
    assert reverse("wizard:start") in page


def test_a_post_without_the_csrf_token_is_refused(csrf_client: Client) -> None:
    response = csrf_client.post(reverse("delivery:explain"), {"text": GREYLIST})
    assert response.status_code == 403


def test_an_empty_paste_shows_the_form_again(csrf_client: Client) -> None:
    page = _post(csrf_client, "   ")
    assert "This field is required" in page


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_pasted_text_is_neither_stored_nor_logged(
    csrf_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    before = _row_counts()
    with caplog.at_level(logging.DEBUG):
        page = _post(csrf_client, DSN)
    # The form keeps what was pasted; the explanation quotes only the reply.
    assert "zqxsecret" not in page.split('id="verdict"', 1)[1]
    assert _row_counts() == before
    assert "zqxsecret" not in caplog.text
    assert "Anti-Spoofing policy" not in caplog.text
