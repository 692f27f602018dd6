"""What every `manage.py` process pays and prints before it does what was asked: no PDF or DNS
client library from the URLconf or the checks, no warnings or log lines nobody asked for, and a
process that made a PDF exits without a traceback. Each runs in a fresh interpreter, so nothing
else in the test run has loaded or configured anything first."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Seconds to import (WeasyPrint and Pango through cffi) or the network half of dnspython and the
# libraries built on it: loaded where a PDF is made or a name is looked up, never at start-up.
HEAVY = ("weasyprint", "pydyf", "checkdmarc", "spf", "dns.resolver", "dns.query", "dns.message")


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TMPDIR": str(tmp_path),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


def _manage(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return _run(["manage.py", *command.split()], tmp_path)


def test_the_urlconf_and_the_checks_load_no_pdf_or_dns_client_library(tmp_path: Path) -> None:
    code = (
        "import sys, django\n"
        "django.setup()\n"
        "import config.urls\n"
        "from django.core.management import call_command\n"
        "call_command('check', verbosity=0)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = _run(["-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    # The URLconf did import the modules that make PDFs and look names up, just not the libraries.
    assert {"apps.exports.pdf", "apps.dnscheck.facade"} <= loaded
    heavy = sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == []


def test_management_commands_print_only_what_was_asked(tmp_path: Path) -> None:
    first = _manage("migrate", tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert "Applying customers." in first.stdout

    again = _manage("migrate", tmp_path)
    assert (again.stderr, again.stdout.strip().splitlines()[-1]) == (
        "",
        "  No migrations to apply.",
    )

    check = _manage("check", tmp_path)
    assert (check.stderr, check.stdout) == ("", "System check identified no issues (0 silenced).\n")

    for command in ("refresh_platform_ips", "ingest_maillog", "plan", "dnscheck", "run_local"):
        result = _manage(f"{command} --help", tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert result.stdout.startswith(f"usage: manage.py {command} ")
        assert '"level"' not in result.stdout  # no log line


def test_a_process_that_made_a_pdf_exits_quietly_and_leaves_no_font_folder(
    tmp_path: Path,
) -> None:
    code = (
        "import django\ndjango.setup()\nfrom apps.exports import pdf\npdf.warm()\nprint('warm')\n"
    )
    result = _run(["-c", code], tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "warm\n", "")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("weasyprint")) == []
