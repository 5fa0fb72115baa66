"""Run the benchmarks and print their table (Markdown, ready for docs/benchmarks.md).

    .venv/bin/python -m bench.run            # everything
    .venv/bin/python -m bench.run startup    # only some groups

Benchmarks measure; tests check behaviour. Nothing here fails a build.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys

from bench.table import Row, render

GROUPS = [
    "startup",
    "engine",
    "speech",
    "voices",
    "gui_stall",
    "live_timing",
    "journal",
    "journal_screen",
    "journal_charts",
    "mood_strip",
    "coach",
    "devices",
    "formats",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=f"some of: {', '.join(GROUPS)}")
    args = parser.parse_args()
    rows: list[Row] = []
    unknown = sorted(set(args.groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown group(s): {', '.join(unknown)}")
    for group in args.groups or GROUPS:
        print(f"running {group} ...", file=sys.stderr)
        rows += importlib.import_module(f"bench.{group}").run()
    print(f"Python {platform.python_version()}, {platform.machine()}, {platform.system()}")
    print()
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
