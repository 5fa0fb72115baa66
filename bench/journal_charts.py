"""``JournalService.charts`` on its own, the Charts tab's worker without the window: 10,000 reflections in the
data folder of ``bench/journal_screen.py`` (same generator, same seed), ``charts()`` then ``weekly_minutes()`` as
the tab asks for them, ``REPEATS`` times after one warm-up call, in this process (no Qt).

Before the calls, what was built so far is frozen out of the collector's sight (``gc.collect()``, ``gc.freeze()``),
as the app does once it has started (ui/common/process_tuning.py): without that, the full collections that ten
thousand entries' hundred thousand objects set off went over the data folder's generation too and took 55-60 ms
of each call. It reports the median, lowest and highest of the calls and, beside them, the time the cyclic
garbage collector took during the calls. On the shared machine single calls move by tens of milliseconds.

    .venv/bin/python -m bench.journal_charts
    .venv/bin/python -m bench.run journal_charts
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from bench.journal_screen import _make_home
from bench.table import Row

COUNT: Final = 10_000
REPEATS: Final = 10


def run(count: int = COUNT, repeats: int = REPEATS) -> list[Row]:
    from runcompanion.paths import resolve_paths
    from runcompanion.services.composition import build_services

    collecting: list[float] = []
    started = [0.0]

    def note(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            collecting.append(time.perf_counter() - started[0])

    with tempfile.TemporaryDirectory(prefix="rc-bench-journal-charts-") as tmp:
        home = Path(tmp) / "home"
        _make_home(home, count)
        services = build_services(resolve_paths(home, env={}))
        try:
            journal = services.journal
            points, insights, _figures = journal.charts()
            journal.weekly_minutes()
            calls, collected = [], []
            gc.collect()
            gc.freeze()
            gc.callbacks.append(note)
            try:
                for _ in range(repeats):
                    collecting.clear()
                    begun = time.perf_counter()
                    journal.charts()
                    journal.weekly_minutes()
                    calls.append((time.perf_counter() - begun) * 1000)
                    collected.append(sum(collecting) * 1000)
            finally:
                gc.callbacks.remove(note)
                gc.unfreeze()
        finally:
            services.close()
    label = f"JournalService.charts and weekly_minutes, {count:,} reflections"
    return [
        Row(
            label,
            f"{statistics.median(calls):.0f} ms (median of {repeats}, {min(calls):.0f}-{max(calls):.0f}; "
            f"{len(points):,} points, {len(insights)} insights)",
            "",
            None,
        ),
        Row(f"{label}: of which the garbage collector", f"{statistics.median(collected):.0f} ms (median)", "", None),
    ]


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))
