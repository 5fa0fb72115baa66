"""The Journal's mood strip at scale: what it adds to each refresh of the Journal page, with 10,000 and 100,000
reflections (the data folders of ``bench/journal_screen.py``: a run every ~1.7 hours or ~10 minutes over two
years, so four weeks hold about 370 or 3,700 runs).

- **query**: ``JournalService.mood_days()`` reading the last 28 days (on the page's worker), median of ``REPEATS``;
- **words**: ``view_model.mood_days`` turning them into 28 days with their colour and words (also on the worker);
- **GUI thread**: ``JournalPage.show_mood`` updating the 28 day buttons, posted events delivered.

    .venv/bin/python -m bench.mood_strip          # or: .venv/bin/python -m bench.run mood_strip
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

from bench.table import Row

SIZES: Final = (10_000, 100_000)
REPEATS: Final = 30
GUI_GOAL_MS: Final = 16.0  # one frame: the strip must not be what makes the page stutter


def _median_ms(action: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def _measure(count: int) -> list[Row]:
    from PySide6.QtWidgets import QApplication

    from bench.journal_screen import _make_home
    from runcompanion.paths import resolve_paths
    from runcompanion.services.composition import build_services
    from runcompanion.ui.journal.journal_page import JournalPage
    from runcompanion.ui.journal.view_model import mood_days

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="rc-bench-mood-") as tmp:
        home = Path(tmp) / "home"
        _make_home(home, count)
        services = build_services(resolve_paths(home, env={}))
        try:
            names = dict(services.journal.sessions())
            mood = services.journal.mood_days()
            query = _median_ms(services.journal.mood_days)
            today = dt.date.today()
            words = _median_ms(lambda: mood_days(mood, names, today))
            days = mood_days(mood, names, today)
            page = JournalPage()
            page.resize(1280, 800)
            page.show()
            app.processEvents()
            gui = _median_ms(lambda: (page.show_mood(days), app.processEvents()))
            page.close()
        finally:
            services.close()
    name = f"Mood strip, {count:,} reflections ({len(mood.points):,} runs in the 28 days)"
    read = f"{query[0]:.1f} ms (median of {REPEATS}, max {query[1]:.1f})"
    return [
        Row(f"{name}: read the days (worker)", read, "", None),
        Row(f"{name}: their colours and words (worker)", f"{words[0]:.2f} ms (median of {REPEATS})", "", None),
        Row(
            f"{name}: show them (GUI thread)",
            f"{gui[0]:.2f} ms (median of {REPEATS}, max {gui[1]:.1f})",
            f"< {GUI_GOAL_MS:.0f} ms",
            gui[0] < GUI_GOAL_MS,
        ),
    ]


def run(sizes: tuple[int, ...] = SIZES) -> list[Row]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows: list[Row] = []
    for count in sizes:
        rows += _measure(count)
    return rows


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))
