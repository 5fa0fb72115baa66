"""The Journal screen at scale: how long it takes to open, to draw its charts and to answer a search, with 10,000
and 100,000 reflections, through the real window.

For each size a data folder is filled straight into SQLite (the word lists, tags and sessions of
``bench/journal.py``, from its seed): one run with a reflection every ~1.7 hours (10,000) or ~10 minutes
(100,000) over the last two years, feelings before and after (one in ten without the check-in before), 0-3
tags, some runs stopped early and 3 % of the reflections still drafts.

A child process (Qt offscreen, so the platform stays out of the process running the other groups) builds the
real services and a ``GuiApp`` on that folder, window 1280x800, and waits until start-up work has settled.
Then, on the GUI thread, with the event loop running between:

- **first open**: ``show_section("Journal")`` until the page's table has its first page of rows (the model was
  reset with rows) and the window has been repainted (``repaint()`` after the posted events, layouts included,
  have been delivered). The page is built when it is first shown and loads its rows then; it does not reload
  them when shown again, so only the first open in a process does the work. Each child measures it once, and
  the table gives the median over ``OPENS`` children.
- **re-open**: Today, then Journal again (the rows are already there): median of ``REOPENS``, for reference.
- **charts**: ``tabs.setCurrentIndex(1)`` (the controller gathers the chart data and makes the
  charts' plain values on a worker, then builds the charts on the GUI thread) until the new charts widget is in
  ``charts_holder`` and ``grab()`` has rendered it.
  The first time in a process includes importing QtCharts (median over the children); each switch back and
  forth rebuilds the charts (``CHART_REDRAWS`` in each child, median of them all). The time is split into the
  worker's gathering, the hand-over and building on the GUI thread, and showing and painting (the stacked
  widget's ``setCurrentWidget``, the layouts it posts, ``grab()``). Above ``CHARTS_IN_EVERY_CHILD_UP_TO``
  reflections only the first child draws the charts: a draw took about 40 s at 100,000.
- **search**: ``setText`` on the search box until the rows are updated and repainted, for the words of
  ``bench/journal.py``: the page waits 200 ms after the last keystroke before it asks (its debounce); the table
  gives the answer after the debounce (median over the words) and the whole time from typing.
- **memory**: the child's resident memory after the first open, and its peak once the charts were drawn.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on every call of a Qt method returning None (see
docs/benchmarks.md); the child gives ``None`` a reserve of references, as ``gui_stall`` does, so that it cannot
abort half way. Nothing else is affected by the reserve. ``BENCH_JOURNAL_SCREEN_PNG=FILE`` saves the last
charts ``grab()`` as an image, to see that it rendered the charts.

    .venv/bin/python -m bench.run journal_screen      # once bench/run.py lists the group
    .venv/bin/python -m bench.journal_screen
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from bench.journal import _SEARCHES, _SESSIONS, _TAGS, _WORDS, SEED, _instant
from bench.table import Row

ROOT: Final = Path(__file__).resolve().parent.parent
SIZES: Final = (10_000, 100_000)
GOAL_MS: Final = 300.0
OPENS: Final = 5  # children, each measuring one first open
REOPENS: Final = 5
CHART_REDRAWS: Final = 3
CHARTS_IN_EVERY_CHILD_UP_TO: Final = 10_000  # above, only the first child draws the charts (~40 s a draw at 100,000)
SPAN: Final = dt.timedelta(days=730)
DRAFT_SHARE: Final = 0.03
NO_CHECK_IN_SHARE: Final = 0.1
STOPPED_SHARE: Final = 0.05
TIMEOUT_S: Final = 120.0  # the longest any one step may take in the child before it gives up
NONE_RESERVE: Final = 10**9


# --------------------------------------------------------------------------------------------- the data folder


def _fill(database: Any, count: int, rng: random.Random) -> None:
    """``count`` runs over the last two years, oldest first, each with a reflection (some drafts) and 0-3 tags."""
    runs: list[tuple[object, ...]] = []
    reflections: list[tuple[object, ...]] = []
    tags: list[tuple[int, str]] = []
    now = dt.datetime.now(dt.UTC)
    first = now - SPAN
    step = SPAN / count
    for run_id in range(1, count + 1):
        started = first + step * (run_id - 1) + dt.timedelta(seconds=rng.randrange(int(step.total_seconds())))
        elapsed = float(rng.randrange(900, 3600))
        session_id, name, session_tags = rng.choice(_SESSIONS)
        source = "manual" if session_id == "manual" else "app"
        status = "stopped" if source == "app" and rng.random() < STOPPED_SHARE else "finished"
        ended = started + dt.timedelta(seconds=elapsed)
        times = (_instant(started), _instant(ended), elapsed)
        runs.append((run_id, session_id, name, session_tags, elapsed, source, status, *times))
        draft = rng.random() < DRAFT_SHARE
        before = None if rng.random() < NO_CHECK_IN_SHARE else rng.randint(-3, 3)
        after = None if draft else min(5, (before or 0) + rng.randint(-1, 4))
        words = rng.choices(_WORDS, k=rng.randint(0, 8) if draft else rng.randint(10, 70))
        text = (" ".join(words).capitalize() + ".") if words else ""
        stamp = _instant(ended + dt.timedelta(seconds=120))
        reflections.append(
            (
                run_id,
                run_id,
                before,
                None if before is None else rng.randint(1, 6),
                after,
                None if draft else rng.randint(1, 6),
                None if draft else rng.randint(2, 8),
                "What did you notice around you?",
                text,
                None if draft else round(rng.uniform(2, 12), 2),
                int(draft),
                stamp,
                stamp,
            )
        )
        tags += [(run_id, tag) for tag in rng.sample(_TAGS, rng.randint(0, 3))]
    with database.transaction() as session:
        connection = session.connection()
        connection.exec_driver_sql(
            "INSERT INTO runs (id, session_id, session_name, session_tags, planned_s, source, status, started_at, "
            "ended_at, elapsed_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            runs,
        )
        connection.exec_driver_sql(
            "INSERT INTO reflections (id, run_id, feeling_before, arousal_before, feeling_after, arousal_after, "
            "effort, prompt, text, distance_km, is_draft, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            reflections,
        )
        connection.exec_driver_sql("INSERT INTO reflection_tags (reflection_id, tag) VALUES (?, ?)", tags)


def _make_home(home: Path, count: int) -> float:
    """Fill a new data folder under ``home``; returns the seconds it took."""
    from runcompanion.paths import resolve_paths
    from runcompanion.storage.database import Database

    paths = resolve_paths(home, env={})
    paths.ensure()
    started = time.perf_counter()
    database = Database.open(paths.database)
    try:
        _fill(database, count, random.Random(SEED))
    finally:
        database.close()
    return time.perf_counter() - started


# ------------------------------------------------------------------------------------------------- the child


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child(home: Path, out: Path, chart_draws: int) -> None:
    """Measure, and write the results to ``out``; ``chart_draws``: 0, or the first draw and the redraws."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from runcompanion.paths import resolve_paths
    from runcompanion.services.composition import build_services
    from runcompanion.ui.shell.gui_app import GuiApp

    qapp = QApplication(["bench"])
    paths = resolve_paths(home, env={})
    services = build_services(paths)

    # The worker gathers the charts' data with charts (points and insights) and weekly_minutes, then makes the
    # charts' plain values with the controller's chart_data: note when that is done (wrapping the function the
    # controller calls, not changing it).
    from runcompanion.ui.journal import controller as journal_controller
    from runcompanion.ui.journal.view_model import chart_data as make_values

    gathered: list[float] = []

    def timed_values(*args: Any, **kwargs: Any) -> Any:
        result = make_values(*args, **kwargs)
        gathered.append(time.perf_counter())
        return result

    journal_controller.chart_data = timed_values  # type: ignore[attr-defined]

    gui = GuiApp(paths, ["bench"])
    gui.attach(services)
    gui.window.resize(1280, 800)
    gui.window.show()
    ctypes.c_ssize_t.from_address(id(None)).value += NONE_RESERVE  # see the module's docstring

    def wait(predicate: Callable[[], bool], what: str) -> None:
        """Run the event loop until ``predicate()`` holds (checked every millisecond)."""
        if predicate():
            return
        loop = QEventLoop()
        deadline = time.perf_counter() + TIMEOUT_S

        def check() -> None:
            if predicate() or time.perf_counter() > deadline:
                loop.quit()

        timer = QTimer()
        timer.setInterval(1)
        timer.timeout.connect(check)
        timer.start()
        loop.exec()
        timer.stop()
        if not predicate():
            raise TimeoutError(f"gave up waiting for {what} after {TIMEOUT_S:.0f} s")

    def paint() -> float:
        """Deliver what is posted (layouts, deferred updates), repaint the window; the time when done."""
        qapp.sendPostedEvents()
        gui.window.repaint()
        return time.perf_counter()

    def settle() -> None:
        wait(lambda: gui.tasks.in_flight == 0, "the workers to finish")
        qapp.processEvents()
        paint()

    settle()
    results: dict[str, Any] = {}

    # The first open: the page is built, wired, and loads its first page of rows on a worker.
    started = time.perf_counter()
    gui.window.show_section("Journal")
    page = gui.pages.journal
    built = time.perf_counter()
    resets = [0]
    page.model.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
    wait(lambda: resets[0] > 0 and page.model.rowCount() > 0, "the first page of rows")
    rows_in = time.perf_counter()
    shown = paint()
    results["open_ms"] = (shown - started) * 1000
    results["open_parts_ms"] = {
        "build": (built - started) * 1000,
        "rows": (rows_in - built) * 1000,
        "paint": (shown - rows_in) * 1000,
    }
    results["rows"] = page.model.rowCount()
    results["total"] = page.count.text()
    settle()

    reopens = []
    for _ in range(REOPENS):
        gui.window.show_section("Today")
        settle()
        started = time.perf_counter()
        gui.window.show_section("Journal")
        wait(lambda: page.model.rowCount() > 0, "the rows")
        reopens.append((paint() - started) * 1000)
        settle()
    results["reopen_ms"] = reopens

    # Charts: every switch to the tab gathers on a worker and builds a new charts widget on the GUI thread.
    holder = page.charts_holder
    shows: list[float] = []
    original_show = page.show_charts

    def show_charts(widget: Any) -> None:
        shows.append(time.perf_counter())
        original_show(widget)

    page.show_charts = show_charts  # type: ignore[method-assign]

    def draw_charts() -> dict[str, float]:
        before = len(shows)
        gathered.clear()
        started = time.perf_counter()
        page.tabs.setCurrentIndex(1)
        wait(lambda: len(shows) > before and holder.count() == 2, "the charts")
        qapp.sendPostedEvents()
        widget = holder.widget(1)
        assert widget is not None
        image = widget.grab()
        painted = time.perf_counter()
        parts = {
            "total": (painted - started) * 1000,
            "gather": (gathered[-1] - started) * 1000,
            "build": (shows[-1] - gathered[-1]) * 1000,
            "paint": (painted - shows[-1]) * 1000,
        }
        if os.environ.get("BENCH_JOURNAL_SCREEN_PNG"):
            image.save(os.environ["BENCH_JOURNAL_SCREEN_PNG"])
        page.tabs.setCurrentIndex(0)
        settle()
        return parts

    results["rss_open_mb"] = _rss_mb()
    if chart_draws:
        results["charts_first"] = draw_charts()
        results["charts_again"] = [draw_charts() for _ in range(chart_draws - 1)]

    # Search: typing starts the 200 ms debounce; then the rows are loaded on a worker and shown.
    page.tabs.setCurrentIndex(0)
    asked: list[float] = []
    page.filter_changed.connect(lambda _choice: asked.append(time.perf_counter()))
    searches = []
    for words in _SEARCHES:
        settle()
        asked.clear()
        count_before = resets[0]
        typed = time.perf_counter()
        page.search.setText(words)

        def answered(count_before: int = count_before) -> bool:
            return bool(asked) and resets[0] > count_before

        wait(answered, f"the rows for {words!r}")
        shown = paint()
        searches.append(
            {
                "words": words,
                "rows": page.model.rowCount(),
                "after_debounce_ms": (shown - asked[0]) * 1000,
                "from_typing_ms": (shown - typed) * 1000,
            }
        )
    results["searches"] = searches
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    gui.window.close_guard = lambda: True
    gui.window.close()
    gui.shutdown()


