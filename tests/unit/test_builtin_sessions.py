"""The six built-in sessions load, and say what their descriptions promise."""

from __future__ import annotations

from pathlib import Path

import pytest

from runcompanion.core.session_files import parse_session_toml
from runcompanion.core.session_plan import SegmentKind, SessionPlan
from runcompanion.core.session_writer import dump_session_toml

SESSIONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "sessions"
EXPECTED_IDS = {
    "first-walk-run",
    "mindful-30",
    "focus-intervals",
    "long-steady-45",
    "treadmill-hills",
    "small-steps-10",
}


def load_all() -> dict[str, SessionPlan]:
    plans: dict[str, SessionPlan] = {}
    for path in sorted(SESSIONS_DIR.glob("*.toml")):
        plan = parse_session_toml(path.read_bytes(), path.name, builtin=True)
        assert plan.id not in plans, f"duplicate id {plan.id} in {path.name}"
        assert path.stem == plan.id, "a built-in file is named after its id"
        plans[plan.id] = plan
    return plans


PLANS = load_all()


def test_the_six_sessions_are_there() -> None:
    assert set(PLANS) == EXPECTED_IDS


@pytest.mark.parametrize(
    ("session_id", "minutes"),
    [
        ("first-walk-run", 20),
        ("mindful-30", 30),
        ("long-steady-45", 45),
        ("small-steps-10", 10),
        ("treadmill-hills", 30),
        ("focus-intervals", 35),
    ],
)
def test_total_durations(session_id: str, minutes: int) -> None:
    assert PLANS[session_id].total_s == minutes * 60


@pytest.mark.parametrize("plan", PLANS.values(), ids=list(PLANS))
def test_every_session_is_complete_and_kind(plan: SessionPlan) -> None:
    assert plan.builtin
    assert plan.description
    assert plan.tags
    assert plan.segments[0].kind is SegmentKind.WARMUP
    assert plan.segments[-1].kind is SegmentKind.COOLDOWN
    for seg in plan.segments:
        if seg.kind in {SegmentKind.RUN, SegmentKind.WALK}:
            assert seg.speed_kmh is not None, f"{plan.id}: {seg.title} needs a speed"
        assert seg.effort is not None
        assert seg.incline_pct is not None
    words = f"{plan.name} {plan.description}".lower()
    for unkind in ("lazy", "weak", "failure", "should have", "no excuses", "burn fat", "cure", "treat"):
        assert unkind not in words, f"{plan.id}: {unkind!r}"


@pytest.mark.parametrize("plan", PLANS.values(), ids=list(PLANS))
def test_builtin_files_survive_a_round_trip(plan: SessionPlan) -> None:
    assert parse_session_toml(dump_session_toml(plan), "again.toml", builtin=True) == plan


def test_first_walk_run_alternates_one_minute_runs_with_ninety_second_walks() -> None:
    plan = PLANS["first-walk-run"]
    assert (plan.segments[0].kind, plan.segments[0].duration_s) == (SegmentKind.WARMUP, 300.0)
    assert (plan.segments[-1].kind, plan.segments[-1].duration_s) == (SegmentKind.COOLDOWN, 300.0)
    middle = plan.segments[1:-1]
    assert [(s.kind, s.duration_s) for s in middle] == [(SegmentKind.RUN, 60.0), (SegmentKind.WALK, 90.0)] * 4
    assert {s.speed_kmh for s in middle if s.kind is SegmentKind.RUN} == {8.0}
    assert {s.speed_kmh for s in middle if s.kind is SegmentKind.WALK} == {5.5}
    assert "beginner" in plan.tags


def test_focus_intervals_has_eight_hard_minutes_with_recoveries() -> None:
    plan = PLANS["focus-intervals"]
    hard = [s for s in plan.segments if s.kind is SegmentKind.RUN]
    assert len(hard) == 8
    assert all(s.duration_s == 60.0 for s in hard)
    assert all(s.effort is not None and s.effort >= 7 for s in hard)
    kinds = [s.kind for s in plan.segments]
    for i, kind in enumerate(kinds):
        if kind is SegmentKind.RUN:
            after = plan.segments[i + 1]
            assert after.kind is SegmentKind.RECOVER
            assert after.duration_s in {60.0, 90.0}
    assert "intervals" in plan.tags


def test_mindful_30_stays_conversational() -> None:
    plan = PLANS["mindful-30"]
    main = [s for s in plan.segments if s.kind is SegmentKind.RUN]
    assert main
    assert all(s.effort in {3, 4} for s in main)
    assert "mindful" in plan.tags


def test_long_steady_45_is_steady() -> None:
    plan = PLANS["long-steady-45"]
    main = [s for s in plan.segments if s.kind is SegmentKind.RUN]
    assert sum(s.duration_s for s in main) >= 30 * 60
    assert len({s.speed_kmh for s in main}) == 1
    assert "long" in plan.tags


def test_treadmill_hills_climbs_from_two_to_six_percent() -> None:
    plan = PLANS["treadmill-hills"]
    climbs = [s.incline_pct for s in plan.segments if s.kind is SegmentKind.RUN]
    assert climbs == [2.0, 4.0, 6.0, 4.0, 2.0]
    assert "hills" in plan.tags


def test_small_steps_10_is_gentle() -> None:
    plan = PLANS["small-steps-10"]
    assert "gentle" in plan.tags
    assert all(s.effort is not None and s.effort <= 3 for s in plan.segments)
    assert not any(s.kind is SegmentKind.RUN for s in plan.segments)
    assert any(s.kind is SegmentKind.FREE for s in plan.segments), "the easy jog is an option, not an order"
