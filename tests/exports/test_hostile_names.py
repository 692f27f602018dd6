"""Names a customer typed that look like markup or carry text-direction controls read literally
in the text export (Markdown-flavoured) and in the PDF, stored before input was cleaned or not."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from apps.core.bidi import BIDI_CONTROLS
from apps.exports.pdf import render_pdf
from apps.exports.text import md, render_text
from apps.policies.generator import build_plan
from tests.policies.factories import account, request, unverified

MARKUP_NAMES = {
    "<script>alert(1)</script>": "\\<script\\>alert(1)\\</script\\>",
    "[click](http://evil.example)": "\\[click\\](http://evil.example)",
    "# Heading": "\\# Heading",
    "**Bold** _it_ `code`": "\\*\\*Bold\\*\\* \\_it\\_ \\`code\\`",
    "> quoted": "\\> quoted",
}


def plan_for(name: str):
    return build_plan(
        request(unverified(), account("northwind.example", organisation=name, bulk=True))
    )


@pytest.mark.parametrize(("name", "escaped"), MARKUP_NAMES.items())
def test_md_escapes_what_markdown_would_act_on(name: str, escaped: str) -> None:
    assert md(name) == escaped


@pytest.mark.parametrize("start", ["- item", "+ item", "1. item", "2) item", "=== "])
def test_md_escapes_what_would_make_a_list_or_an_underline_at_a_line_start(start: str) -> None:
    assert md(start) == "\\" + start
    assert md(f"a {start}") == f"a {start}"  # inside a line they are plain text


@pytest.mark.parametrize(("name", "escaped"), MARKUP_NAMES.items())
def test_a_markup_name_is_escaped_everywhere_the_text_export_says_it(
    name: str, escaped: str
) -> None:
    text = render_text(plan_for(name), organisation=name)
    assert f"# Mimecast instructions for mail from {escaped}\n" in text
    assert f"## {escaped} (northwind.example)" in text
    # In the prose too (the summary and the steps' reasons name the organisation).
    assert text.count(escaped) >= 3
    unescaped = text.replace(escaped, "")
    assert name not in unescaped


def test_addresses_and_values_stay_exactly_as_typed_into_the_console() -> None:
    plan = build_plan(
        request(unverified("first_last@customer.example"), account("northwind.example"))
    )
    text = render_text(plan)
    assert "- Policy Narrative: SurveyCo: permit " in text
    assert "From address to permit: " in text
    permit_line = next(line for line in text.splitlines() if line.startswith("From address"))
    assert "\\" not in permit_line


REVERSED = "Acme \u202etd.L \u2066x\u2069 \u200f\u061c"


def test_direction_controls_stored_earlier_are_taken_out_of_the_text_export() -> None:
    text = render_text(plan_for(REVERSED), organisation=REVERSED)
    assert not any(c in BIDI_CONTROLS for c in text)
    assert "for mail from Acme td.L x \n" in text


PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils not installed")
def test_the_pdf_shows_markup_names_literally_and_without_direction_controls() -> None:
    name = "<b>[click](http://evil.example)</b> \u202eevil"
    pdf = render_pdf(plan_for(name), organisation=name)
    extracted = subprocess.run(  # noqa: S603 (fixed argv, our own PDF on stdin)
        [str(PDFTOTEXT), "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "<b>[click](http://evil.example)</b> evil" in " ".join(extracted.split())
    assert not any(c in BIDI_CONTROLS for c in extracted)
    # No link annotation points at the name's URL: it stayed text.
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            uri = annotation.get_object().get("/A", {}).get("/URI", "")
            assert "evil.example" not in str(uri)
