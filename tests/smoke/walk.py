"""A customer's walk through the wizard over HTTP, as a browser without JavaScript makes it:
GET each step, read the form (its action, the CSRF token, the defaults) from the HTML, POST the
answers, follow the redirect. Then the instructions, their PDF, a share link for IT and the
resume link."""

from __future__ import annotations

import re
from typing import Protocol

from tests.smoke.harness import Browser, Response, forms_in

CUSTOMER_EMAIL = "sam.smoke@smoke-customer.example"
IT_EMAIL = "it.desk@smoke-recipient.example"
ORGANISATION = "Smoke Recipient Ltd"


class Check(Protocol):
    def __call__(self, what: str, condition: bool, detail: object = "") -> None: ...


def _submit(
    check: Check,
    browser: Browser,
    page: Response,
    action_suffix: str,
    answers: dict[str, str | list[str]],
    what: str,
    *,
    to: str = "",
) -> Response:
    """Fill the form whose action ends in `action_suffix` and post it (to `to` instead, as a
    button's formaction does)."""
    forms = [f for f in forms_in(page.text) if f.method == "post"]
    form = next((f for f in forms if f.action.endswith(action_suffix)), None)
    check(f"{what}: the page has the form", form is not None, [f.action for f in forms])
    assert form is not None
    fields = form.values(answers)
    check(
        f"{what}: the form carries a CSRF token",
        any(name == "csrfmiddlewaretoken" and value for name, value in fields),
        fields,
    )
    response = browser.post_form(to or form.action, fields, referer=page.path)
    check(
        f"{what}: the POST redirects to the next page",
        response.status in (302, 303),
        (response.status, response.text[:500]),
    )
    page = browser.follow(response)
    check(f"{what}: the next page opens", page.status == 200, (page.status, page.path))
    return page


def walk_wizard(check: Check, browser: Browser) -> list[str]:
    """Returns what must never appear in the logs: private tokens and contact addresses."""
    start = browser.get("/start/")
    check("GET /start/ answers 200", start.status == 200, start.status)
    refused = browser.request(
        "POST", "/start/", b"organisation=x", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    check(
        "a form post without the CSRF token is refused (403)", refused.status == 403, refused.status
    )

    sending = _submit(
        check,
        browser,
        start,
        "/start/",
        {
            "organisation": "Smoke Surveys Ltd",
            "contact_name": "Sam Smoke",
            "contact_email": CUSTOMER_EMAIL,
        },
        "step 1 (about you)",
    )
    token = re.match(r"^/p/([^/]+)/sending/", sending.path)
    check("step 1 leads to the private link's step 2", bool(token), sending.path)
    assert token is not None
    base = f"/p/{token.group(1)}/"

    recipients = _submit(
        check,
        browser,
        sending,
        f"{base}sending/",
        {
            "mode": "sending_domain",
            "from_addresses": "surveys@smoke-customer.example",
            "display_name": "Smoke HR",
        },
        "step 2 (how you send)",
    )
    recipients = _submit(
        check,
        browser,
        recipients,
        f"{base}recipients/add/",
        {
            "organisation": ORGANISATION,
            "domains": "smoke-recipient.example",
            "it_contact_email": IT_EMAIL,
        },
        "step 3 (add a recipient organisation)",
    )
    check("the organisation is listed", ORGANISATION in recipients.text)
    # Continue submits the (empty) add form to the step itself, as its formaction says.
    options = _submit(
        check,
        browser,
        recipients,
        f"{base}recipients/add/",
        {"continue": "1"},
        "step 3 (next)",
        to=f"{base}recipients/",
    )
    review = _submit(check, browser, options, f"{base}options/", {}, "step 4 (options)")
    instructions = _submit(check, browser, review, f"{base}review/", {}, "step 5 (review)")

    check(
        "the instructions page names the organisation",
        instructions.path == f"{base}instructions/" and ORGANISATION in instructions.text,
        instructions.path,
    )
    check(
        "the private instructions page may not be cached",
        "no-store" in instructions.header("Cache-Control"),
        instructions.header("Cache-Control"),
    )
    check(
        "the instructions give the From address to permit",
        "surveys@smoke-customer.example" in instructions.text,
    )
    pdf_link = re.search(r'href="([^"]+\.pdf)"', instructions.text)
    check("the instructions page links the PDF", bool(pdf_link))
    assert pdf_link is not None
    pdf = browser.get(pdf_link.group(1))
    check(
        "the PDF downloads",
        pdf.status == 200
        and pdf.header("Content-Type") == "application/pdf"
        and pdf.body.startswith(b"%PDF-")
        and len(pdf.body) > 2000,
        (pdf.status, pdf.header("Content-Type"), pdf.body[:40]),
    )

    instructions = _submit(
        check, browser, instructions, f"{base}recheck/", {}, "check the domains again"
    )
    shared = _submit(
        check, browser, instructions, f"{base}share/", {"label": "IT desk"}, "share with IT"
    )
    it_link = re.search(r"(/it/[A-Za-z0-9_-]{20,}/)", shared.text)
    check("a share link for IT is shown", bool(it_link))
    assert it_link is not None
    it_page = browser.get(it_link.group(1))
    check(
        "the IT share link opens the read-only instructions",
        it_page.status == 200 and ORGANISATION in it_page.text,
        it_page.status,
    )
    ticked = _submit(check, browser, it_page, "/tick/", {}, "IT ticks a step as done")
    check("the ticked step shows as done", "Mark as not done" in ticked.text)
    resume = browser.get(base)
    check(
        "the resume link leads back to the instructions",
        resume.status in (302, 303) and resume.header("Location").endswith(f"{base}instructions/"),
        (resume.status, resume.header("Location")),
    )
    return [token.group(1), it_link.group(1).split("/")[2], CUSTOMER_EMAIL, IT_EMAIL]
