"""A short, real run of an installed RunCompanion: the command line, speech to a file, the plan and the window.

    python scripts/smoke.py --app PATH/TO/runcompanion [--window] [--minimal-env]

``--app`` is the program to test: a virtual environment's ``runcompanion`` (the minimum-versions smoke in
``scripts/dev.sh test``) or the standalone bundle's ``RunCompanion`` (``scripts/build-bundle.sh --smoke``). Every
step runs it as a subprocess with a fresh data folder and checks what it printed or wrote; the first failure
ends the script with status 1 and says which step and why. ``--window`` also starts the app on a virtual X
screen (Xvfb) and waits for its first paint. ``--minimal-env`` runs the app as ``env -i`` would, with only
HOME, PATH=/usr/bin:/bin (after checking no Python is on it) and, for the window, DISPLAY: a bundle must not
lean on the developer's environment. Uses only the standard library, so any Python can run it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

# Short enough to render in seconds, long enough for a start cue, a change with its countdown and the end.
SESSION_TOML = """\
id = "smoke-2min"
name = "Smoke two minutes"
description = "A short walk and a jog, to check an installation speaks."
tags = ["smoke"]

[[segments]]
kind = "walk"
duration = "1:00"
label = "Walk"
speed_kmh = 5.0

[[segments]]
kind = "run"
duration = "1:00"
label = "Easy jog"
speed_kmh = 7.5
"""
SESSION_ID = "smoke-2min"
SESSION_S = 120.0
SINK = "rc_smoke"


class SmokeFailure(Exception):
    pass


class Smoke:
    def __init__(self, app: Path, work: Path, minimal_env: bool) -> None:
        self.app = app
        self.work = work
        self.home = work / "home"
        self.data = work / "runcompanion"
        self.home.mkdir()
        self.has_sound = False
        if minimal_env:
            # What `env -i HOME=... PATH=/usr/bin:/bin` leaves: the bundle must find everything inside itself.
            self.env = {"HOME": str(self.home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
            for folder in self.env["PATH"].split(":"):
                found = [p.name for p in Path(folder).glob("python*") if p.is_file()]
                if found:
                    # Debian's own tools need /usr/bin/python3, so it cannot be uninstalled here: hide it instead.
                    self.env["PATH"] = self._path_without_python()
                    break
        else:
            self.env = {**os.environ, "HOME": str(self.home)}
            for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
                self.env.pop(name, None)
        self.env.pop("RUNCOMPANION_HOME", None)
        # Without a screen, Qt's offscreen platform lets doctor check the rest; --window gives it a real X screen.
        self.env["QT_QPA_PLATFORM"] = "offscreen"

    def use_display(self, display: str) -> None:
        self.env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")

    def _path_without_python(self) -> str:
        # A folder of links to /usr/bin's tools except every python*: the app sees a PATH with no Python on it.
        shadow = self.work / "bin"
        shadow.mkdir()
        for tool in Path("/usr/bin").iterdir():
            if not tool.name.startswith("python") and tool.is_file():
                (shadow / tool.name).symlink_to(tool)
        return str(shadow)

    def run(self, *args: str, timeout: float = 180, expect: Sequence[int] = (0,)) -> subprocess.CompletedProcess[str]:
        command = [str(self.app), "--data-dir", str(self.data), *args]
        result = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=timeout, check=False)
        if result.returncode not in expect:
            raise SmokeFailure(
                f"`{' '.join(args)}` exited with {result.returncode}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
            )
        return result

    def no_python_on_path(self) -> None:
        where = shutil.which("python3", path=self.env["PATH"]) or shutil.which("python", path=self.env["PATH"])
        if where is not None:
            raise SmokeFailure(f"the minimal environment still has a Python on PATH: {where}")

    def sessions(self) -> str:
        listed = json.loads(self.run("sessions", "--json").stdout)
        builtin = [s["id"] for s in listed if s["builtin"]]
        if len(builtin) < 3:
            raise SmokeFailure(f"expected the built-in sessions, got {builtin}")
        return f"{len(builtin)} built-in sessions"

    def import_session(self) -> str:
        source = self.work / "smoke.toml"
        source.write_text(SESSION_TOML, encoding="utf-8")
        self.run("sessions", "import", str(source))
        listed = json.loads(self.run("sessions", "--json").stdout)
        mine = [s for s in listed if s["id"] == SESSION_ID]
        if not mine or mine[0]["builtin"] or mine[0]["total_s"] != SESSION_S:
            raise SmokeFailure(f"the imported session is not listed as expected: {mine}")
        return f"imported {SESSION_ID}"

    def fit_round_trip(self) -> str:
        # Written with fit-tool, read back with Garmin's FIT SDK, into a second data folder that lacks the session.
        fit = self.work / "smoke.fit"
        self.run("sessions", "export", SESSION_ID, "--out", str(fit))
        other = self.work / "other-data"
        command = [str(self.app), "--data-dir", str(other)]
        for args in (["sessions", "import", str(fit)], ["sessions", "--json"]):
            result = subprocess.run(
                [*command, *args], env=self.env, capture_output=True, text=True, timeout=180, check=False
            )
            if result.returncode != 0:
                raise SmokeFailure(
                    f"`{' '.join(args)}` in a second data folder exited {result.returncode}: {result.stderr}"
                )
        mine = [s for s in json.loads(result.stdout) if not s["builtin"]]
        # A FIT workout keeps the name, not our id: the id is made from the name again.
        if [(s["name"], s["total_s"], s["segments"]) for s in mine] != [("Smoke two minutes", SESSION_S, 2)]:
            raise SmokeFailure(f"the FIT workout came back as {mine}")
        return f"{fit.stat().st_size} bytes of FIT, read back as {mine[0]['id']} ({SESSION_S:.0f} s, 2 segments)"

    def cues(self) -> str:
        timeline = json.loads(self.run("cues", SESSION_ID, "--json").stdout)
        cues = timeline["cues"]
        if len(cues) < 3 or any(c["duration_s"] <= 0 for c in cues):
            raise SmokeFailure(f"a cue timeline with spoken durations was expected, got {cues}")
        return f"{len(cues)} cues, the first {cues[0]['duration_s']:.1f} s long"

    def render(self) -> str:
        out = self.work / "render.wav"
        self.run("render", SESSION_ID, "--out", str(out))
        with wave.open(str(out), "rb") as track:
            seconds = track.getnframes() / track.getframerate()
            frames = track.readframes(track.getnframes())
            width = track.getsampwidth()
        # The closing words may run on past the session's end; a track shorter than the session lost something.
        if not SESSION_S - 1 <= seconds <= SESSION_S + 30:
            raise SmokeFailure(f"the track lasts {seconds:.1f} s for a {SESSION_S:.0f} s session")
        if width != 2:
            raise SmokeFailure(f"expected 16-bit samples, got {width * 8}-bit")
        samples = memoryview(frames).cast("h")
        loud = max(abs(s) for s in samples[: len(samples) // 4])
        if loud < 1000:
            raise SmokeFailure(f"the first half minute is silent (peak {loud}): no speech was rendered")
        return f"{seconds:.0f} s of audio, peak {loud}"

    def plan(self) -> str:
        start = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
        self.run("plan", "enrol", "small-steps", "--start", start, "--days", "mon,wed,sat", "--time", "07:30")
        ics = self.work / "plan.ics"
        self.run("plan", "export", "--ics", str(ics))
        events = ics.read_text(encoding="utf-8").count("BEGIN:VEVENT")
        if events < 1:
            raise SmokeFailure("the calendar export has no events")
        return f"{events} events in the calendar export"

    def doctor(self) -> str:
        # No sound card here: doctor says PROBLEM for the audio output and exits 2; the rest must be OK.
        report = json.loads(self.run("doctor", "--json", expect=(0, 2)).stdout)
        failed = {c["name"]: c["detail"] for c in report["checks"] if not c["ok"]}
        if not self.has_sound:
            failed.pop("Audio output", None)
        if failed:
            raise SmokeFailure(f"doctor found problems: {failed}")
        return f"{len(report['checks'])} checks, " + ("all OK" if self.has_sound else "all OK but the audio output")

    def desktop(self) -> str:
        # The menu entry must start this very program, wherever it is, and pass the specification's validator.
        self.run("desktop", "install")
        entry = self.home / ".local" / "share" / "applications" / "runcompanion.desktop"
        keys = dict(line.split("=", 1) for line in entry.read_text("utf-8").splitlines() if "=" in line)
        program = Path(keys["Exec"].split(" --data-dir")[0].strip('"'))
        if not program.is_absolute() or not os.access(program, os.X_OK):
            raise SmokeFailure(f"the entry's Exec is not an absolute path to a program: {keys['Exec']}")
        validator = shutil.which("desktop-file-validate")
        if validator:
            checked = subprocess.run([validator, str(entry)], capture_output=True, text=True, check=False)
            if checked.returncode != 0:
                raise SmokeFailure(f"desktop-file-validate: {checked.stdout}{checked.stderr}")
        self.run("desktop", "uninstall")
        if entry.exists():
            raise SmokeFailure("desktop uninstall left the entry")
        return f"Exec={program}{' (validated)' if validator else ''}"

    def speak(self) -> str:
        # A real guided run on a PulseAudio null sink, recorded from its monitor: the first spoken cue must be heard.
        recording = self.work / "heard.wav"
        recorder = subprocess.Popen(
            ["parec", "-d", f"{SINK}.monitor", "--file-format=wav", "--rate=22050", "--channels=1", str(recording)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        log = self.data / "data" / "runcompanion.log"
        started = time.monotonic()
        proc = subprocess.Popen(
            [str(self.app), "--data-dir", str(self.data), "run", SESSION_ID, "--seed", "1"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_until(
                lambda: _exited(proc) or "cues ready" in (log.read_text("utf-8") if log.exists() else ""),
                90,
                "the run's cues to be ready",
            )
            if proc.poll() is not None:
                raise SmokeFailure(f"the app exited with {proc.returncode}: {proc.communicate()[1][-2000:]}")
            # The countdown is 5 s; the start cue follows it. Poll the recording until speech shows in it.
            wait_until(
                lambda: _exited(proc) or _loud_seconds(recording) >= 2.0, 60, "two seconds of speech on the sound card"
            )
            if proc.poll() is not None:
                raise SmokeFailure(f"the app exited with {proc.returncode}: {proc.communicate()[1][-2000:]}")
            heard = time.monotonic() - started
        finally:
            recorder.terminate()
            recorder.wait(10)
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=30)
        if proc.returncode != 0:
            raise SmokeFailure(f"the app closed with {proc.returncode} on SIGTERM: {err[-2000:]}")
        return f"{_loud_seconds(recording):.1f} s of speech on the sound card by {heard:.1f} s, peak {_peak(recording)}"

    def window(self) -> str:
        log = self.data / "data" / "runcompanion.log"
        before = log.read_text("utf-8").count("first paint") if log.exists() else 0
        started = time.monotonic()
        proc = subprocess.Popen(
            [str(self.app), "--data-dir", str(self.data)],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_until(
                lambda: _exited(proc) or (log.read_text("utf-8") if log.exists() else "").count("first paint") > before,
                60,
                "the window's first paint",
            )
            if proc.poll() is not None:
                raise SmokeFailure(f"the app exited with {proc.returncode}: {proc.communicate()[1][-2000:]}")
            painted = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=30)
        if proc.returncode != 0:
            raise SmokeFailure(f"the app closed with {proc.returncode} on SIGTERM: {err[-2000:]}")
        return f"first paint {painted:.2f} s after start"


def _samples(recording: Path) -> memoryview:
    # parec writes the WAV header first, then 16-bit mono samples at 22050 Hz as they come.
    data = recording.read_bytes()[44:] if recording.exists() else b""
    return memoryview(data[: len(data) // 2 * 2]).cast("h")


def _peak(recording: Path) -> int:
    return max((abs(s) for s in _samples(recording)), default=0)


def _loud_seconds(recording: Path) -> float:
    """How long the recording has been clearly audible, in 20 ms windows: a countdown's beeps are a fraction of a
    second, a spoken cue several seconds, so two seconds of it means the voice was heard."""
    samples = _samples(recording)
    window = 441
    loud = 0
    for start in range(0, len(samples) - window, window):
        chunk = samples[start : start + window]
        if sum(s * s for s in chunk) / window > 500**2:
            loud += 1
    return loud * window / 22050


@contextmanager
def pulse_null_sink(runtime: Path) -> Iterator[dict[str, str]]:
    """A PulseAudio daemon whose only sound card is a null sink; yields the variables that lead clients to it."""
    binary = shutil.which("pulseaudio")
    if binary is None or shutil.which("parec") is None:
        raise SmokeFailure("--speak needs PulseAudio (Debian packages pulseaudio and pulseaudio-utils)")
    runtime.mkdir(mode=0o700)
    env = {"XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    proc = subprocess.Popen(
        [
            binary,
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            f"--load=module-null-sink sink_name={SINK} rate=22050",
            "--load=module-native-protocol-unix",
            "--load=module-always-sink",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        info = lambda: subprocess.run(["pactl", "info"], env=env, capture_output=True, check=False).returncode == 0  # noqa: E731
        wait_until(info, 20, "PulseAudio to accept connections")
        subprocess.run(["pactl", "set-default-sink", SINK], env=env, capture_output=True, check=False)
        yield {"XDG_RUNTIME_DIR": str(runtime)}
    finally:
        proc.terminate()
        proc.wait(10)


def _exited(proc: subprocess.Popen[str]) -> bool:
    return proc.poll() is not None


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    # Another process: its log is the only thing to watch, so this polls it.
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        pause.wait(0.05)


@contextmanager
def xvfb() -> Iterator[str]:
    binary = shutil.which("Xvfb")
    if binary is None:
        raise SmokeFailure("Xvfb is not installed (Debian package xvfb; `bash scripts/dev.sh test` installs it)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise SmokeFailure("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", type=Path, required=True, help="the runcompanion program to test")
    parser.add_argument("--window", action="store_true", help="also open the window on a virtual screen")
    parser.add_argument("--minimal-env", action="store_true", help="run the app with an env -i style environment")
    parser.add_argument(
        "--speak", action="store_true", help="also start a guided run on a PulseAudio null sink and hear it speak"
    )
    args = parser.parse_args(argv)
    app = args.app.resolve()
    if not os.access(app, os.X_OK):
        print(f"smoke: {app} is not an executable program", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="runcompanion-smoke-") as work, ExitStack() as stack:
        smoke = Smoke(app, Path(work), args.minimal_env)
        if args.window:
            smoke.use_display(stack.enter_context(xvfb()))
        if args.speak:
            # With a sound card, doctor's audio check must pass too.
            smoke.env.update(stack.enter_context(pulse_null_sink(Path(work) / "pulse")))
            smoke.has_sound = True
        steps: list[tuple[str, Callable[[], str]]] = []
        if args.minimal_env:
            steps.append(("no Python on PATH", lambda: smoke.no_python_on_path() or "none"))
        steps += [
            ("sessions", smoke.sessions),
            ("sessions import", smoke.import_session),
            ("FIT round trip", smoke.fit_round_trip),
            ("cues", smoke.cues),
            ("render", smoke.render),
            ("plan", smoke.plan),
            ("doctor", smoke.doctor),
        ]
        if sys.platform.startswith("linux"):
            steps.append(("desktop entry", smoke.desktop))
        if args.window:
            steps.append(("window", smoke.window))
        if args.speak:
            steps.append(("speak", smoke.speak))
        for name, step in steps:
            started = time.monotonic()
            try:
                said = step()
            except (SmokeFailure, subprocess.TimeoutExpired, json.JSONDecodeError, OSError) as exc:
                print(f"smoke: FAILED at {name}: {exc}", file=sys.stderr)
                return 1
            print(f"smoke: {name:<18} ok  {time.monotonic() - started:5.1f} s  {said}", file=sys.stderr)
    print(f"smoke: all {len(steps)} steps passed for {app}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
