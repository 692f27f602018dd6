"""docker-compose.yml must validate as Compose v2 reads it (no Docker engine needed)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# `make compose-plugin` installs Compose v2 there for the docker client.
DOCKER_CONFIG = BASE_DIR / ".tools" / "docker"


def _compose(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker client on this machine")
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    if (DOCKER_CONFIG / "cli-plugins" / "docker-compose").exists():
        environment["DOCKER_CONFIG"] = str(DOCKER_CONFIG)
    version = subprocess.run(  # noqa: S603 (the docker client, fixed arguments)
        [docker, "compose", "version"], env=environment, capture_output=True, check=False
    )
    if version.returncode != 0:
        pytest.skip("no Compose v2 plugin for the docker client (make compose-plugin)")
    return subprocess.run(  # noqa: S603
        # A developer's own .env must not change what is checked.
        [docker, "compose", "--project-directory", str(BASE_DIR), "--env-file", os.devnull, *args],
        cwd=BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_validates_with_the_required_secrets_set() -> None:
    result = _compose("config", "--quiet", DJANGO_SECRET_KEY="x" * 50, POSTGRES_PASSWORD="pw")
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_without_a_database_password() -> None:
    result = _compose("config", "--quiet", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_web_waits_for_healthy_services_and_a_finished_migration() -> None:
    result = _compose(
        "config", "--format", "json", DJANGO_SECRET_KEY="x" * 50, POSTGRES_PASSWORD="pw"
    )
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert {name: dep["condition"] for name, dep in services["web"]["depends_on"].items()} == {
        "migrate": "service_completed_successfully",
        "db": "service_healthy",
        "redis": "service_healthy",
    }
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]
    assert services["web"]["read_only"] is True
    assert services["db"]["volumes"][0]["source"] == "pgdata"


def test_only_the_buffering_proxy_is_published() -> None:
    result = _compose(
        "config", "--format", "json", DJANGO_SECRET_KEY="x" * 50, POSTGRES_PASSWORD="pw"
    )
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert "ports" not in services["web"]  # slow clients never reach gunicorn directly
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert [(p["host_ip"], p["target"]) for p in proxy["ports"]] == [("127.0.0.1", 8080)]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert proxy["volumes"][0]["target"] == "/etc/safelist/nginx.conf"
