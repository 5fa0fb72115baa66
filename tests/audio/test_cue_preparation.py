"""Preparing a run's speech with the real engine: every said cue timed by its real length, nothing wasted."""

from __future__ import annotations

from pathlib import Path

import pytest

from runcompanion.audio.wav_io import wav_duration_s
from runcompanion.core.app_settings import AppSettings
from runcompanion.core.cue_scheduler import CHIME_S
from runcompanion.core.cue_timeline import CueDensity
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services

SESSION = "mindful-30"
SEED = 11


def test_a_cold_preparation_synthesizes_what_the_run_says_and_times_it_by_its_real_length(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        plan = services.catalog.get(SESSION)
        settings = AppSettings(density=CueDensity.REGULAR)
        prepared = services.cues.prepare(plan, settings, SEED)
    finally:
        services.close()

    said = prepared.timeline.spoken_texts()
    assert set(prepared.speech) == set(said)
    # Rendering every text the scheduler merely considered cost 2.4 syntheses per text said.
    assert len(set(said)) <= prepared.synthesized < 1.25 * len(set(said))
    for cue in prepared.timeline.cues:
        if not cue.beep:
            real = wav_duration_s(prepared.speech[cue.text]) + (CHIME_S if cue.chime else 0.0)
            assert cue.duration_s == pytest.approx(real), cue.text


def test_a_seed_gives_the_same_run_with_a_cold_or_a_warm_cache(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "home", env={})
    settings = AppSettings(density=CueDensity.REGULAR)
    timelines = []
    synthesized = []
    for _start in range(2):  # a new service each time, as after a restart
        services = build_services(paths)
        try:
            prepared = services.cues.prepare(services.catalog.get(SESSION), settings, SEED)
        finally:
            services.close()
        timelines.append(prepared.timeline.cues)
        synthesized.append(prepared.synthesized)

    assert synthesized[0] > 0
    assert synthesized[1] == 0
    assert timelines[0] == timelines[1]
