"""Support console search on 100,000 profiles: p50 / p95 per typical query, SQLite and PostgreSQL.

    .venv/bin/python bench/search_bench.py [--profiles 100000] [--runs 200] [--only sqlite|postgres]

For each database it creates a fresh one (a temporary SQLite file; a new PostgreSQL database on
BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432, dropped afterwards), migrates it,
loads the profiles with `manage.py generate_fake_profiles`, then times what the search page does
for one query (count, first page of 25, gateways) on queries picked from the data. Each database
is measured in its own process, since Django's settings are fixed once per process.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
GOAL_MS = 100.0


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "DJANGO_DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }


def _manage(database_url: str, *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", *args], cwd=ROOT, env=_env(database_url), check=True
    )


def _load(database_url: str, profiles: int) -> float:
    _manage(database_url, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    _manage(database_url, "generate_fake_profiles", str(profiles), "--seed", "7", "-v0")
    return time.monotonic() - started


def _measure_here(runs: int) -> None:
    """Runs inside the child process: Django set up on DATABASE_URL."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection

    from apps.customers.models import CustomerProfile, RecipientDomain
    from apps.support.selectors import search_page

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rng = random.Random(11)
    total = CustomerProfile.objects.count()
    sample = list(
        CustomerProfile.objects.order_by("?").values_list("organisation", "contact_email")[:runs]
    )
    domains = list(RecipientDomain.objects.order_by("?").values_list("domain", flat=True)[:runs])
    references = list(
        CustomerProfile.objects.exclude(account_reference="")
        .order_by("?")
        .values_list("account_reference", flat=True)[:runs]
    )
    queries = {
        "organisation prefix": [org[: rng.randint(4, 10)] for org, _ in sample],
        "contact email": [email for _, email in sample],
        "recipient domain": domains,
        "account reference": references,
        "no match": [f"zz-{rng.randint(0, 10**6)}-nothing" for _ in range(runs)],
    }
    print(f"{connection.vendor}: {total:,} profiles")
    for name, values in queries.items():
        search_page(values[0], 1)  # warm the connection and caches
        timings = []
        for value in values:
            started = time.perf_counter()
            page = search_page(value, 1)
            len(page.object_list), page.paginator.count
            timings.append((time.perf_counter() - started) * 1000)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        verdict = "ok" if p95 < GOAL_MS else f"OVER the {GOAL_MS:.0f} ms goal"
        print(
            f"  {name:<20} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({len(values)} runs, {verdict})"
        )


def _measure(database_url: str, runs: int) -> None:
    subprocess.run(  # noqa: S603 - this script, again
        [PYTHON, __file__, "--measure-here", "--runs", str(runs)],
        cwd=ROOT,
        env=_env(database_url),
        check=True,
    )


def bench_sqlite(profiles: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="safelist-bench-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        seconds = _load(url, profiles)
        print(f"sqlite: loaded {profiles:,} profiles in {seconds:.0f} s")
        _measure(url, runs)


def bench_postgres(profiles: int, runs: int) -> None:
    import psycopg

    name = f"safelist_bench_{uuid.uuid4().hex[:8]}"
    admin = f"{POSTGRES}/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"postgresql: skipped, no server to use at {POSTGRES} ({error})")
        return
    try:
        url = f"{POSTGRES}/{name}"
        seconds = _load(url, profiles)
        print(f"postgresql: loaded {profiles:,} profiles in {seconds:.0f} s")
        _measure(url, runs)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--measure-here", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_here:
        _measure_here(args.runs)
        return
    print(f"Support search benchmark: {args.profiles:,} profiles, goal p95 < {GOAL_MS:.0f} ms")
    if args.only in (None, "sqlite"):
        bench_sqlite(args.profiles, args.runs)
    if args.only in (None, "postgres"):
        bench_postgres(args.profiles, args.runs)


if __name__ == "__main__":
    main()
