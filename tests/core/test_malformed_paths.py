"""A NUL byte or any other malformed token or reference in the path: a 400 or 404 before any
query, never a 500 (PostgreSQL refuses NUL inside a query). NUL in the query string is each
view's to handle (tests/support/test_search.py, tests/exports/test_pdf_limits.py)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.customers import selectors
from tests.customers.factories import make_complete_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/p/%00/",
        "/it/%00/",
        "/p/%00/instructions.pdf",
        "/it/%00/instructions.json",
        "/p/abc%00def/recipients/",
        "/%00",
    ],
)
def test_a_nul_byte_anywhere_is_a_400_before_any_query(client: Client, path: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert len(queries) == 0


@pytest.mark.parametrize("token", ["\x00", "a\x00b", "with space", "é" * 10, "", "x" * 65])
def test_a_malformed_token_is_turned_away_without_a_query(token: str) -> None:
    for find in (selectors.profile_by_token, selectors.share_link_by_token):
        with CaptureQueriesContext(connection) as queries:
            assert find(token) is None
        assert len(queries) == 0


def test_a_malformed_reference_is_turned_away_without_a_query() -> None:
    profile = make_complete_profile()
    with CaptureQueriesContext(connection) as queries:
        assert selectors.recipient_account_by_ref(profile, "ref\x00") is None
    assert len(queries) == 0