# ------------------------------------------------------------------------------------------------ the parent


def _run_child(home: Path, out: Path, chart_draws: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("RUNCOMPANION_HOME", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.journal_screen", "--child", str(home), str(out), str(chart_draws)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"the measuring child failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return result


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _ms(value: float) -> str:
    return f"{value:.0f} ms"


def _rows(count: int, generated: float, children: list[dict[str, Any]]) -> list[Row]:
    label = f"Journal screen, {count:,} reflections"
    at_goal = count == SIZES[0]
    goal = f"< {GOAL_MS:.0f} ms" if at_goal else ""

    def goal_row(name: str, value_ms: float, detail: str) -> Row:
        return Row(f"{label}: {name}", f"{_ms(value_ms)} ({detail})", goal, value_ms < GOAL_MS if at_goal else None)

    def split(draws: list[dict[str, float]]) -> str:
        return ", ".join(
            f"{what} {_median([d[key] for d in draws]):.0f}"
            for what, key in (("worker", "gather"), ("build", "build"), ("show and paint", "paint"))
        )

    opens = [c["open_ms"] for c in children]
    parts = {key: _median([c["open_parts_ms"][key] for c in children]) for key in ("build", "rows", "paint")}
    charted = [c for c in children if "charts_first" in c]
    first = [c["charts_first"] for c in charted]
    again = [d for c in charted for d in c["charts_again"]]
    searches = [s for c in children for s in c["searches"]]
    answers = [s["after_debounce_ms"] for s in searches]
    typing = [s["from_typing_ms"] for s in searches]
    reopens = [r for c in children for r in c["reopen_ms"]]
    processes = "process" if len(first) == 1 else "processes"
    return [
        Row(f"{label}: generate the data folder", f"{generated:.1f} s", "", None),
        goal_row(
            f"first open, to {children[0]['rows']} rows painted",
            _median(opens),
            f"median of {len(opens)} processes, {min(opens):.0f}-{max(opens):.0f}; build the page "
            f"{parts['build']:.0f}, rows {parts['rows']:.0f}, paint {parts['paint']:.0f}",
        ),
        Row(f"{label}: open again from Today (no reload)", f"{_ms(_median(reopens))} ({len(reopens)} times)", "", None),
        goal_row(
            "charts, first draw in a process (QtCharts import included)",
            _median([d["total"] for d in first]),
            f"median of {len(first)} {processes}; {split(first)}",
        ),
        goal_row(
            "charts, drawn again (tab switched away and back)",
            _median([d["total"] for d in again]),
            f"median of {len(again)}, {len(first)} {processes}; {split(again)}",
        ),
        Row(
            f"{label}: search through the screen, after the 200 ms debounce",
            f"{_ms(_median(answers))} (median of {len(answers)}, max {max(answers):.0f})",
            "",
            None,
        ),
        Row(
            f"{label}: search through the screen, from typing (debounce included)",
            f"{_ms(_median(typing))} (median of {len(typing)})",
            "",
            None,
        ),
        Row(
            f"{label}: resident memory after the first open / peak, charts drawn",
            f"{_median([c['rss_open_mb'] for c in children]):.0f} / "
            f"{_median([c['peak_rss_mb'] for c in charted]):.0f} MB",
            "",
            None,
        ),
    ]


def run(sizes: tuple[int, ...] = SIZES, processes: int = OPENS) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="rc-bench-journal-screen-") as tmp_name:
        tmp = Path(tmp_name)
        for count in sizes:
            home = tmp / f"home-{count}"
            generated = _make_home(home, count)
            children = []
            for i in range(processes):
                draws = 1 + CHART_REDRAWS if i == 0 or count <= CHARTS_IN_EVERY_CHILD_UP_TO else 0
                children.append(_run_child(home, tmp / f"result-{count}-{i}.json", draws))
            rows += _rows(count, generated, children)
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    else:
        from bench.table import render

        print(render(run()))
