"""The PDF download at the app's own limits (tests/exports/limits.py: 50 organisations of 20
domains, 20 From addresses), against gunicorn's 30 s worker timeout.

    .venv/bin/python bench/pdf_limits_bench.py [--runs 3]

- whole plan: refused with a page of per-organisation links (422). Goal: < 2 s.
- one organisation: that organisation's PDF (200). Goal: < 10 s (a third of the timeout).

Medians over `--runs`, after one warm-up of each.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATH = "/p/some-token/instructions.pdf"
GOALS = {"whole plan (422)": 2.0, "one organisation (200)": 10.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123")
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")  # the refusal page links the sources
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    logging.disable(logging.WARNING)  # WeasyPrint logs every layout step at INFO
    from django.test import RequestFactory

    from apps.exports.responses import pdf_response
    from tests.exports.limits import limits_plan

    plan = limits_plan()
    requests = {
        "whole plan (422)": (RequestFactory().get(PATH), 422),
        "one organisation (200)": (RequestFactory().get(PATH, {"organisation": "50"}), 200),
    }
    met = True
    for case, (request, status) in requests.items():
        times = []
        for run in range(args.runs + 1):
            started = time.perf_counter()
            response = pdf_response(plan, organisation="Acme", request=request)
            elapsed = time.perf_counter() - started
            assert response.status_code == status, (case, response.status_code)
            if run:  # the first is the warm-up
                times.append(elapsed)
        median = statistics.median(times)
        ok = median < GOALS[case]
        met &= ok
        verdict = "met" if ok else "NOT met"
        print(f"{case:24} {median:6.2f} s median  (goal < {GOALS[case]:g} s: {verdict})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
