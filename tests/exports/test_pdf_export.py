import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from apps.exports.pdf import PdfError, render_pdf
from apps.policies.types import Plan
from tests.exports.checks import expected_strings, in_plan_order, missing_from, squash
from tests.exports.factories import hostile_plan, make_plan

ORGANISATION = "Acme Surveys Ltd"


@pytest.fixture(scope="module")
def rendered() -> dict[int, tuple[Plan, bytes]]:
    """Plans with 1 and 5 accounts and their PDFs, rendered once for the module."""
    plans = {n: make_plan(n) for n in (1, 5)}
    return {n: (plan, render_pdf(plan, organisation=ORGANISATION)) for n, plan in plans.items()}


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("accounts", [1, 5])
def test_it_contains_every_step_title_address_and_warning(rendered, accounts: int) -> None:
    plan, pdf = rendered[accounts]
    assert missing_from(pdf_text(pdf), plan) == []


@pytest.mark.parametrize("accounts", [1, 5])
def test_every_page_renders_to_an_image(rendered, accounts: int, tmp_path: Path) -> None:
    _, pdf = rendered[accounts]
    source = tmp_path / "plan.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 (fixed argv, our own temp file)
        ["/usr/bin/pdftoppm", "-r", "30", "-png", str(source), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert len(list(tmp_path.glob("page-*.png"))) == pages


def test_it_numbers_the_pages_and_repeats_a_running_header(rendered) -> None:
    _, pdf = rendered[5]
    pages = PdfReader(io.BytesIO(pdf)).pages
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {len(pages)}" in text
        if number > 1:
            assert "Mimecast instructions for mail from Acme Surveys Ltd" in text


def test_it_heads_each_account_and_names_one_in_every_page_header(rendered) -> None:
    plan, pdf = rendered[5]
    text = squash(pdf_text(pdf)).lower()  # the heading's "Account n of 5" is in capitals
    for number, account in enumerate(plan.accounts, start=1):
        assert squash(f"Account {number} of 5 {account.organisation}").lower() in text
    for page in PdfReader(io.BytesIO(pdf)).pages[1:]:
        assert "Account" in squash(page.extract_text() or "")


def test_no_page_is_left_half_empty_before_the_next_account(rendered) -> None:
    """Accounts follow on (no forced page break before each one); only the last page may be
    short. Each page but the last holds at least half the text of the fullest."""
    _, pdf = rendered[5]
    sizes = [len(squash(page.extract_text() or "")) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert all(size >= max(sizes) / 2 for size in sizes[:-1]), sizes


@pytest.mark.parametrize("accounts", [1, 5])
def test_each_step_has_a_printed_box_to_tick(rendered, accounts: int) -> None:
    plan, pdf = rendered[accounts]
    steps = sum(len(account.steps) for account in plan.accounts)
    assert steps
    assert pdf_text(pdf).count("☐") == steps


def test_it_links_each_account_to_its_live_checklist() -> None:
    plan = make_plan(2)
    first = plan.accounts[0]
    url = "https://safelist.example/it/abc123/"
    pdf = render_pdf(plan, organisation=ORGANISATION, checklist_urls={first.ref: url})
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annot in page.get("/Annots") or ()
        if "/A" in annot.get_object()
    ]
    assert uris.count(url) == 1
    assert squash(f"Live checklist (tick steps off, see changes): {url}") in squash(pdf_text(pdf))


def test_it_embeds_every_font(rendered) -> None:
    _, pdf = rendered[1]
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font: Any = reference.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append((font["/BaseFont"], "/FontFile2" in descriptor.get_object()))
    assert fonts
    assert all(embedded for _, embedded in fonts), fonts
    assert any("Safelist-Mono" in name for name, _ in fonts)


def test_its_console_url_is_a_clickable_link(rendered) -> None:
    _, pdf = rendered[1]
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object()
    ]
    assert "https://login-eu.mimecast.com" in uris


def test_it_shows_the_cover_facts(rendered) -> None:
    _, pdf = rendered[5]
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in (
        ORGANISATION,
        "28 Nov 2026, 07:30 UTC",
        "platform details version 1.42",
        "Northwind Traders 1",
        "Adatum 4",
    ):
        assert squash(expected) in squash(first)


@pytest.mark.parametrize(
    ("size", "width", "height"), [("A4", 595, 842), ("Letter", 612, 792), (None, 595, 842)]
)
def test_it_lays_out_on_the_chosen_paper(size: str | None, width: int, height: int) -> None:
    pdf = render_pdf(make_plan(1), organisation="", page_size=size)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (width, height)


def test_it_takes_the_paper_size_from_settings(settings) -> None:
    settings.PDF_PAGE_SIZE = "Letter"
    pdf = render_pdf(make_plan(1), organisation="")
    assert round(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height) == 792


def test_it_rejects_an_unknown_paper_size() -> None:
    with pytest.raises(ValueError, match="A4 or Letter"):
        render_pdf(make_plan(1), organisation="", page_size="A3")


def test_it_renders_customer_markup_as_text() -> None:
    organisation = '<img src="http://127.0.0.1:9/x">'
    pdf = render_pdf(hostile_plan(9), organisation=organisation)
    text = squash(pdf_text(pdf))
    assert squash(f"for mail from {organisation}") in text
    assert squash("Evil <img src=") in text
    assert squash("url(http://127.0.0.1:9/y)") in text


def test_it_raises_pdf_error_when_weasyprint_fails(monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr("weasyprint.HTML.write_pdf", broken)
    with pytest.raises(PdfError):
        render_pdf(make_plan(1), organisation=ORGANISATION)


def test_its_header_names_the_account_and_the_step_in_progress() -> None:
    plan = make_plan(1)
    pages = PdfReader(io.BytesIO(render_pdf(plan, organisation=ORGANISATION))).pages
    # The first account starts on the cover page; every later page's header names it.
    texts = [squash(page.extract_text()) for page in pages]
    assert len(texts) > 1
    assert all(squash("Account 1 of 1: Northwind Traders 1") in text for text in texts[1:])
    assert any(squash("Account 1 of 1: Northwind Traders 1 · Step ") in t for t in texts[1:])


def test_it_keeps_the_plans_order_like_the_text_export(rendered) -> None:
    plan, pdf = rendered[5]
    assert in_plan_order(pdf_text(pdf), plan) == expected_strings(plan)


def test_it_renders_a_plan_without_accounts_on_one_page() -> None:
    pdf = render_pdf(make_plan(0), organisation="")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    assert "Mimecast instructions" in pages[0].extract_text()
