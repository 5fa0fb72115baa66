"""Fill a data folder with six weeks of believable runs and reflections, for screenshots and for trying the
journal's charts without running for six weeks.

    .venv/bin/python scripts/demo_data.py DIR      # then: .venv/bin/runcompanion --data-dir DIR
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import demo_devices

from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.storage.records import CheckIn, ReflectionInput
from runcompanion.storage.run_repository import RunRepository

NOTES = [
    ("I nearly skipped it. Glad I didn't: the walk breaks made it doable.", ("treadmill",)),
    ("My mind was racing at the start and quiet by the cool-down.", ("calm",)),
    ("Legs heavy today, but I kept the rhythm of my breathing.", ("tired", "treadmill")),
    ("Proud of finishing every run interval.", ("proud",)),
    ("Listened to the body-scan cue and noticed my shoulders were up by my ears.", ("mindful",)),
    ("Ran with Sam; we talked the whole warm-up.", ("with sam", "outdoors")),
    ("Short one. Something is better than nothing.", ("small steps",)),
]


def main(home: Path) -> int:
    services = build_services(resolve_paths(home))
    runs = RunRepository(services.database)
    rng = random.Random(5)
    sessions = [services.catalog.get(i) for i in ("first-walk-run", "mindful-30", "focus-intervals", "small-steps-10")]
    now = dt.datetime.now().astimezone().replace(minute=0, second=0, microsecond=0)
    try:
        for days_ago in range(42, 0, -1):
            if days_ago % 7 not in (0, 2, 5) or rng.random() < 0.15:
                continue
            plan = rng.choice(sessions)
            hour = rng.choice((7, 7, 12, 18, 19))
            started = (now - dt.timedelta(days=days_ago)).replace(hour=hour).astimezone(dt.UTC)
            record = runs.start(
                plan.id, plan.name, plan.tags, plan.total_s, rng.randrange(1, 10_000), None, "app", started
            )
            finished = rng.random() > 0.1
            elapsed = plan.total_s if finished else plan.total_s * rng.uniform(0.4, 0.8)
            runs.finish(
                record.id,
                "finished" if finished else "stopped",
                elapsed,
                len(plan.segments) - 1,
                len(plan.segments) if finished else 2,
                [],
                started + dt.timedelta(seconds=elapsed),
            )
            before = rng.randint(-3, 2)
            after = min(5, before + rng.choice((0, 1, 2, 2, 3, 3, 4)) + (1 if hour < 12 else 0))
            text, tags = rng.choice(NOTES)
            if "outdoors" not in tags:  # a run outside has no treadmill to measure it
                demo_devices.add_run(services.run_figures, record.id, plan.segments, elapsed)
            services.journal.complete(
                record.id,
                ReflectionInput(feeling_after=after, effort=rng.randint(3, 7), text=text, tags=tags),
                check_in=CheckIn(before, rng.randint(2, 4)),
            )
    finally:
        services.close()
    print(f"Filled {home} with demo runs.")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
