"""Delivery evidence at scale: ingesting a 1,000,000-line Postfix log, and the support pages for a
domain with a year of hourly data.

    .venv/bin/python bench/delivery_bench.py [--lines 1000000] [--requests 50] [--keep DIR]

1. Generates a Postfix log in the format of the SMTP replies reference (§4.1, §4.4): messages to
   2,000 recipient domains behind Mimecast, Microsoft 365, Google, Proofpoint, Cisco and unknown
   servers; delivered at once, greylisted then delivered, throttled, rejected (Anti-Spoofing,
   DMARC, block lists, unknown users), expired; with qmgr "queue active" / "removed" lines,
   "delivery temporarily suspended" echoes and bounce notices in between, as a real log has.
2. Times `grep -c status=` over the file (the floor: reading the bytes and finding the lines)
   and `ingest` of the same file into a fresh SQLite database: lines per second, the ratio to
   grep (goal: within 10×) and peak memory (the process's maximum resident set size, before and
   after; goal: flat, the file is streamed).
3. Fills one domain with a year of hourly rows and a profile with a ticked step, then requests
   the support domain page (7 and 31 days), the support profile (with its evidence chart) and
   the support home (domains at risk) ~50 times each with Django's test client: p50 and p95
   (goal: < 100 ms p95).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GREP_RATIO_GOAL = 10.0
PAGE_GOAL_MS = 100.0

# (relay host, weight) per gateway, and the replies each gives (reference §3, §4.4).
MIMECAST = "eu-smtp-inbound-1.mimecast.com[192.0.2.21]:25"
M365 = "{tenant}.mail.protection.outlook.com[198.51.100.10]:25"
GOOGLE = "aspmx.l.google.com[192.0.2.40]:25"
PROOFPOINT = "mx0a-00112233.pphosted.com[192.0.2.60]:25"
CISCO = "mx1.hc0000-00.iphmx.com[192.0.2.70]:25"
OTHER = "mail.{domain}[203.0.113.5]:25"
GATEWAYS = ((MIMECAST, 40), (M365, 25), (GOOGLE, 15), (PROOFPOINT, 8), (CISCO, 4), (OTHER, 8))
SAID = "host {host} said: {reply} (in reply to {stage} command)"
DEFERRALS = {
    MIMECAST: (
        "451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/"
        "DOC-1369#451 [aBcDeFgHiJkLmNoPqRsT.uk123]"
    ),
    M365: "451 4.7.500 Server busy. Please try again later from [203.0.113.9]. (AS72830458)",
    GOOGLE: (
        "421-4.7.28 Gmail has detected an unusual rate of mail originating from your SPF domain "
        "[ssmx.example]. 421 4.7.28 For more information, go to Email sender guidelines. - gsmtp"
    ),
    PROOFPOINT: "451 4.7.1 Please try again later",
    CISCO: "452 4.3.1 Insufficient system resources",
    OTHER: "450 4.7.1 Client host rejected: greylisted, try again later",
}
REJECTIONS = {
    MIMECAST: (
        "550 Rejected by header based Anti-Spoofing policy: surveys@{domain} - https://"
        "community.mimecast.com/docs/DOC-1369#550 [ZyXwVuTsRqPoNmLkJiHg.uk45]"
    ),
    M365: (
        "550 5.7.606 Access denied, banned sending IP [203.0.113.9]. To request removal from "
        "this list please visit https://sender.office.com/ AS(1430)"
    ),
    GOOGLE: (
        "550-5.7.26 Unauthenticated email from ssmx.example is not accepted due to domain's "
        "DMARC policy. 550 5.7.26 - gsmtp"
    ),
    PROOFPOINT: "554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=203.0.113.8",
    CISCO: "550 5.1.1 <{local}@{domain}>: Recipient address rejected: User unknown",
    OTHER: "550 5.1.1 <{local}@{domain}>: Recipient address rejected: User unknown",
}


def _stamp(moment: datetime) -> str:
    return f"{moment:%b} {moment.day:2d} {moment:%H:%M:%S}"


def generate(path: Path, lines: int, *, seed: int = 7) -> datetime:
    """Write about `lines` lines; the time of the last one."""
    rng = random.Random(seed)
    domains = [f"org{n}.example" for n in range(2000)]
    hosts = [h for h, _ in GATEWAYS]
    weights = [w for _, w in GATEWAYS]
    gateway_of = {d: rng.choices(hosts, weights)[0] for d in domains}
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    written = 0
    queue = 0
    with path.open("w", encoding="utf-8") as out:
        while written < lines:
            queue += 1
            qid = f"{queue:010X}"
            domain = rng.choice(domains)
            template = gateway_of[domain]
            relay = template.format(tenant=domain.replace(".", "-"), domain=domain)
            host = relay.rsplit(":", 1)[0]
            local = f"user{rng.randrange(10_000)}"
            moment += timedelta(seconds=rng.choice((1, 2, 3)))
            prefix = f"{_stamp(moment)} ms7 postfix"
            block = [
                f"{prefix}/qmgr[2211]: {qid}: from=<bounce@bounce.example.net>, size=18342, "
                "nrcpt=1 (queue active)"
            ]

            head = f"{qid}: to=<{local}@{domain}>, relay={relay}"

            def delivery(status: str, dsn: str, text: str, at: datetime, head: str = head) -> str:
                return (
                    f"{_stamp(at)} ms7 postfix/smtp[3310]: {head}, delay=1.4, "
                    f"delays=0.05/0.01/0.71/0.6, dsn={dsn}, status={status} ({text})"
                )

            outcome = rng.random()
            if outcome < 0.70:
                block.append(delivery("sent", "2.0.0", "250 2.0.0 Ok: queued", moment))
            elif outcome < 0.88:
                reply = DEFERRALS[template]
                retry = moment
                for _ in range(rng.choice((1, 1, 2, 3))):
                    block.append(
                        delivery(
                            "deferred",
                            "4.0.0",
                            SAID.format(host=host, reply=reply, stage="RCPT TO"),
                            retry,
                        )
                    )
                    if rng.random() < 0.2:
                        block.append(
                            f"{_stamp(retry)} ms7 postfix/qmgr[2211]: {qid}X: to=<x@{domain}>, "
                            f"relay=none, delay=12, delays=12/0/0/0, dsn=4.0.0, status=deferred "
                            f"(delivery temporarily suspended: host {host} said: {reply})"
                        )
                    retry += timedelta(minutes=rng.choice((5, 10, 14, 30)))
                block.append(delivery("sent", "2.0.0", "250 2.0.0 Ok: queued", retry))
            elif outcome < 0.98:
                reply = REJECTIONS[template].format(domain=domain, local=local)
                text = SAID.format(host=host, reply=reply, stage="end of DATA")
                block.append(delivery("bounced", "5.0.0", text, moment))
                block.append(
                    f"{prefix}/bounce[3421]: {qid}: sender non-delivery notification: {queue:010X}B"
                )
            else:
                reply = DEFERRALS[template]
                text = SAID.format(host=host, reply=reply, stage="RCPT TO")
                block.append(delivery("deferred", "4.0.0", text, moment))
                block.append(
                    f"{prefix}/qmgr[2211]: {qid}: from=<bounce@bounce.example.net>, "
                    "status=expired, returned to sender"
                )
            block.append(f"{prefix}/qmgr[2211]: {qid}: removed")
            out.write("\n".join(block) + "\n")
            written += len(block)
    return moment


def _postgres(url: str, statement: str) -> None:
    """Run CREATE or DROP DATABASE for `url`'s database, from the server's `postgres` database."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL(statement).format(sql.Identifier(name)))


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _grep(path: Path) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(3):
        started = time.perf_counter()
        result = subprocess.run(  # noqa: S603 - fixed program
            ["grep", "-c", "status=", str(path)],  # noqa: S607 - grep from PATH
            capture_output=True,
            text=True,
            check=False,
        )
        best = min(best, time.perf_counter() - started)
        count = int(result.stdout.strip() or 0)
    return best, count


