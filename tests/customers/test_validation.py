import pytest
from django.core.exceptions import ValidationError

from apps.customers.validation import domain_display, normalise_domain, normalise_email


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("@example.com", "example.com"),
        ("Bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_it_normalises_domains_to_lower_case_a_labels(raw: str, expected: str) -> None:
    assert normalise_domain(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "localhost", "a..b", "-a.example", "1.2.3.4", "x@y.com", "a b.com"]
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
