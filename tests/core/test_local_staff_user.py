import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_it_refuses_outside_local_development(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("local_staff_user")
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_it_creates_one_staff_user_and_prints_the_password_once(settings, capsys) -> None:
    settings.DEBUG = True
    call_command("local_staff_user")
    first = capsys.readouterr().out
    assert "password" in first and "shown once" in first
    user = get_user_model().objects.get(username="support")
    assert user.is_staff

    call_command("local_staff_user")
    second = capsys.readouterr().out
    assert "shown once" not in second
    assert get_user_model().objects.count() == 1
