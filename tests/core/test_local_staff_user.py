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


@pytest.mark.django_db
def test_it_applies_migrations_first_when_asked(settings, monkeypatch) -> None:
    settings.DEBUG = True
    ran: list[str] = []
    real = call_command

    def recording(name, *args, **kwargs):
        ran.append(name)
        return real(name, *args, **kwargs)

    module = "apps.core.management.commands.local_staff_user"
    monkeypatch.setattr(f"{module}.call_command", recording)
    call_command("local_staff_user", migrate=True)
    assert ran == []  # the test database is up to date: nothing to say
    monkeypatch.setattr(f"{module}._unapplied_migrations", lambda: True)
    call_command("local_staff_user", migrate=True)
    assert ran == ["migrate"]
    assert get_user_model().objects.filter(username="support", is_staff=True).exists()
