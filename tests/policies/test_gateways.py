"""The one gateway table: ids, labels, MX suffixes and the regions MX hosts name."""

from apps.policies import gateways, mimecast


def test_every_gateway_id_and_label_is_unique() -> None:
    ids = [g.id for g in gateways.GATEWAYS]
    labels = [g.label for g in gateways.GATEWAYS]
    assert len(set(ids)) == len(ids) and len(set(labels)) == len(labels)


def test_every_region_an_mx_host_names_has_a_label_and_a_console() -> None:
    for _prefix, domain, code in gateways.REGION_MX_PREFIXES:
        assert mimecast.REGIONS[code].console_url.startswith("https://login-")
        assert domain in gateways.BY_ID[gateways.MIMECAST].mx_suffixes


def test_the_api_gateway_is_never_detected_from_mx() -> None:
    assert gateways.BY_ID[gateways.MIMECAST_API] not in gateways.DETECTABLE
    assert all(g.mx_suffixes for g in gateways.DETECTABLE)


def test_label_names_an_unknown_or_missing_gateway() -> None:
    assert gateways.label("cisco") == "Cisco Secure Email"
    assert gateways.label(None) == "Unknown"
    assert gateways.label("new_gateway") == "New Gateway"
