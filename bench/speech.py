"""Speech for a whole hour: every cue of a 60-minute session synthesized cold and warm, and the hour as a WAV.

``CueService.prepare`` is what the run screen (on a worker) and ``runcompanion cues/render`` call: it schedules
the cues, synthesizes each text with espeak-ng into the WAV cache, measures the files and schedules again with
the real lengths. Cold: a new ``CueService`` on an empty cache folder (the engine starts inside the timing, as
on a first run). Warm: the same again with the cache full, first in the same service, then in a new one (as
after a restart of the app). Then ``render_track`` mixes the session into one WAV, and the report it returns
says where each cue landed.

    .venv/bin/python -m bench.run speech
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.engine import SEED, hour_plan
from bench.table import Row
from runcompanion.audio.track_renderer import render_track
from runcompanion.audio.wav_io import SAMPLE_RATE
from runcompanion.core.app_settings import AppSettings
from runcompanion.core.cue_timeline import CueDensity
from runcompanion.paths import resource_files
from runcompanion.services.cue_service import CueService, PreparedRun, load_library

COLD_GOAL_S = 5.0
WARM_GOAL_S = 0.2
ONSET_GOAL_MS = 10.0


def _timed_prepare(service: CueService, settings: AppSettings) -> tuple[float, PreparedRun]:
    t0 = time.perf_counter()
    prepared = service.prepare(hour_plan(), settings, SEED)
    return time.perf_counter() - t0, prepared


def run(repeats: int = 3) -> list[Row]:
    plan = hour_plan()
    settings = AppSettings(density=CueDensity.REGULAR)
    repeats = max(repeats, 1)
    with tempfile.TemporaryDirectory(prefix="rc-bench-speech-") as tmp:
        root = Path(tmp)
        library, problems = load_library(resource_files("cues", ".toml"), root / "no-own-packs")
        if problems:
            raise RuntimeError(f"the shipped cue library did not load: {problems}")

        # Cold, several times, each with a new service (a new engine) and an empty cache.
        cold: list[float] = []
        synthesized = 0
        service: CueService | None = None
        for i in range(repeats):
            if service is not None:
                service.close()  # libespeak-ng allows one engine per process
            service = CueService(library, root / f"cache-{i}")
            seconds, prepared = _timed_prepare(service, settings)
            cold.append(seconds)
            synthesized = prepared.synthesized
        assert service is not None
        distinct = len(set(prepared.timeline.spoken_texts()))

        # Warm: the same service (its engine is still up) with the cache it has just filled.
        warm: list[float] = []
        for _ in range(repeats * 2):
            seconds, warm_prepared = _timed_prepare(service, settings)
            warm.append(seconds)
            if warm_prepared.synthesized:
                raise RuntimeError(f"a warm prepare synthesized {warm_prepared.synthesized} texts")
        cache_dir = root / f"cache-{repeats - 1}"
        service.close()

        # Warm after a restart: a new service (no engine yet) on the full cache.
        restarted: list[float] = []
        for _ in range(repeats):
            fresh = CueService(library, cache_dir)
            try:
                seconds, _ = _timed_prepare(fresh, settings)
            finally:
                fresh.close()
            restarted.append(seconds)

        # The hour as one WAV file.
        render_s: list[float] = []
        out = root / "hour.wav"
        for _ in range(repeats):
            t0 = time.perf_counter()
            report = render_track(
                prepared.timeline,
                prepared.speech,
                out,
                chime=prepared.chime,
                beep=prepared.beep,
                total_s=plan.total_s,
            )
            render_s.append(time.perf_counter() - t0)
        track_mb = out.stat().st_size / 1e6
        onset_ms = max(
            abs(p.start_sample / report.sample_rate - cue.offset_s) * 1000
            for p, cue in zip(report.placements, prepared.timeline.cues, strict=True)
        )
        if report.sample_rate != SAMPLE_RATE:
            raise RuntimeError(f"the track is {report.sample_rate} Hz, expected {SAMPLE_RATE}")

    cold_s = statistics.median(cold)
    warm_s = statistics.median(warm)
    restarted_s = statistics.median(restarted)
    per_text_ms = cold_s / synthesized * 1000 if synthesized else 0.0
    cues = len(prepared.timeline)
    return [
        Row(
            f"speech for a 60-min session, cold: {synthesized} texts synthesized ({distinct} in the timeline, "
            f"{cues} cues), median of {len(cold)}",
            f"{cold_s:.2f} s ({per_text_ms:.0f} ms a text, all included)",
            f"< {COLD_GOAL_S:.0f} s",
            cold_s < COLD_GOAL_S,
        ),
        Row(
            f"speech for a 60-min session, warm (same service), median of {len(warm)}",
            f"{warm_s * 1000:.0f} ms",
            f"< {WARM_GOAL_S * 1000:.0f} ms",
            warm_s < WARM_GOAL_S,
        ),
        Row(
            f"speech for a 60-min session, warm after a restart (new service), median of {len(restarted)}",
            f"{restarted_s * 1000:.0f} ms",
            f"< {WARM_GOAL_S * 1000:.0f} ms",
            restarted_s < WARM_GOAL_S,
        ),
        Row(
            f"render_track of the 60-min session ({track_mb:.0f} MB WAV, {cues} cues), median of {len(render_s)}",
            f"{statistics.median(render_s):.2f} s",
            "",
            None,
        ),
        Row(
            f"rendered track: onset accuracy, max |placement - offset| ({report.overlaps} overlaps, "
            f"{report.truncated} truncated)",
            f"{onset_ms:.3f} ms",
            f"within {ONSET_GOAL_MS:.0f} ms",
            onset_ms <= ONSET_GOAL_MS,
        ),
    ]


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))
