"""Where the pinned checkers live once `make a11y-deps` (part of `make test`) has installed them
from tests/a11y/package-lock.json: axe-core for the browser tests, vnu.jar for the HTML."""

from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(path: Path) -> Path:
    """The checker's file, or a failure that says how to get it (never a skip: a gate that is
    silently skipped is no gate)."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make a11y-deps` (part of `make test`)")
    return path
