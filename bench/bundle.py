"""The standalone bundle against the virtual environment: size on disk, and cold start to the first painted window.

Needs a built bundle (`bash scripts/build-bundle.sh`) and Xvfb. Each start gets a new data folder (the database is
created and migrated, as at a person's first start) and the starts alternate between the bundle and the venv, so a
busy moment on the shared machine hits both alike. Run it on its own: `.venv/bin/python -m bench.bundle`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench.startup import _time_to_paint
from bench.table import Row, render
from tests.e2e.harness import xvfb_display

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "RunCompanion"


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def run(repeats: int = 5) -> list[Row]:
    program = BUNDLE / "RunCompanion"
    if not program.exists():
        raise SystemExit("no dist/RunCompanion/RunCompanion: run `bash scripts/build-bundle.sh` first")
    tarballs = sorted((ROOT / "dist").glob("RunCompanion-*-linux-*.tar.gz"))
    venv_app = Path(sys.executable).with_name("runcompanion")
    bundle_s: list[float] = []
    bundle_rss: list[int] = []
    venv_s: list[float] = []
    venv_rss: list[int] = []
    with xvfb_display() as display, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("RUNCOMPANION_HOME", None)
        for i in range(repeats):
            for name, command, times, memory in (
                ("bundle", [str(program)], bundle_s, bundle_rss),
                ("venv", [str(venv_app)], venv_s, venv_rss),
            ):
                home = Path(tmp) / f"{name}-{i}"
                seconds, rss = _time_to_paint(
                    [*command, "--data-dir", str(home)], env, home / "data" / "runcompanion.log"
                )
                times.append(seconds)
                memory.append(rss)
    rows = [
        Row("bundle size on disk (dist/RunCompanion)", f"{_size_mb(BUNDLE):.0f} MB", "", None),
        Row(
            "virtual environment size on disk (.venv, with the dev tools)",
            f"{_size_mb(ROOT / '.venv'):.0f} MB",
            "",
            None,
        ),
    ]
    if tarballs:
        rows.append(Row(f"Linux tarball ({tarballs[-1].name})", f"{_size_mb(tarballs[-1]):.0f} MB", "", None))
    rows += [
        Row("bundle: first start, first paint (median)", f"{statistics.median(bundle_s) * 1000:.0f} ms", "", None),
        Row("venv: first start, first paint (median)", f"{statistics.median(venv_s) * 1000:.0f} ms", "", None),
        Row("bundle: resident memory 2 s after start", f"{statistics.median(bundle_rss) / 1024:.0f} MB", "", None),
        Row("venv: resident memory 2 s after start", f"{statistics.median(venv_rss) / 1024:.0f} MB", "", None),
    ]
    return rows


def main() -> int:
    print(render(run()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
