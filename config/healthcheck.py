"""Container health check: exit 0 when /healthz answers 200, 1 otherwise.

Run as `python -m config.healthcheck` by the Dockerfile's HEALTHCHECK. It sends the first
configured host name, because Django answers 400 to a Host header outside ALLOWED_HOSTS.
"""

import sys
import urllib.error
import urllib.request

from config.env import env_int, env_list


def healthy(port: int, host: str, timeout: float = 3.0) -> bool:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
    # A fixed http URL on loopback, never one from input.
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def configured_host() -> str:
    # ".example.com" allows example.com and its subdomains; "*" allows anything.
    hosts = env_list("DJANGO_ALLOWED_HOSTS")
    first = next((h.lstrip(".") for h in hosts if h != "*"), "")
    return first or "localhost"


if __name__ == "__main__":
    sys.exit(0 if healthy(env_int("PORT", 8000), configured_host()) else 1)
