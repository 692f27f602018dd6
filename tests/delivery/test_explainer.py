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


def test_the_recipient_domain_comes_from_the_dsn_or_the_log_line_without_its_local_part() -> None:
    assert explain(DSN).domain == "customer.example"
    line = (
        "Nov 28 09:10:04 ms7 postfix/smtp[3420]: 5B1yRl2Ac3: to=<ops@Partner.Example>, relay=x"
        "[192.0.2.21]:25, dsn=5.0.0, status=bounced (host x said: 550 Anti-Spoofing policy - "
        "Inbound not allowed)"
    )
    assert explain(line).domain == "partner.example"
    postfix_text = "<ops@third.example>: host x[192.0.2.1] said: 550 Invalid Recipient"
    assert explain(postfix_text).domain == "third.example"
    assert explain(GREYLIST).domain == ""


def test_the_explainer_starts_the_wizard_with_the_domain_filled_in(csrf_client: Client) -> None:
    from tests.wizard.helpers import ABOUT

    page = _post(csrf_client, DSN)
    start = reverse("wizard:start") + "?domain=customer.example"
    assert f'href="{start}"' in page
    before = _row_counts()
    csrf_client.get(start)
    # Only the domain, in the session: nothing pasted reached it, and no table row was added
    # but the session itself.
    session = csrf_client.session
    assert session["prefill_recipient_domain"] == "customer.example"
    assert "zqxsecret" not in repr(dict(session.items()))
    after = _row_counts()
    assert {k: v for k, v in after.items() if after[k] != before[k]}.keys() <= {"sessions.Session"}
    token = csrf_client.cookies["csrftoken"].value
    csrf_client.post(start, {**ABOUT, "csrfmiddlewaretoken": token})
    from apps.customers.models import CustomerProfile

    profile = CustomerProfile.objects.get()
    recipients = csrf_client.get(reverse("wizard:recipients", kwargs={"token": profile.token}))
    assert recipients.status_code == 200
    textarea = recipients.text.split('name="domains"', 1)[1].split("</textarea>", 1)[0]
    assert "customer.example" in textarea
    assert "zqxsecret" not in recipients.text


def test_a_bad_domain_in_the_start_link_is_ignored(client: Client) -> None:
    client.get(reverse("wizard:start") + "?domain=not a domain!")
    assert "prefill_recipient_domain" not in client.session
