"""`runcompanion render`: the whole guided run as one WAV file, every cue exactly where the timeline puts it."""

from __future__ import annotations

import json
import stat
import subprocess
import wave
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.audio_onsets import lead_s, read_wav
from tests.e2e.harness import AppEnv

pytestmark = pytest.mark.e2e

SESSION = "small-steps-10"  # built in: ten minutes with intervals, countdown beeps, halfway and a science cue
SEED = 7
RATE = 22050
TAIL_S = 2.0
THRESHOLD = 100  # of 32767: well above rounding noise, well below the first syllable of any cue
TOLERANCE_S = 0.010
QUIET_BEFORE_S = 0.3  # cues are separated by at least 0.5 s of silence


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    stderr = result.stderr
    assert result.returncode == 2, stderr
    assert stderr.startswith("runcompanion: "), stderr
    assert stderr.strip().count("\n") == 0, stderr
    assert "Traceback" not in stderr
    return stderr


def _track_length_s(timeline: dict[str, Any]) -> float:
    """The session, or until the last cue has been said if that is later (the thank-you starts at the very
    end), then the tail of silence."""
    spoken_until: float = max(c["offset_s"] + c["duration_s"] for c in timeline["cues"])
    total_s: float = timeline["total_s"]
    return max(total_s, spoken_until) + TAIL_S


def _clip_leads(home: Path, seed: int) -> list[float]:
    """Each cue's own quiet start, from the very clip the renderer places (the chime leads a chimed cue).

    Read through the app's cue service with the cache the render just filled, so nothing is synthesized here.
    """
    from runcompanion.paths import resolve_paths
    from runcompanion.services.composition import build_services

    services = build_services(resolve_paths(home))
    try:
        plan = services.catalog.get(SESSION)
        prepared = services.cues.prepare(plan, services.settings.load(), seed)
        leads = []
        for cue in prepared.timeline.cues:
            clip = prepared.beep if cue.beep else prepared.chime if cue.chime else prepared.speech[cue.text]
            leads.append(lead_s(clip, THRESHOLD))
        return leads
    finally:
        services.close()


def test_render_writes_the_run_with_every_cue_on_time(app_env: AppEnv, tmp_path: Path) -> None:
    out = tmp_path / "x.wav"
    result = app_env.cli("render", SESSION, "--out", str(out), "--seed", str(SEED))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Wrote {out}" in result.stdout

    timeline = json.loads(app_env.cli("cues", SESSION, "--seed", str(SEED), "--json").stdout)
    cues = timeline["cues"]
    assert len(cues) >= 10

    with wave.open(str(out), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getcomptype()) == (RATE, 1, 2, "NONE")
        # --json rounds offsets and durations to the millisecond.
        assert abs(w.getnframes() - _track_length_s(timeline) * RATE) <= 0.001 * RATE
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    track = read_wav(out)
    leads = _clip_leads(app_env.home, SEED)
    assert len(leads) == len(cues)
    late = []
    for cue, lead in zip(cues, leads, strict=True):
        offset = cue["offset_s"]
        found = track.first_sound(THRESHOLD, offset, offset + 1.0)
        expected = offset + lead
        if found is None or abs(found - expected) > TOLERANCE_S:
            late.append(f"{offset:8.3f} s: expected sound at {expected:.4f} s, found {found} ({cue['text'][:40]})")
        # Nothing sounds in the moment before a cue: neither the cue itself early nor the one before it late.
        if offset >= QUIET_BEFORE_S and track.level(offset - QUIET_BEFORE_S, offset - 0.002) > THRESHOLD:
            late.append(f"{offset:8.3f} s: sound in the {QUIET_BEFORE_S} s before the cue ({cue['text'][:40]})")
    assert not late, "\n".join(late)
    assert cues[-1]["kind"] == "finish"
    assert cues[-1]["offset_s"] == timeline["total_s"]
    # The thank-you at the very end is said in full: the tail after it is silence.
    assert track.level(track.duration_s - TAIL_S + 0.01, track.duration_s) <= THRESHOLD


def test_render_of_an_own_session_matches_its_length(app_env: AppEnv, tmp_path: Path) -> None:
    source = tmp_path / "short.toml"
    source.write_text(
        'name = "Render short"\n'
        '[[segments]]\nkind = "warmup"\nduration = "0:20"\nspeed_kmh = 5.0\n'
        '[[segments]]\nkind = "run"\nduration = "0:25"\nspeed_kmh = 8.0\n',
        encoding="utf-8",
    )
    assert app_env.cli("sessions", "import", str(source)).returncode == 0
    out = tmp_path / "short.wav"
    result = app_env.cli("render", "render-short", "--out", str(out), "--seed", str(SEED))
    assert result.returncode == 0, result.stderr
    track = read_wav(out)
    timeline = json.loads(app_env.cli("cues", "render-short", "--seed", str(SEED), "--json").stdout)
    assert timeline["total_s"] == 45.0
    assert (track.rate, track.channels) == (RATE, 1)
    assert abs(track.frames - _track_length_s(timeline) * RATE) <= 0.001 * RATE
    assert track.duration_s > 45.0 + TAIL_S  # the thank-you at 45 s is longer than the tail
    first = timeline["cues"][0]
    assert first["offset_s"] == 0.0
    first_sound = track.first_sound(THRESHOLD)
    assert first_sound is not None
    assert first_sound < TOLERANCE_S  # the start cue's chime opens the file


def test_render_refuses_a_missing_folder_in_one_line(app_env: AppEnv, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "x.wav"
    stderr = _one_line_error(app_env.cli("render", SESSION, "--out", str(out), "--seed", str(SEED)))
    assert "no such folder" in stderr
    assert not out.parent.exists()


def test_render_refuses_a_name_that_is_not_wav(app_env: AppEnv, tmp_path: Path) -> None:
    out = tmp_path / "x.mp3"
    stderr = _one_line_error(app_env.cli("render", SESSION, "--out", str(out)))
    assert ".wav" in stderr
    assert not out.exists()


def test_render_refuses_an_unknown_session(app_env: AppEnv, tmp_path: Path) -> None:
    out = tmp_path / "x.wav"
    stderr = _one_line_error(app_env.cli("render", "no-such-session", "--out", str(out)))
    assert "no-such-session" in stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.wav")) == []
