import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env


def test_env_bool_accepts_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("1", True), ("yes", True), ("On", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("SAFELIST_FLAG", raw)
        assert env.env_bool("SAFELIST_FLAG") is expected


def test_env_bool_rejects_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFELIST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SAFELIST_FLAG"):
        env.env_bool("SAFELIST_FLAG")


def test_env_str_requires_a_value_without_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFELIST_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SAFELIST_REQUIRED"):
        env.env_str("SAFELIST_REQUIRED")


def test_env_int_rejects_words_and_small_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFELIST_N", "ten")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("SAFELIST_N", 1)
    monkeypatch.setenv("SAFELIST_N", "0")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("SAFELIST_N", 1, minimum=1)


@pytest.mark.parametrize("raw", ["soon", "0", "-1", "nan", "inf"])
def test_env_float_rejects_words_non_finite_and_non_positive_numbers(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("SAFELIST_SECONDS", raw)
    with pytest.raises(ImproperlyConfigured, match="SAFELIST_SECONDS"):
        env.env_float("SAFELIST_SECONDS", 2.0)


def test_env_float_reads_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFELIST_SECONDS", " 0.5 ")
    assert env.env_float("SAFELIST_SECONDS", 2.0) == 0.5


def test_env_list_splits_and_trims(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFELIST_HOSTS", " a.example , b.example,,")
    assert env.env_list("SAFELIST_HOSTS") == ["a.example", "b.example"]


def test_env_rate_checks_the_syntax(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFELIST_RATE", "60/m")
    assert env.env_rate("SAFELIST_RATE", "1/s") == "60/m"
    monkeypatch.setenv("SAFELIST_RATE", "sixty")
    with pytest.raises(ImproperlyConfigured):
        env.env_rate("SAFELIST_RATE", "1/s")


def test_env_choice_accepts_any_case_and_rejects_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFELIST_PAPER", "letter")
    assert env.env_choice("SAFELIST_PAPER", "A4", ("A4", "Letter")) == "Letter"
    monkeypatch.setenv("SAFELIST_PAPER", "Legal")
    with pytest.raises(ImproperlyConfigured, match="SAFELIST_PAPER"):
        env.env_choice("SAFELIST_PAPER", "A4", ("A4", "Letter"))


def _settings_stderr(**env: str) -> str:
    """Load the settings in a fresh process with only `env`; its stderr ("" when they load)."""
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; settings.SECRET_KEY",
        ],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr if result.returncode else ""


def test_settings_refuse_to_start_without_a_secret_key_when_not_debugging() -> None:
    assert "DJANGO_SECRET_KEY" in _settings_stderr()


def test_settings_refuse_a_paper_size_the_pdf_cannot_use() -> None:
    # Otherwise the mistake would surface only as a failing PDF download.
    assert "PDF_PAGE_SIZE" in _settings_stderr(DJANGO_SECRET_KEY="x" * 50, PDF_PAGE_SIZE="Legal")
