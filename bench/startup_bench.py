"""A second `make run`: seconds from the command to the first 200 for `/`.

    .venv/bin/python bench/startup_bench.py [--runs 5]

Each run starts `make run` on a free port in its own process group (the environment and the
database under var/ are already in place: a second run), asks for `/` every 0.1 s, records the
seconds until the first 200, then stops the whole group. It also times a plain
`manage.py check`, the start-up every management command pays. Goal: `/` within 5 s.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIVE_UP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def first_200(port: int) -> float:
    started = time.monotonic()
    server = subprocess.Popen(  # noqa: S603
        ["make", "--no-print-directory", "run", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.monotonic() - started < GIVE_UP_SECONDS:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    if answer.status == 200:
                        return time.monotonic() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise SystemExit(f"no 200 from / within {GIVE_UP_SECONDS:.0f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def check_seconds() -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    first_200(free_port())  # the first run may migrate and create the staff user: not counted
    times = []
    for _ in range(args.runs):
        times.append(first_200(free_port()))
        time.sleep(1)
    checks = [check_seconds() for _ in range(args.runs)]
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"load average: {load}")
    print(
        f"make run -> first 200 for /: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s (goal < 5 s)"
    )
    print(f"manage.py check: median {statistics.median(checks):.2f} s, min {min(checks):.2f} s")


if __name__ == "__main__":
    main()
