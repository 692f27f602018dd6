"""The generator is pure: importing it loads no framework, no network, DNS or PDF library and no
other app (checked in a fresh interpreter, so nothing else in the run has loaded them first)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Top-level packages the engine must never pull in. `socket` catches any network client.
FORBIDDEN = ("django", "dns", "socket", "weasyprint", "checkdmarc", "spf", "psycopg", "redis")
# Other apps: the engine depends on none of them.
OTHER_APPS = ("core", "customers", "dnscheck", "exports", "sending", "support", "wizard", "api")


def _loaded_by(modules: str) -> set[str]:
    code = f"import sys\nimport {modules}\nprint('\\n'.join(sorted(sys.modules)))\n"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(result.stdout.split())


def test_the_generator_imports_no_framework_network_or_other_app() -> None:
    loaded = _loaded_by("apps.policies.generator, apps.policies.serialize")
    assert "apps.policies.generator" in loaded  # the check looks at the right interpreter
    bad = sorted(
        m
        for m in loaded
        if m.split(".")[0] in FORBIDDEN or (m.startswith("apps.") and m.split(".")[1] in OTHER_APPS)
    )
    assert bad == []
