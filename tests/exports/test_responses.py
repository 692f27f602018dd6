import io
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.test import RequestFactory
from pypdf import PdfReader

from apps.exports.pdf import PdfError
from apps.exports.responses import export_filename, json_response, pdf_response, text_response
from apps.policies.serialize import plan_to_dict
from tests.exports.factories import make_plan


@pytest.mark.parametrize(
    ("organisation", "expected"),
    [
        ("Acme Surveys Ltd", "safelist-acme-surveys-ltd-2026-11-28.pdf"),
        ("Bücher & Söhne GmbH", "safelist-bucher-sohne-gmbh-2026-11-28.pdf"),
        ('<img src="http://127.0.0.1:9/x">', "safelist-img-srchttp1270019x-2026-11-28.pdf"),
        ("東京サーベイ", "safelist-plan-2026-11-28.pdf"),
        ("", "safelist-plan-2026-11-28.pdf"),
        ('a"; filename="evil.exe', "safelist-a-filenameevilexe-2026-11-28.pdf"),
    ],
)
def test_it_names_the_file_from_the_organisation_and_date(organisation: str, expected: str) -> None:
    assert (
        export_filename(organisation, datetime(2026, 11, 28, 7, 30, tzinfo=UTC), "pdf") == expected
    )


def test_it_dates_the_file_name_in_utc() -> None:
    late_evening_in_new_york = datetime(2026, 11, 27, 22, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert (
        export_filename("Acme", late_evening_in_new_york, "txt") == "safelist-acme-2026-11-28.txt"
    )


def test_it_keeps_long_names_short() -> None:
    name = export_filename("x" * 300, datetime(2026, 11, 28, tzinfo=UTC), "pdf")
    assert len(name) < 80


def test_the_pdf_is_an_attachment_with_its_file_name() -> None:
    response = pdf_response(make_plan(1), organisation="Acme Surveys Ltd")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="safelist-acme-surveys-ltd-2026-11-28.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 2


def test_it_answers_503_with_a_pointer_to_the_text_export_when_the_pdf_fails(monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise PdfError("The PDF could not be made.")

    monkeypatch.setattr("apps.exports.responses.render_pdf", broken)
    request = RequestFactory().get("/")
    response = pdf_response(make_plan(1), organisation="Acme", request=request)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert "couldn&#x27;t be made" in page or "couldn't be made" in page
    assert "text export still works" in page


def test_its_503_page_renders_without_a_request(monkeypatch) -> None:
    monkeypatch.setattr(
        "apps.exports.responses.render_pdf",
        lambda *a, **k: (_ for _ in ()).throw(PdfError("x")),
    )
    response = pdf_response(make_plan(1), organisation="Acme")
    assert response.status_code == 503
    assert "text export still works" in response.content.decode()


def test_the_text_download_is_an_attachment() -> None:
    response = text_response(make_plan(1), organisation="Acme Surveys Ltd")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="safelist-acme-surveys-ltd-2026-11-28.txt"'
    )
    assert response.content.decode().startswith("# Mimecast instructions for mail from Acme")


def test_the_text_can_be_shown_in_the_browser_for_copying() -> None:
    response = text_response(make_plan(1), organisation="Acme", download=False)
    assert "Content-Disposition" not in response
    assert "umfragen@bücher.example" in response.content.decode()


def test_the_json_is_the_apis_answer() -> None:
    plan = make_plan(3)
    response = json_response(plan)
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == plan_to_dict(plan)


def test_the_json_can_be_downloaded() -> None:
    response = json_response(make_plan(1), organisation="Acme", download=True)
    assert response["Content-Disposition"] == 'attachment; filename="safelist-acme-2026-11-28.json"'
