"""The PDF at the app's own limits: the whole plan is refused with a way forward, one
organisation is a PDF, and renderings are capped across workers. How long each takes against
gunicorn's 30 s worker timeout is measured by bench/pdf_limits_bench.py."""

import io
from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from pypdf import PdfReader

from apps.exports import pdf
from apps.exports.responses import pdf_response
from apps.policies.types import Plan
from tests.exports.limits import limits_plan

PATH = "/p/some-token/instructions.pdf"


@pytest.fixture(scope="module")
def plan_at_limits() -> Plan:
    return limits_plan()


def test_the_whole_plan_at_the_limits_is_refused_at_once_with_a_way_forward(
    plan_at_limits: Plan,
) -> None:
    response = pdf_response(plan_at_limits, organisation="Acme", request=RequestFactory().get(PATH))
    assert response.status_code == 422
    page = response.content.decode()
    assert "too long for one PDF" in page
    for n in (1, 50):
        assert f'href="{PATH}?organisation={n}"' in page
    assert 'href="/p/some-token/instructions.txt"' in page
    assert "Content-Disposition" not in response


def test_one_organisation_at_the_limits_is_a_pdf(plan_at_limits: Plan) -> None:
    request = RequestFactory().get(PATH, {"organisation": "50"})
    response = pdf_response(plan_at_limits, organisation="Acme", request=request)
    assert response.status_code == 200, response.content[:300]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Recipient organisation 49" in text
    assert "Recipient organisation 48" not in text
    assert cache.get("pdf-render-slot:0") is None  # the slot was given back


@pytest.mark.parametrize("bad", ["0", "51", "x", "1.5", "-1", "٣", "9" * 5000, "", "\x00"])
def test_it_refuses_an_organisation_that_is_not_in_the_plan(
    plan_at_limits: Plan,
    bad: str,
) -> None:
    request = RequestFactory().get(PATH, {"organisation": bad})
    response = pdf_response(plan_at_limits, organisation="Acme", request=request)
    assert response.status_code == 400
    assert "must be a number from 1 to 50" in response.content.decode()


def test_it_answers_503_when_every_rendering_slot_is_taken(settings: Any) -> None:
    settings.PDF_MAX_CONCURRENT = 2
    for slot in range(2):
        cache.add(f"pdf-render-slot:{slot}", 1, 60)  # two PDFs being made in other workers
    response = pdf_response(limits_plan(1), organisation="Acme", request=RequestFactory().get(PATH))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Too many PDFs are being made" in page and "/p/some-token/instructions.txt" in page


def test_a_free_slot_is_used_and_given_back(settings: Any) -> None:
    settings.PDF_MAX_CONCURRENT = 2
    cache.add("pdf-render-slot:0", 1, 60)
    with pdf.rendering_slot():
        assert cache.get("pdf-render-slot:1") == 1
        with pytest.raises(pdf.PdfBusy), pdf.rendering_slot():
            pass
    assert cache.get("pdf-render-slot:1") is None
