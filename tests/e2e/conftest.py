from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import AppEnv, PulseServer, pulse_null_sink, xvfb_display


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    with xvfb_display() as name:
        yield name


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    with pulse_null_sink(tmp_path_factory.mktemp("pulse-runtime")) as server:
        yield server


@pytest.fixture
def app_env(tmp_path: Path, display: str, pulse: PulseServer) -> AppEnv:
    home = tmp_path / "home"
    env = {
        **pulse.env,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "RUNCOMPANION_HOME": str(home),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("WAYLAND_DISPLAY", None)
    return AppEnv(home=home, env=env)
