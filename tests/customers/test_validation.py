import pytest
from django.core.exceptions import ValidationError

from apps.customers.validation import (
    domain_display,
    normalise_domain,
    normalise_email,
    split_list,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("@example.com", "example.com"),
        ("Bücher.example", "xn--bcher-kva.example"),
        # What people paste: a web address or an email address means its domain.
        ("http://example.com/", "example.com"),
        ("https://www.Example.com/contact?x=1", "www.example.com"),
        ("luke@Example.com", "example.com"),
    ],
)
def test_it_normalises_domains_to_lower_case_a_labels(raw: str, expected: str) -> None:
    assert normalise_domain(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "localhost", "a..b", "-a.example", "1.2.3.4", "a b.com", "x@@y.com", "http://"]
)
def test_it_rejects_invalid_domains(raw: str) -> None:
    with pytest.raises(ValidationError):
        normalise_domain(raw)


def test_it_normalises_email_addresses() -> None:
    assert normalise_email(" Luke@Bücher.Example ") == "luke@xn--bcher-kva.example"


@pytest.mark.parametrize("raw", ["", "luke", "luke@", "@example.com", "luke@@example.com"])
def test_it_rejects_invalid_email_addresses(raw: str) -> None:
    with pytest.raises(ValidationError):
        normalise_email(raw)


def test_it_shows_idn_domains_in_unicode() -> None:
    assert domain_display("xn--bcher-kva.example") == "bücher.example"


def test_it_keeps_mailbox_names_ascii() -> None:
    # policies.addresses accepts SMTPUTF8 mailboxes; a stored answer must not.
    with pytest.raises(ValidationError):
        normalise_email("jürgen@example.com")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("a@example.com b@example.com", ["a@example.com", "b@example.com"]),
        (
            "a@example.com,\nb@example.com; c@example.com",
            ["a@example.com", "b@example.com", "c@example.com"],
        ),
        ("Luke Example <luke@example.com>", ["luke@example.com"]),
        ('"Own Org" <a@example.com>, b@example.com', ["a@example.com", "b@example.com"]),
    ],
)
def test_it_splits_what_was_typed_into_entries(typed: str, expected: list[str]) -> None:
    assert split_list(typed) == expected
