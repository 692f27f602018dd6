"""The Nu Html Checker (vnu) over the HTML the server sends for every page state a user can reach:
each wizard step empty and with errors, review, instructions, the IT page, the support pages,
staff sign-in, 404 and 429; plus the htmx fragments the wizard swaps in, each wrapped in a
minimal document the way htmx would place it.

Every state is rendered with the Django test client and written to one folder; vnu.jar (pinned
in tests/a11y/package-lock.json) then checks them all in a single run, one JVM start. A canary
document with known errors goes through the same run, so a checker that reports nothing at all
fails the test instead of passing it."""

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.customers import selectors, services
from apps.customers.models import Basis, PlanRecord
from apps.sending.models import PlatformFacts, PlatformIPSnapshot
from tests.a11y.report import record_vnu
from tests.a11y.tools import VNU_JAR, require
from tests.customers.factories import make_complete_profile, make_profile
from tests.support.factories import make_staff
from tests.wizard.helpers import ABOUT, HTMX, url

pytestmark = pytest.mark.django_db

CANARY = "canary.html"
# Two errors vnu must report: an attribute htmx accepts but HTML does not, and a bad datetime.
CANARY_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>canary</title>
</head><body><div hx-get="/">x</div><time datetime="2026-12-02T01:38:24.943067+00:00">t</time>
</body></html>"""

_TOP_LEVEL_TITLE = re.compile(r"^\s*<title>.*?</title>", re.S)


def as_htmx_places_it(fragment: str) -> str:
    """A fragment as htmx puts it in the page: a <title> at its top level goes to the document's
    head (htmx lifts it out); anything else lands in <body>, where vnu checks it."""
    title = _TOP_LEVEL_TITLE.match(fragment)
    body = fragment[title.end() :] if title else fragment
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fragment</title>'
        f"</head><body>{body}</body></html>"
    )


def run_vnu(folder: Path) -> dict[str, list[str]]:
    """vnu's errors for each .html file in folder, by file name."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu Html Checker: `make test` installs it"
    result = subprocess.run(  # noqa: S603 - fixed arguments, files the test wrote
        [java, "-Xss2m", "-jar", str(require(VNU_JAR)), "--format", "json", "--skip-non-html"]
        + [str(p) for p in sorted(folder.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors: dict[str, list[str]] = {p.name: [] for p in folder.glob("*.html")}
    for m in messages:
        if m.get("type") == "error" or m.get("subType") == "fatal":
            name = Path(m.get("url", "").removeprefix("file:")).name
            errors.setdefault(name, []).append(
                f"line {m.get('lastLine', '?')}: {m['message']} — {m.get('extract', '').strip()}"
            )
    return errors


Capture = Callable[..., None]


def _wizard_states(client: Client, capture: Capture) -> None:
    capture("home", client.get("/"))
    capture("step1-empty", client.get("/start/"))
    # Fields sent empty (an empty POST would be an unbound form, with no errors to show).
    empty_about = {"organisation": "", "contact_name": "", "contact_email": ""}
    capture("step1-errors", client.post("/start/", empty_about))
    capture("step1-errors-htmx", client.post("/start/", empty_about, headers=HTMX), fragment=True)

    # A customer with no recipients yet, then a complete one.
    new = make_profile()
    capture("step1-answered", client.get(url("about", new)))
    capture("step2-empty", client.get(url("sending", new)))
    bad_sending = {"mode": "sending_domain", "from_addresses": "not an email"}
    capture("step2-errors", client.post(url("sending", new), bad_sending))
    capture("step2-errors-htmx", client.post(url("sending", new), bad_sending, headers=HTMX), True)
    capture("step3-empty", client.get(url("recipients", new)))
    capture("step3-continue-errors", client.post(url("recipients", new)))
    empty_add = {"organisation": "", "domains": ""}
    capture("step3-add-errors", client.post(url("recipient_add", new), empty_add))
    capture(
        "step3-add-errors-htmx",
        client.post(url("recipient_add", new), empty_add, headers=HTMX),
        True,
    )
    capture("step5-incomplete", client.get(url("review", new)))
    capture("step5-errors", client.post(url("review", new)))

    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    capture("step2-answered", client.get(url("sending", profile)))
    capture("step3-two-organisations", client.get(url("recipients", profile)))
    capture("step3-htmx", client.get(url("recipients", profile), headers=HTMX), fragment=True)
    capture("step4-empty", client.get(url("options", profile)))
    capture("step4-errors", client.post(url("options", profile), {"basis": ""}))
    capture("step4-htmx", client.get(url("options", profile), headers=HTMX), fragment=True)
    capture("step5-review", client.get(url("review", profile)))
    capture("step5-htmx", client.get(url("review", profile), headers=HTMX), fragment=True)
    services.profile_complete(profile=profile)
    capture("instructions", client.get(url("instructions", profile)))
    shared = client.post(url("share_create", profile), {"label": "Partner IT"}, headers=HTMX)
    capture("share-link-htmx", shared, fragment=True)
    capture("instructions-with-it-link", client.get(url("instructions", profile)))

    token = profile.share_links.order_by("id")[0].token
    it_url = reverse("it:page", kwargs={"token": token})
    capture("it-page", client.get(it_url))
    account = selectors.plan_for_profile(profile).accounts[0]
    tick = {"account": account.ref, "step": account.steps[0].key, "done": "on"}
    tick_url = reverse("it:tick", kwargs={"token": token})
    capture("it-tick-htmx", client.post(tick_url, tick, headers=HTMX), fragment=True)
    capture("it-page-ticked", client.get(it_url))
    capture("instructions-ticked", client.get(url("instructions", profile)))


def _support_states(client: Client, capture: Capture) -> None:
    capture("support-sign-in", client.get("/admin/login/?next=/support/"))
    client.force_login(make_staff())
    capture("support-console", client.get(reverse("support:search")))
    capture("support-search", client.get(reverse("support:search"), {"q": "Example"}))
    capture("support-search-none", client.get(reverse("support:search"), {"q": "zzzz-none"}))
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    services.profile_complete(profile=profile)
    services.share_links_create_missing(profile=profile)
    profile_url = reverse("support:profile", kwargs={"ref": profile.support_ref})
    capture("support-profile", client.get(profile_url))
    capture("support-affected-nothing", client.get(reverse("support:affected")))

    facts = PlatformFacts.objects.get(is_active=True)
    start = timezone.now() - timedelta(days=2)
    for day, ranges in enumerate([["185.5.88.10/32"], ["194.116.212.0/24"]]):
        PlatformIPSnapshot.objects.create(
            facts=facts, ranges=ranges, resolved_at=start + timedelta(days=day)
        )
    profile.basis = Basis.IP
    profile.save()
    PlanRecord.objects.create(
        profile=profile, plan={}, fingerprint="a11y", basis=Basis.IP, ip_ranges=["185.5.88.10/32"]
    )
    affected = client.get(reverse("support:affected"))
    assert profile.organisation in affected.content.decode()  # the table with its one row
    capture("support-affected-after-change", affected)


def test_the_server_sends_valid_html_in_every_state(
    client: Client, settings: Any, test_dns: Any, tmp_path: Path
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1000/m"}
    statuses: dict[str, int] = {}

    def capture(name: str, response: Any, fragment: bool = False) -> None:
        html = response.content.decode()
        if fragment:
            html = as_htmx_places_it(html)
        statuses[name] = response.status_code
        if "errors" in name:  # the state shows its errors, or it is not the state it claims
            assert "alert-danger" in html or "invalid-feedback" in html, name
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")

    _wizard_states(client, capture)
    _support_states(client, capture)
    capture("404", client.get("/no-such-page/"))
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1/h"}
    profile = make_profile(**ABOUT)
    client.get(url("domain_check", profile), {"domains": "ownorg.example"})
    # Each DNS action counts on its own: a check of another domain is past the limit (a full
    # page; the same domain again would look nothing up, so it would not count).
    capture("429", client.get(url("domain_check", profile), {"domains": "partnerorg.example"}))
    # …and to htmx, the short fragment the wizard's script shows beside the control.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "step_save": "0/h"}
    refused = client.post(url("about", profile), ABOUT, headers=HTMX)
    capture("429-fragment", refused, fragment=True)

    # Each state is what its name says, not a redirect or an error page.
    assert statuses.pop("404") == 404 and statuses.pop("429") == 429
    assert statuses.pop("429-fragment") == 429
    assert {name: s for name, s in statuses.items() if s != 200} == {}
    (tmp_path / CANARY).write_text(CANARY_HTML, encoding="utf-8")

    errors = run_vnu(tmp_path)

    assert len(errors.pop(CANARY)) == 2, "vnu no longer reports the canary's two errors"
    found = {name: messages for name, messages in errors.items() if messages}
    record_vnu(len(errors), sum(len(m) for m in found.values()))
    assert found == {}, "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in found.items()
    )
