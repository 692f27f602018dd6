from __future__ import annotations

import pytest

from apps.policies.addresses import (
    InvalidAddress,
    addresses_in_text,
    domains_named_in_text,
    normalise_address,
    normalise_domain,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Example.COM", ("example.com", "example.com")),
        ("example.com.", ("example.com", "example.com")),
        ("Bücher.example", ("xn--bcher-kva.example", "bücher.example")),
        ("xn--bcher-kva.example", ("xn--bcher-kva.example", "bücher.example")),
    ],
)
def test_it_normalises_domains(raw, expected) -> None:
    assert normalise_domain(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "localhost", "exa mple.com", "-a.example", "a..example", "192.0.2.1", "a_b.example"]
)
def test_it_rejects_what_is_not_a_domain(raw) -> None:
    with pytest.raises(InvalidAddress):
        normalise_domain(raw)


@pytest.mark.parametrize("raw", ["", "plain", "a@", "@b.example", "a b@c.example", "a@b"])
def test_it_rejects_what_is_not_an_address(raw) -> None:
    with pytest.raises(InvalidAddress):
        normalise_address(raw)


def test_it_lowercases_the_mailbox_and_the_domain() -> None:
    assert normalise_address(" Luke@SomeCompany.EXAMPLE ").address == "luke@somecompany.example"


def test_it_finds_addresses_inside_a_display_name() -> None:
    found = addresses_in_text('"luke@SomeCompany.example" via surveys, <no@pe>')
    assert [a.address for a in found] == ["luke@somecompany.example"]


def test_it_finds_domains_named_as_whole_words_only() -> None:
    domains = ("customer.example", "bücher.example")
    assert domains_named_in_text("HR at Customer.Example", domains) == ("customer.example",)
    assert domains_named_in_text("mycustomer.example team", domains) == ()
    assert domains_named_in_text("customer.example.org", domains) == ()
    assert domains_named_in_text("Bücher.example news", domains) == ("bücher.example",)
