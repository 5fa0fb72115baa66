"""RunCompanion never opens a network connection: a whole session, a reflection and an export, under strace.

Every process runs under ``strace -f`` tracing the system calls that address a peer (connect, sendto,
sendmsg). Local sockets (AF_UNIX: the X server, PulseAudio, D-Bus) are allowed; an AF_INET or AF_INET6
address anywhere fails the test, DNS look-ups included (they would connect to port 53).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.e2e.harness import AppEnv, require, wait_until

pytestmark = pytest.mark.e2e

SESSION = """\
name = "Offline e2e"
[[segments]]
kind = "warmup"
duration = "0:06"
[[segments]]
kind = "run"
duration = "0:06"
effort = 4
"""
SESSION_ID = "offline-e2e"
REFLECTION_TEXT = "Quiet run, nothing left the machine."
ARCHIVE = {
    "format": "runcompanion-journal",
    "version": 1,
    "runs": [
        {
            "started_at": "2024-05-06T07:30:00+00:00",
            "session_id": "easy-30",
            "source": "app",
            "session_name": "Easy 30",
            "planned_s": 1800,
            "status": "finished",
            "ended_at": "2024-05-06T08:00:00+00:00",
            "elapsed_s": 1800,
            "reflection": {
                "feeling_before": -1,
                "feeling_after": 3,
                "effort": 4,
                "prompt": "What did you notice?",
                "text": REFLECTION_TEXT,
                "tags": ["offline"],
                "draft": False,
                "created_at": "2024-05-06T08:01:00+00:00",
                "updated_at": "2024-05-06T08:02:00+00:00",
            },
        }
    ],
}
_PEER_CALL = re.compile(r"\b(connect|sendto|sendmsg)\(")
_NETWORK = re.compile(r"AF_INET6?\b")


def _traced(log: Path, args: Sequence[str]) -> list[str]:
    strace = require("strace", "strace")
    return [
        strace,
        "-f",
        "--seccomp-bpf",  # stop only at the traced calls: the app runs at nearly full speed
        "-e",
        "trace=connect,sendto,sendmsg",
        "-o",
        str(log),
        sys.executable,
        "-m",
        "runcompanion",
        *args,
    ]


def _run_traced(app_env: AppEnv, log: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_traced(log, args), env=app_env.env, capture_output=True, text=True, timeout=120, check=False)


def _network_calls(log: Path) -> list[str]:
    return [line for line in log.read_text(encoding="utf-8").splitlines() if _NETWORK.search(line)]


def _unix_connects(log: Path) -> list[str]:
    return [line for line in log.read_text(encoding="utf-8").splitlines() if "connect(" in line and "AF_UNIX" in line]


def _traced_child(tracer: subprocess.Popen[str]) -> int:
    """The app's process id: strace's only child."""
    children = Path(f"/proc/{tracer.pid}/task/{tracer.pid}/children").read_text(encoding="ascii").split()
    assert len(children) == 1, children
    return int(children[0])


@pytest.mark.timeout(300)
def test_a_whole_session_with_reflection_and_export_opens_no_network_connection(
    app_env: AppEnv, tmp_path: Path
) -> None:
    logs = tmp_path / "strace"
    logs.mkdir()
    session_file = tmp_path / "offline.toml"
    session_file.write_text(SESSION, encoding="utf-8")
    archive_file = tmp_path / "journal-in.json"
    archive_file.write_text(json.dumps(ARCHIVE), encoding="utf-8")
    exported = tmp_path / "journal-out.json"

    imported = _run_traced(app_env, logs / "import-session.log", "sessions", "import", str(session_file))
    assert imported.returncode == 0, imported.stderr

    tracer = subprocess.Popen(
        _traced(logs / "run.log", ["run", SESSION_ID, "--seed", "1"]),
        env=app_env.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        app_env.wait_for_log(f"started: {SESSION_ID} (seed 1)", timeout=90, proc=tracer)
        app_env.wait_for_log("finished after", timeout=90, proc=tracer)
        # The run ended: its reflection dialog is open now. The desktop asks the app to close.
        wait_until(lambda: Path(f"/proc/{tracer.pid}").exists(), 5, "strace to be running")
        app_pid = _traced_child(tracer)
        subprocess.run(["kill", "-TERM", str(app_pid)], check=True, timeout=10)
        _out, err = tracer.communicate(timeout=60)
    finally:
        if tracer.poll() is None:
            tracer.send_signal(signal.SIGKILL)
            tracer.communicate(timeout=30)
    assert tracer.returncode == 0, err
    assert "Traceback" not in err

    reflected = _run_traced(app_env, logs / "journal-import.log", "journal", "import", str(archive_file))
    assert reflected.returncode == 0, reflected.stderr
    export = _run_traced(
        app_env, logs / "journal-export.log", "journal", "export", "--format", "json", "--out", str(exported)
    )
    assert export.returncode == 0, export.stderr

    journal = json.loads(exported.read_text(encoding="utf-8"))
    runs = {run["session_id"]: run for run in journal["runs"]}
    assert runs[SESSION_ID]["status"] == "finished"
    assert runs["easy-30"]["reflection"]["text"] == REFLECTION_TEXT
    for log in sorted(logs.iterdir()):
        assert _network_calls(log) == [], f"{log.name}: a network address in a system call"
    # strace did see the app's local sockets, so an empty list above means something.
    gui_connects = _unix_connects(logs / "run.log")
    assert any("X11-unix" in line for line in gui_connects), gui_connects
    assert any("pulse" in line for line in gui_connects), gui_connects
    assert all(_PEER_CALL.search(line) for line in gui_connects)
