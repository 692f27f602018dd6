"""The first PDF a fresh process serves, cold and after the start-up warm-up.

    .venv/bin/python bench/pdf_first.py [--runs 3]

Each run is a new Python process (fonts and stylesheets are loaded once per process): "cold"
times the first `render_pdf` of a 3-account plan straight after Django starts; "warmed" first
calls `apps.exports.pdf.warm()` (what config/wsgi.py does in a background thread when a web
process starts), then times the same first `render_pdf`. Goal: the warmed first PDF no slower
than a warm one (pdf_bench.py: ≤ 0.5 s median for 3 accounts).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, logging, os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123")
import django
django.setup()
logging.disable(logging.WARNING)
from apps.exports.pdf import render_pdf, warm
from tests.exports.factories import make_plan
plan = make_plan(3)
warm_seconds = 0.0
if {warmed!r}:
    started = time.perf_counter()
    warm()
    warm_seconds = time.perf_counter() - started
started = time.perf_counter()
render_pdf(plan, organisation="Bench Ltd")
first = time.perf_counter() - started
started = time.perf_counter()
render_pdf(plan, organisation="Bench Ltd")
second = time.perf_counter() - started
print(json.dumps({{"first": first, "second": second, "warm_up": warm_seconds}}))
"""


def _run(warmed: bool) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), warmed=warmed)
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cold = [_run(False) for _ in range(args.runs)]
    warmed = [_run(True) for _ in range(args.runs)]

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    print(f"runs: {args.runs} fresh processes each, 3-account plan, medians")
    print(f"first PDF, cold:    {median(cold, 'first'):.2f} s")
    print(f"first PDF, warmed:  {median(warmed, 'first'):.2f} s")
    print(f"second PDF (warm):  {median(cold, 'second'):.2f} s")
    print(f"warm-up itself:     {median(warmed, 'warm_up'):.2f} s (in the background)")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
