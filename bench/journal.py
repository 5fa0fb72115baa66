"""The journal at scale: full-text search, the first page of the list, export to JSON and import of that file,
with 10,000 and 100,000 reflections.

The journals are generated straight into SQLite with executemany on the database's own connection (the search
triggers fill the FTS index as they would for the app), from a fixed seed, so every run measures the same data.
Goals at 10,000 reflections: a search answers in under 100 ms, an export to JSON takes under 2 s.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

from bench.table import Row
from runcompanion.services.journal_transfer import JournalTransfer
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import JournalFilter
from runcompanion.storage.reflection_repository import ReflectionRepository

SIZES: Final = (10_000, 100_000)
SEED: Final = 20240506
FIRST_RUN: Final = dt.datetime(2015, 1, 1, 6, 0, tzinfo=dt.UTC)

_WORDS: Final = (
    "calm",
    "strong",
    "tired",
    "light",
    "heavy",
    "breath",
    "breathing",
    "rhythm",
    "legs",
    "river",
    "park",
    "morning",
    "evening",
    "rain",
    "sun",
    "wind",
    "hill",
    "hills",
    "treadmill",
    "music",
    "quiet",
    "busy",
    "thoughts",
    "worry",
    "work",
    "family",
    "friend",
    "dog",
    "geese",
    "pond",
    "trees",
    "city",
    "road",
    "easy",
    "steady",
    "fast",
    "slow",
    "interval",
    "recovery",
    "stretch",
    "proud",
    "grateful",
    "happy",
    "anxious",
    "clear",
    "focus",
    "sleep",
    "coffee",
    "lunch",
    "sunrise",
    "sunset",
    "cold",
    "warm",
    "knee",
    "calf",
    "shoulders",
    "posture",
    "cadence",
    "smile",
    "tempo",
    "long",
    "short",
    "today",
    "again",
    "better",
)
_TAGS: Final = ("morning", "evening", "outdoors", "treadmill", "rain", "with sam", "park", "tired", "race", "easy")
_SESSIONS: Final = (
    ("easy-30", "Easy 30", "easy"),
    ("c25k-w3r2", "Couch to 5K: week 3, run 2", "c25k,beginner"),
    ("focus-intervals", "Focus intervals", "intervals"),
    ("mindful-run", "Mindful run", "mindful"),
    ("manual", "Outdoor run", ""),
)
# Words a runner might type, each searched with a filter (this year and the last) and a limit of 200.
_SEARCHES: Final = ("calm", "river morning", "geese pond", "breath rhyth", "proud strong", "sunset", "wor")


def _instant(value: dt.datetime) -> str:
    return value.isoformat(timespec="microseconds")


def _fill(database: Database, count: int, rng: random.Random) -> None:
    """``count`` finished runs, one every ~8 hours back from now, each with a reflection and 0-3 tags."""
    runs: list[tuple[object, ...]] = []
    reflections: list[tuple[object, ...]] = []
    tags: list[tuple[int, str]] = []
    step = (dt.datetime.now(dt.UTC) - FIRST_RUN) / count
    for run_id in range(1, count + 1):
        started = FIRST_RUN + step * (run_id - 1) + dt.timedelta(seconds=rng.randrange(3600))
        elapsed = float(rng.randrange(900, 3600))
        session_id, name, session_tags = rng.choice(_SESSIONS)
        source = "manual" if session_id == "manual" else "app"
        runs.append(
            (
                run_id,
                session_id,
                name,
                session_tags,
                elapsed,
                source,
                "finished",
                _instant(started),
                _instant(started + dt.timedelta(seconds=elapsed)),
                elapsed,
            )
        )
        before = rng.randint(-3, 3)
        text = " ".join(rng.choices(_WORDS, k=rng.randint(10, 70)))
        stamp = _instant(started + dt.timedelta(seconds=elapsed + 120))
        reflections.append(
            (
                run_id,
                run_id,
                before,
                rng.randint(1, 6),
                min(5, before + rng.randint(-1, 4)),
                rng.randint(2, 8),
                "What did you notice around you?",
                text.capitalize() + ".",
                round(rng.uniform(2, 12), 2),
                0,
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
            "INSERT INTO reflections (id, run_id, feeling_before, arousal_before, feeling_after, effort, prompt, "
            "text, distance_km, is_draft, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            reflections,
        )
        connection.exec_driver_sql("INSERT INTO reflection_tags (reflection_id, tag) VALUES (?, ?)", tags)


def _seconds(action: Callable[[], object], repeats: int) -> float:
    """The median wall time of ``repeats`` calls, after one warm-up call."""
    action()
    timings: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _measure(count: int, folder: Path) -> list[Row]:
    label = f"journal, {count:,} reflections"
    at_goal_size = count == SIZES[0]
    database = Database.open(folder / f"journal-{count}.sqlite3")
    empty = Database.open(folder / f"imported-{count}.sqlite3")
    try:
        started = time.perf_counter()
        _fill(database, count, random.Random(SEED))
        generated = time.perf_counter() - started
        queries = JournalQueries(database)
        transfer = JournalTransfer(queries, ReflectionRepository(database))
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=730)
        search = statistics.median(
            _seconds(lambda words=words: queries.page(JournalFilter(text=words, started_from=since), limit=200), 5)
            for words in _SEARCHES
        )
        tagged = _seconds(lambda: queries.page(JournalFilter(text="calm", tag="park"), limit=200), 5)
        first_page = _seconds(lambda: queries.page(limit=50), 5)
        backup = folder / f"journal-{count}.json"
        export = _seconds(lambda: transfer.export("json", backup), 3 if at_goal_size else 1)
        size_mb = backup.stat().st_size / 1e6
        started = time.perf_counter()
        report = JournalTransfer(JournalQueries(empty), ReflectionRepository(empty)).import_file(backup)
        imported = time.perf_counter() - started
        assert report.reflections_added == count, report
    finally:
        database.close()
        empty.close()
    search_ms = search * 1000
    return [
        Row(f"{label}: generate (executemany, FTS triggers on)", f"{generated:.1f} s", "", None),
        Row(
            f"{label}: search, median of {len(_SEARCHES)} queries (FTS5, date filter, limit 200)",
            f"{search_ms:.1f} ms",
            "< 100 ms" if at_goal_size else "",
            search_ms < 100 if at_goal_size else None,
        ),
        Row(f"{label}: search with a tag filter (limit 200)", f"{tagged * 1000:.1f} ms", "", None),
        Row(f"{label}: list, first page of 50", f"{first_page * 1000:.1f} ms", "", None),
        Row(
            f"{label}: export to JSON ({size_mb:.0f} MB)",
            f"{export:.2f} s",
            "< 2 s" if at_goal_size else "",
            export < 2 if at_goal_size else None,
        ),
        Row(f"{label}: import that JSON into an empty data folder", f"{imported:.2f} s", "", None),
    ]


def run() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in SIZES:
            rows += _measure(count, Path(tmp))
    return rows


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))