def _storage_floor(database: Path, workdir: Path) -> tuple[float, int]:
    """Seconds to write the ingest's domain-hour rows alone: the same rows, already encoded,
    into an empty copy of the table with its indexes (one executemany, one commit, no Python
    parsing or merging). What any ingest into this database pays at least."""
    import sqlite3

    source = sqlite3.connect(database)
    table = "delivery_domainhour"
    ddl = [
        sql
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL", (table,)
        )
    ]
    rows = source.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608 - fixed name
    source.close()
    copy = workdir / "floor.sqlite3"
    copy.unlink(missing_ok=True)
    target = sqlite3.connect(copy)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    for sql in ddl:
        target.execute(sql)
    marks = ", ".join("?" * len(rows[0])) if rows else "?"
    started = time.perf_counter()
    target.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608 - fixed name
    target.commit()
    seconds = time.perf_counter() - started
    target.close()
    copy.unlink(missing_ok=True)
    return seconds, len(rows)


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def _year_of_data(domain: str, end: datetime) -> None:
    from apps.delivery.models import DomainHour

    rng = random.Random(3)
    start = end - timedelta(days=365)
    rows = []
    for i in range(365 * 24):
        attempts = rng.randrange(5, 60)
        deferred = rng.randrange(0, attempts // 3 + 1)
        rejected = rng.randrange(0, 3)
        rows.append(
            DomainHour(
                domain=domain,
                hour=start + timedelta(hours=i),
                attempts=attempts,
                delivered=attempts - deferred - rejected,
                deferred={"greylisting": deferred} if deferred else {},
                rejected={"anti_spoofing": rejected} if rejected else {},
                delays={"0": attempts - deferred - rejected, "840": deferred},
                gateways={"mimecast": attempts},
            )
        )
    DomainHour.objects.bulk_create(rows, batch_size=2000)


def _pages(requests: int) -> list[tuple[str, float, float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from apps.customers.models import ChecklistTick, CustomerProfile, RecipientAccount
    from apps.customers.models import RecipientDomain as Domain

    domain = "year-of-data.example"
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    _year_of_data(domain, end)
    profile = CustomerProfile.objects.create(
        organisation="Bench Ltd", contact_name="Bench", contact_email="bench@bench.example"
    )
    account = RecipientAccount.objects.create(profile=profile, organisation="Year Org")
    Domain.objects.create(account=account, domain=domain, gateway="mimecast")
    tick = ChecklistTick.objects.create(
        profile=profile, account_ref=account.ref, step_key="greylisting_bypass-1"
    )
    ChecklistTick.objects.filter(pk=tick.pk).update(done_at=end - timedelta(days=10))
    staff = get_user_model().objects.create_user("bench", is_staff=True)
    client = Client()
    client.force_login(staff)
    figure_url = reverse("delivery_support:domain", kwargs={"domain": domain})
    cases = [
        ("support domain page, 7 days", figure_url),
        ("support domain page, 31 days", figure_url + "?days=31"),
        ("support profile with evidence", reverse("support:profile", args=[profile.support_ref])),
        ("support home (domains at risk)", reverse("support:search")),
    ]
    from apps.delivery.selectors import evidence_for_profile

    results = []
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        evidence_for_profile(profile)
        times.append(time.perf_counter() - started)
    results.append(("evidence alone (selectors.evidence_for_profile)", *_percentiles(times)))
    for label, url in cases:
        for _ in range(3):  # warm-up
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        results.append((label, *_percentiles(times)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="write the log and database here and keep them")
    parser.add_argument(
        "--database-url",
        help="ingest into a new PostgreSQL database of this URL instead of a fresh SQLite file, "
        "e.g. postgres://postgres@127.0.0.1:5432/safelist_bench (created, dropped after)",
    )
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="safelist-delivery-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "maillog"
    database = workdir / "bench.sqlite3"
    database.unlink(missing_ok=True)
    os.environ.update(
        {
            "DATABASE_URL": args.database_url or f"sqlite:///{database}",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_STATIC_MANIFEST": "0",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    if args.database_url:
        _postgres(args.database_url, "CREATE DATABASE {}")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from apps.delivery.models import DomainHour
        from apps.delivery.services import ingest

        call_command("migrate", "--noinput", verbosity=0)

        started = time.perf_counter()
        generate(log, args.lines)
        size_mb = log.stat().st_size / 1e6
        took = time.perf_counter() - started
        print(f"generated {args.lines:,} lines ({size_mb:.0f} MB) in {took:.1f} s")

        grep_seconds, grep_count = _grep(log)
        print(f"grep -c status=: {grep_count:,} lines in {grep_seconds * 1000:.0f} ms (best of 3)")

        rss_before = _maxrss_mb()
        cpu_before = time.process_time()
        started = time.perf_counter()
        with log.open("rb") as stream:
            counts = ingest(stream, "postfix", name=str(log), year=2026)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_before
        rss_after = _maxrss_mb()
        ratio = seconds / grep_seconds
        print(
            f"ingest: read {counts.read:,}, ingested {counts.ingested:,}, ignored "
            f"{counts.ignored:,}, skipped {counts.skipped:,}, notifications "
            f"{counts.notifications:,}; {DomainHour.objects.count():,} domain-hours"
        )
        print(
            f"ingest: {seconds:.1f} s wall ({cpu:.1f} s CPU), "
            f"{counts.read / seconds:,.0f} lines/s; "
            f"{ratio:.1f}× grep (goal ≤ {GREP_RATIO_GOAL:.0f}×: "
            f"{'met' if ratio <= GREP_RATIO_GOAL else 'NOT met'})"
        )
        if not args.database_url:
            floor_seconds, floor_rows = _storage_floor(database, workdir)
            print(
                f"storage floor: writing the {floor_rows:,} domain-hour rows alone takes "
                f"{floor_seconds:.2f} s ({floor_seconds / grep_seconds:.1f}× grep)"
            )
        print(
            f"peak memory (max RSS): {rss_before:.0f} MB before, {rss_after:.0f} MB after "
            f"ingest (+{rss_after - rss_before:.0f} MB for a {size_mb:.0f} MB file)"
        )

        for label, p50, p95 in _pages(args.requests):
            verdict = "met" if p95 < PAGE_GOAL_MS else "NOT met"
            print(
                f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {args.requests} requests "
                f"(goal p95 < {PAGE_GOAL_MS:.0f} ms: {verdict})"
            )
    finally:
        if args.database_url:
            from django.db import connections

            connections.close_all()
            _postgres(args.database_url, "DROP DATABASE IF EXISTS {}")
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
