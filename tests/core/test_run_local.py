"""`make run`'s one command: the first process migrates, creates the staff user and prints the
address before serving; the autoreloader's serving process (and every reload) only serves."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import autoreload

MODULE = "apps.core.management.commands.run_local"


@pytest.fixture
def served(monkeypatch) -> list[tuple[str, tuple[object, ...], dict[str, object]]]:
    """Records the development server's start instead of serving."""
    calls: list[tuple[str, tuple[object, ...], dict[str, object]]] = []
    real = call_command

    def recording(name: str, *args: object, **kwargs: object) -> None:
        if name == "runserver":
            calls.append((name, args, kwargs))
            return
        real(name, *args, **kwargs)

    monkeypatch.setattr(f"{MODULE}.call_command", recording)
    # The first process closes its database connections before it waits for the server; here
    # that would close the test's own database, so it is recorded instead.
    monkeypatch.setattr(connections, "close_all", lambda: calls.append(("close_all", (), {})))
    return calls


@pytest.mark.django_db
def test_the_first_process_prepares_announces_then_serves_with_checks(
    settings, monkeypatch, capsys, served
) -> None:
    settings.DEBUG = True
    monkeypatch.delenv(autoreload.DJANGO_AUTORELOAD_ENV, raising=False)
    call_command("run_local", "127.0.0.1:8123")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/support/" in out and "shown once" in out
    assert out.rstrip().endswith("Safelist is running at http://127.0.0.1:8123/")
    assert get_user_model().objects.filter(username="support", is_staff=True).exists()
    assert served == [
        ("close_all", (), {}),
        ("runserver", ("127.0.0.1:8123",), {"skip_checks": False}),
    ]


@pytest.mark.django_db
def test_the_serving_process_only_serves(settings, monkeypatch, capsys, served) -> None:
    settings.DEBUG = True
    monkeypatch.setenv(autoreload.DJANGO_AUTORELOAD_ENV, "true")
    call_command("run_local", "127.0.0.1:8123")
    assert capsys.readouterr().out == ""
    assert not get_user_model().objects.exists()
    assert served == [("runserver", ("127.0.0.1:8123",), {"skip_checks": False})]


@pytest.mark.django_db
def test_it_refuses_outside_local_development(settings, monkeypatch, served) -> None:
    settings.DEBUG = False
    monkeypatch.delenv(autoreload.DJANGO_AUTORELOAD_ENV, raising=False)
    with pytest.raises(CommandError):
        call_command("run_local", "127.0.0.1:8123")
    assert served == []
    assert not get_user_model().objects.exists()
