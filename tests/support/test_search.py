"""Search: one box finds a customer by any of the ways staff know them."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers.models import CustomerProfile
from apps.support.selectors import (
    MAX_QUERY_LENGTH,
    PAGE_SIZE,
    domain_form,
    normalise_query,
    search_page,
)
from tests.support.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db


def found(query: str) -> list[object]:
    """The profiles the search finds, in its order (every test here fits one page)."""
    return list(search_page(query, 1).object_list)


@pytest.fixture
def acme() -> CustomerProfile:
    return make_profile(
        "Acme Research Ltd",
        contact_name="Priya Shah",
        contact_email="Priya.Shah@acme-research.example",
        account_reference="SS-104233",
        recipients={"Northwind Health": ["northwind.example", "nw-mail.example"]},
        senders=["surveys@acme-research.example"],
        gateway="mimecast",
    )


@pytest.fixture
def other() -> CustomerProfile:
    return make_profile(
        "Globex Corporation",
        contact_name="Hank Scorpio",
        contact_email="hank@globex.example",
        account_reference="SS-900001",
        recipients={"Initech": ["initech.example"]},
    )


@pytest.mark.parametrize(
    "query",
    [
        "Acme",  # organisation prefix
        "acme research",  # any case, with the space
        "ACME RESEARCH LTD",
        "Research",  # organisation word (contains, when no prefix matches)
        "Priya",  # contact name
        "priya.shah@acme-research.example",  # contact email, any case
        "priya.shah@",  # email prefix
        "SS-104233",  # account reference
        "ss-1042",
        "northwind.example",  # recipient domain
        "NW-Mail.Example.",  # recipient domain, any case, trailing dot
        "acme-research.example",  # sending domain
        "surveys@acme-research.example",  # From address
        "  Acme   Research  ",  # stray spaces
    ],
)
def test_it_finds_a_profile_by_each_field(acme: object, other: object, query: str) -> None:
    assert found(query) == [acme]


def test_it_finds_a_recipient_domain_typed_in_unicode() -> None:
    profile = make_profile(recipients={"Bücher": ["xn--bcher-kva.example"]})
    assert found("Bücher.example") == [profile]


def test_it_finds_organisations_with_accented_letters() -> None:
    profile = make_profile("École Polytechnique Fédérale")
    assert found("École") == [profile]
    assert found("École poly") == [profile]
    assert found("Fédérale") == [profile]


def test_it_returns_nothing_for_no_match_or_empty_input(acme: object) -> None:
    assert found("no-such-customer") == []
    assert found("") == []
    assert found("   ") == []


@pytest.mark.parametrize(
    "query", ["%", "_", "'", '"', "\\", "<script>", "%_'\"\\<>", "a%", "' OR 1=1 --"]
)
def test_it_treats_special_characters_as_plain_text(acme: object, query: str) -> None:
    assert found(query) == []


def test_it_matches_special_characters_literally() -> None:
    odd = make_profile('100% Survey_Co <O\'Brien & "Sons"> \\ Ltd')
    make_profile("100 Surveys")
    assert found("100%") == [odd]
    assert found("100% survey_co <o'brien") == [odd]
    assert found('"sons"') == [odd]


def test_it_caps_very_long_input() -> None:
    make_profile("A" * 200)
    assert len(normalise_query("a" * 10_000)) == MAX_QUERY_LENGTH
    assert search_page("a" * 10_000, 1).paginator.count == 1


def test_it_lists_the_most_recently_changed_first() -> None:
    older = make_profile("Acme One")
    newer = make_profile("Acme Two")
    assert found("acme") == [newer, older]


def test_it_lists_a_profile_once_however_many_fields_match() -> None:
    profile = make_profile(
        "northwind.example",
        recipients={"A": ["northwind.example"], "B": ["x.northwind.example"]},
        senders=["s@northwind.example"],
    )
    assert found("northwind.example") == [profile]


def test_domain_form_gives_the_stored_a_label() -> None:
    assert domain_form("Bücher.Example.") == "xn--bcher-kva.example"
    assert domain_form("not a domain") is None
    assert domain_form("a@b.example") is None


# --- The page -----------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(make_staff())
    return client


def test_the_page_shows_matches_with_contact_gateways_and_status(
    staff_client: Client, acme: object, other: object
) -> None:
    response = staff_client.get(reverse("support:search"), {"q": "northwind.example"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Acme Research Ltd" in html and "Globex" not in html
    assert "Priya Shah" in html and "Mimecast" in html and "Draft" in html
    assert reverse("support:profile", kwargs={"ref": acme.support_ref}) in html  # type: ignore[attr-defined]
    assert "<html" in html  # the full page without JavaScript


def test_htmx_gets_only_the_results(staff_client: Client, acme: object) -> None:
    response = staff_client.get(
        reverse("support:search"), {"q": "acme"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Acme Research Ltd" in html
    assert "<html" not in html and 'name="q"' not in html


def test_the_page_says_when_nothing_matches(staff_client: Client) -> None:
    response = staff_client.get(reverse("support:search"), {"q": "<b>zzz</b>"})
    html = response.content.decode()
    assert "No customer matches" in html
    assert "<b>zzz</b>" not in html and "&lt;b&gt;zzz&lt;/b&gt;" in html


def test_the_page_paginates(staff_client: Client) -> None:
    for n in range(PAGE_SIZE + 3):
        make_profile(f"Paged Org {n:02d}")
    first = staff_client.get(reverse("support:search"), {"q": "paged"}).content.decode()
    second = staff_client.get(
        reverse("support:search"), {"q": "paged", "page": "2"}
    ).content.decode()
    assert first.count("support-result-link") == PAGE_SIZE
    assert second.count("support-result-link") == 3
    assert "page 2 of 2" in second


def test_the_page_accepts_a_bad_page_number(staff_client: Client, acme: object) -> None:
    response = staff_client.get(reverse("support:search"), {"q": "acme", "page": "x'; --"})
    assert response.status_code == 200


def test_the_page_survives_very_long_and_odd_input(staff_client: Client) -> None:
    for query in ["x" * 5000, "%_'\"\\<>", "\x00\x01", "ü" * 300, "@", ".", "@.", "a@"]:
        assert staff_client.get(reverse("support:search"), {"q": query}).status_code == 200


def test_going_back_in_history_gets_the_full_page(staff_client: Client, acme: object) -> None:
    response = staff_client.get(
        reverse("support:search"),
        {"q": "acme"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_a_page_matches_the_search_order_and_counts_each_profile_once() -> None:
    twice = make_profile(
        "Twice Ltd", recipients={"A": ["twice.example"]}, senders=["s@twice.example"]
    )
    for n in range(PAGE_SIZE + 5):
        make_profile(f"Twice Other {n}")
    page = search_page("twice", 1)
    assert page.paginator.count == PAGE_SIZE + 6
    times = [p.updated_at for p in page.object_list]
    assert len(times) == PAGE_SIZE and times == sorted(times, reverse=True)
    assert page.object_list[0].organisation == f"Twice Other {PAGE_SIZE + 4}"  # the newest
    assert twice in search_page("twice", 2).object_list  # the oldest, on the last page
    assert search_page("twice.example", 1).paginator.count == 1
    assert search_page("twice.example", 1).object_list == [twice]
