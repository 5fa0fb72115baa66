"""'Nearly there' is said only where it is true: the last quarter of its segment or of the session."""

from __future__ import annotations

from pathlib import Path

from runcompanion.core.cue_library import load_cue_library
from runcompanion.core.cue_scheduler import CueSettings, schedule_cues
from runcompanion.core.cue_timeline import CueKind
from runcompanion.core.session_files import parse_session_toml

ROOT = Path(__file__).resolve().parents[2]


def estimate(text: str) -> float:
    return 0.4 + len(text) / 14.0


def test_nearly_there_only_in_the_last_quarter_of_its_segment_or_the_session() -> None:
    library = load_cue_library((p.name, p.read_bytes()) for p in sorted((ROOT / "resources" / "cues").glob("*.toml")))
    nearly = [c for c in library.cues if "nearly-done" in c.tags]
    assert any("Nearly there" in c.text for c in nearly)
    heard = 0
    for name in ("focus-intervals", "first-walk-run", "small-steps-10"):
        path = ROOT / "resources" / "sessions" / f"{name}.toml"
        plan = parse_session_toml(path.read_bytes(), path.name, builtin=True)
        starts = plan.segment_starts()
        for seed in range(80):
            for cue in schedule_cues(plan, library, CueSettings(), seed, estimate).cues:
                if cue.kind is not CueKind.MOTIVATION or "Nearly there" not in cue.text:
                    continue
                heard += 1
                segment = plan.segments[cue.segment_index]
                into_segment = (cue.offset_s - starts[cue.segment_index]) / segment.duration_s
                assert into_segment >= 0.75 or cue.offset_s >= plan.total_s * 0.75, (name, seed, cue.offset_s)
    assert heard > 0  # it is still said, where it is true
