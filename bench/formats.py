"""Workout and activity files, and the session editor's check as you type.

Goals: importing a .zwo and exporting a session to .zwo or FIT feels instant (under 100 ms, on the worker);
an hour's run writes as a FIT or TCX activity in under a second (Export run… and `history export`, on the
worker); the editor's check of every field after a keystroke, for a large session (10 segments and a block of
20 x 2), stays under 4 ms, a quarter of a 60 Hz frame, because it runs on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.table import Row
from runcompanion.core.activity import build_activity
from runcompanion.core.activity_fit import dump_fit_activity
from runcompanion.core.activity_tcx import dump_tcx_activity
from runcompanion.core.fit_workout import dump_fit_workout, parse_fit_workout
from runcompanion.core.reference_pace import ReferencePace
from runcompanion.core.session_draft import RepeatDraft, SegmentDraft, SessionDraft, draft_from_plan
from runcompanion.core.session_files import parse_session_toml
from runcompanion.core.zwo_reader import parse_zwo
from runcompanion.core.zwo_writer import dump_zwo

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "zwo" / "hill-strides.zwo"
REPEATS = 30


def _median_ms(action: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(REPEATS):
        begun = time.perf_counter()
        action()
        times.append((time.perf_counter() - begun) * 1000)
    return statistics.median(times), max(times)


def _hour() -> str:
    lines = ['name = "Hour"', "[[segments]]", 'kind = "warmup"', 'duration = "10:00"', "speed_kmh = 6.0"]
    lines += ["[[segments]]", "repeat = 20", "segments = ["]
    lines += ['  { kind = "run", duration = "1:30", speed_kmh = 11.0, notes = [{ at = 10, text = "Tall." }] },']
    lines += ['  { kind = "walk", duration = "0:30", speed_kmh = 5.5 },', "]"]
    lines += ["[[segments]]", 'kind = "cooldown"', 'duration = "10:00"', "speed_kmh = 5.0"]
    return "\n".join(lines) + "\n"


def run() -> list[Row]:
    reference = ReferencePace.from_setting(300)
    data = FIXTURE.read_bytes()
    plan = parse_session_toml(_hour(), "hour.toml")
    zwo_in = _median_ms(lambda: parse_zwo(data, FIXTURE.name, reference))
    zwo_out = _median_ms(lambda: dump_zwo(plan, reference))
    created = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    fit_bytes = dump_fit_workout(plan, created)
    fit_out = _median_ms(lambda: dump_fit_workout(plan, created))
    fit_in = _median_ms(lambda: parse_fit_workout(fit_bytes, "hour.fit"))
    log = [
        {"index": i, "kind": s.kind.value, "planned_s": s.duration_s, "actual_s": s.duration_s, "skipped": False}
        for i, s in enumerate(plan.segments)
    ]
    activity = build_activity(
        run_id=1,
        name=plan.name,
        status="finished",
        started_at=created,
        elapsed_s=plan.total_s,
        segment_index=len(log) - 1,
        segment_log=log,
        plan=plan,
    )
    fit_activity = _median_ms(lambda: dump_fit_activity(activity))
    tcx_activity = _median_ms(lambda: dump_tcx_activity(activity))
    big = SessionDraft(
        name="Big",
        items=(*(SegmentDraft(kind="run", duration="2:00", speed="10") for _ in range(10)), RepeatDraft("20")),
    )
    typed = big.with_segment((3,), duration="2:3")
    check = _median_ms(typed.problems)
    reopen = _median_ms(lambda: draft_from_plan(plan).problems())
    minutes = plan.total_s / 60
    return [
        Row(".zwo import (hand-written fixture, 5 blocks): median / max", _ms(zwo_in), "< 100 ms", zwo_in[0] < 100),
        Row(f".zwo export ({minutes:.0f}-min session): median / max", _ms(zwo_out), "< 100 ms", zwo_out[0] < 100),
        Row("FIT workout export: median / max", _ms(fit_out), "< 100 ms", fit_out[0] < 100),
        Row("FIT workout import (official decoder): median / max", _ms(fit_in), "< 100 ms", fit_in[0] < 100),
        Row(
            f"FIT activity, {minutes:.0f}-min run: median / max", _ms(fit_activity), "< 1000 ms", fit_activity[0] < 1000
        ),
        Row(
            f"TCX activity, {minutes:.0f}-min run: median / max", _ms(tcx_activity), "< 1000 ms", tcx_activity[0] < 1000
        ),
        Row("editor check after a keystroke (50 segments): median / max", _ms(check), "< 4 ms", check[0] < 4),
        Row("editor opens and checks the hour session: median / max", _ms(reopen), "< 16 ms", reopen[0] < 16),
    ]


def _ms(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.2f} / {pair[1]:.2f} ms"


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))
