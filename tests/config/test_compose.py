"""The compose stack's web command creates no demo users unless CORROBORATE_DEMO=1 asks for them.

The command is run as the container would run it (compose's ``$$`` un-escaped, ``sh -c``), with
``python`` and ``gunicorn`` replaced by stubs that record how they were called."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def web_command() -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["command"]
    assert isinstance(command, str)
    return shlex.split(command.replace("$$", "$"))


def run_web(tmp_path: Path, demo: str | None) -> list[str]:
    log = tmp_path / "calls.log"
    for name in ("python", "gunicorn"):
        stub = tmp_path / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> {log}\n')
        stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}:{os.environ['PATH']}"}
    if demo is not None:
        env["CORROBORATE_DEMO"] = demo
    subprocess.run(web_command(), env=env, check=True, timeout=30)
    return log.read_text().splitlines()


@pytest.mark.parametrize("demo", [None, "0", ""])
def test_the_web_service_loads_no_demo_unless_asked(tmp_path: Path, demo: str | None) -> None:
    calls = run_web(tmp_path, demo)
    assert calls[0] == "python manage.py migrate --noinput"
    assert not any("load_demo" in call for call in calls)
    assert calls[-1].startswith("gunicorn config.wsgi:application")


def test_corroborate_demo_1_loads_the_demo(tmp_path: Path) -> None:
    calls = run_web(tmp_path, "1")
    assert calls[1] == "python manage.py load_demo --force"
    assert calls[-1].startswith("gunicorn config.wsgi:application")


def test_the_app_environment_passes_corroborate_demo_through_off_by_default() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["x-app"]["environment"]["CORROBORATE_DEMO"] == "${CORROBORATE_DEMO:-0}"
