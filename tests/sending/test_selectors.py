from datetime import datetime

import pytest

from apps.sending.models import PlatformFacts
from apps.sending.selectors import PlatformNotConfigured, platform_info


@pytest.mark.django_db
def test_it_returns_the_active_facts_as_plain_values() -> None:
    info = platform_info()
    assert info.shared_address == "member@smartsurveyuser.com"
    assert info.server_hostnames == ("ms1.ssmx.net", "ms7.ssmx.net", "ms8.ssmx.net")
    assert info.spf_include == "spf.ssmx.net"
    assert info.bounce_address == ""
    assert isinstance(info.updated_at, datetime)
    assert info.version.count(".") == 1


@pytest.mark.django_db
def test_its_version_changes_with_every_edit() -> None:
    before = platform_info().version
    facts = PlatformFacts.objects.get(is_active=True)
    facts.server_hostnames = ["ms1.ssmx.net"]
    facts.save()
    after = platform_info()
    assert after.version != before
    assert after.version.startswith(f"{facts.pk}.")
    assert after.server_hostnames == ("ms1.ssmx.net",)


@pytest.mark.django_db
def test_it_raises_when_no_record_is_active() -> None:
    PlatformFacts.objects.update(is_active=False)
    with pytest.raises(PlatformNotConfigured):
        platform_info()
