"""The cue scheduler: every rule of how interval, progress and library cues are placed in a run."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runcompanion.core.cue_library import Cue, CueLibrary
from runcompanion.core.cue_scheduler import (
    BEEP_S,
    CHIME_S,
    GAP_S,
    QUIET_S,
    CueSettings,
    is_hard_segment,
    schedule_cues,
)
from runcompanion.core.cue_templates import Ordinal, change_text, duration_words, heads_up_text
from runcompanion.core.cue_timeline import CueDensity, CueKind, CuePriority, CueTimeline, TimelineCue
from runcompanion.core.errors import UserError
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.units import SpeedUnit

LIBRARY_KINDS = {CueKind.MINDFULNESS, CueKind.MOTIVATION, CueKind.SCIENCE, CueKind.REFLECTION, CueKind.PERSONAL}
COACH_KINDS = {CueKind.BRIEFING, CueKind.THEME}
INTERVAL_KINDS = {CueKind.HEADS_UP, CueKind.CHANGE, CueKind.COUNTDOWN, CueKind.START, CueKind.FINISH}


def fake_duration(text: str) -> float:
    return 0.4 + 0.06 * len(text)


def _library(per_kind: int = 30) -> CueLibrary:
    cues = []
    for kind in (CueKind.MINDFULNESS, CueKind.MOTIVATION, CueKind.SCIENCE, CueKind.REFLECTION):
        for i in range(per_kind):
            cues.append(
                Cue(
                    id=f"{kind.value}-{i}",
                    kind=kind,
                    text=f"A {kind.value} cue, number {i}, for testing.",
                    source="Test source (2024)." if kind is CueKind.SCIENCE else "",
                )
            )
    return CueLibrary(cues)


LIBRARY = _library()


def _plan(*segments: Segment, tags: tuple[str, ...] = (), name: str = "Test session") -> SessionPlan:
    return SessionPlan(id="test", name=name, segments=segments, tags=tags)


def _intervals() -> SessionPlan:
    segments = [Segment(SegmentKind.WARMUP, 300, speed_kmh=5)]
    for _ in range(6):
        segments.append(Segment(SegmentKind.RUN, 60, speed_kmh=8.5, incline_pct=1))
        segments.append(Segment(SegmentKind.WALK, 90, speed_kmh=5.5))
    segments.append(Segment(SegmentKind.COOLDOWN, 300, effort=2))
    return _plan(*segments)


def _steady() -> SessionPlan:
    return _plan(
        Segment(SegmentKind.WARMUP, 300, speed_kmh=5),
        Segment(SegmentKind.RUN, 1200, speed_kmh=9, effort=5),
        Segment(SegmentKind.COOLDOWN, 300, speed_kmh=5),
    )


def _schedule(
    plan: SessionPlan,
    *,
    library: CueLibrary = LIBRARY,
    seed: int = 1,
    density: CueDensity = CueDensity.LIGHT,
    chime: bool = True,
    units: SpeedUnit = SpeedUnit.KMH,
    duration_of: Callable[[str], float] = fake_duration,
) -> CueTimeline:
    return schedule_cues(plan, library, CueSettings(density, units, chime), seed, duration_of)


def _of(timeline: CueTimeline, *kinds: CueKind) -> list[TimelineCue]:
    return [c for c in timeline.cues if c.kind in kinds]


def _boundaries(plan: SessionPlan) -> list[float]:
    return plan.segment_starts()[1:]


def _assert_well_formed(plan: SessionPlan, timeline: CueTimeline) -> None:
    """The invariants every timeline keeps, whatever the plan, seed and settings."""
    cues = timeline.cues
    offsets = [c.offset_s for c in cues]
    assert offsets == sorted(offsets)
    for before, after in itertools.pairwise(cues):
        assert before.end_s <= after.offset_s + 1e-9, f"{before} overlaps {after}"
    # A change (or the start) opens every segment, and the finish closes the session, last of all.
    assert cues[0].offset_s == 0
    assert cues[0].kind is CueKind.START
    changes = [c.offset_s for c in cues if c.kind is CueKind.CHANGE]
    assert changes == pytest.approx(_boundaries(plan))
    assert cues[-1].kind is CueKind.FINISH
    assert cues[-1].offset_s == pytest.approx(plan.total_s)
    assert [c for c in cues if c.kind is CueKind.FINISH] == [cues[-1]]
    # No library text is said twice in a run (announcements may repeat: "10 seconds, then walk.").
    said = [c.text for c in cues if c.kind in LIBRARY_KINDS]
    assert len(said) == len(set(said))
    for cue in cues:
        assert cue.segment_index == plan.segment_at(cue.offset_s)
        assert (cue.cue_id != "") == (cue.kind in LIBRARY_KINDS | COACH_KINDS)
        assert cue.beep == (cue.kind is CueKind.COUNTDOWN)
    # Library cues keep their distance from the interval cues, and come only where their kind fits.
    interval = [c for c in cues if c.kind in INTERVAL_KINDS]
    for cue in cues:
        if cue.kind in LIBRARY_KINDS:
            segment = plan.segments[cue.segment_index]
            assert cue.priority is CuePriority.LOW
            if cue.kind is CueKind.SCIENCE:
                assert not is_hard_segment(segment)
            if cue.kind is CueKind.REFLECTION:
                assert cue.offset_s >= plan.total_s * 2 / 3 or segment.kind is SegmentKind.COOLDOWN
            for other in interval:
                assert cue.end_s + QUIET_S <= other.offset_s + 1e-9 or other.end_s + QUIET_S <= cue.offset_s + 1e-9


# -- start, changes, countdowns ---------------------------------------------------------------------------


def test_start_cue_announces_the_first_segment() -> None:
    plan = _intervals()

    timeline = _schedule(plan)

    start = timeline.cues[0]
    assert start.offset_s == 0
    assert start.kind is CueKind.START
    assert start.priority is CuePriority.HIGH
    assert start.text.startswith("Here we go: Test session, 25 minutes in all.")
    assert start.text.endswith(change_text(plan.segments[0], SpeedUnit.KMH, True))
    assert start.chime
    assert start.duration_s == pytest.approx(CHIME_S + fake_duration(start.text))


def test_a_chimed_change_at_every_boundary() -> None:
    plan = _intervals()

    timeline = _schedule(plan)

    changes = _of(timeline, CueKind.CHANGE)
    assert [c.offset_s for c in changes] == _boundaries(plan)
    for index, change in enumerate(changes, start=1):
        assert change.priority is CuePriority.HIGH
        assert change.chime
        assert change.segment_index == index
        assert change.duration_s == pytest.approx(CHIME_S + fake_duration(change.text))
    # The warm-up had no incline, so the first run says it; the speed was given in km/h once, at the start.
    assert changes[0].text == "Run now, 1 minute. Speed 8.5. Incline 1 percent. Run 1 of 6."


def test_without_chime_changes_are_speech_only() -> None:
    timeline = _schedule(_intervals(), chime=False)

    for cue in _of(timeline, CueKind.CHANGE, CueKind.START, CueKind.FINISH):
        assert not cue.chime
        assert cue.duration_s == pytest.approx(fake_duration(cue.text))


def test_countdown_beeps_before_every_change_and_the_finish() -> None:
    plan = _intervals()

    timeline = _schedule(plan)

    beeps = _of(timeline, CueKind.COUNTDOWN)
    expected = []
    for boundary in [*_boundaries(plan), plan.total_s]:
        expected += [(boundary - 3, "3"), (boundary - 2, "2"), (boundary - 1, "1")]
    assert [(b.offset_s, b.text) for b in beeps] == expected
    for beep in beeps:
        assert beep.beep
        assert beep.duration_s == BEEP_S
        assert beep.priority is CuePriority.HIGH


def test_speeds_are_spoken_in_the_runners_units() -> None:
    timeline = _schedule(_intervals(), units=SpeedUnit.MPH)

    start = timeline.cues[0]
    assert "3.1 miles per hour" in start.text
    assert "Speed 5.3." in _of(timeline, CueKind.CHANGE)[0].text
    assert "kilometres" not in " ".join(timeline.spoken_texts())


# -- heads-ups --------------------------------------------------------------------------------------------


def test_heads_up_ten_seconds_before_every_change() -> None:
    plan = _intervals()

    timeline = _schedule(plan)

    heads_ups = _of(timeline, CueKind.HEADS_UP)
    assert len(heads_ups) == len(_boundaries(plan))
    leads = [boundary - cue.offset_s for cue, boundary in zip(heads_ups, _boundaries(plan), strict=True)]
    for cue, lead in zip(heads_ups, leads, strict=True):
        # The text always says how far ahead it is; only a long one starts earlier than 10 seconds out.
        assert cue.text.startswith((f"In {lead:.0f} seconds: ", f"{lead:.0f} seconds, then "))
    assert leads.count(10) >= len(leads) - 2
    first = heads_ups[0]
    assert first.text == heads_up_text(plan.segments[1], SpeedUnit.KMH, ordinal=Ordinal(1, 6), current=plan.segments[0])
    # The end of a run (no effort given: hard for a beginner) gets the short form.
    assert heads_ups[1].text == "10 seconds, then walk."
    assert first.priority is CuePriority.HIGH
    for cue, boundary in zip(heads_ups, _boundaries(plan), strict=True):
        assert cue.end_s + GAP_S <= boundary - 3, "a heads-up ends before the first beep"


def test_long_heads_up_starts_earlier_and_says_so() -> None:
    plan = _plan(Segment(SegmentKind.WARMUP, 120), Segment(SegmentKind.RUN, 60, speed_kmh=10, incline_pct=2))

    # Slow speech: the heads-up takes about 9 seconds, too long to start 10 seconds out.
    timeline = _schedule(plan, duration_of=lambda text: 0.25 * len(text))

    (heads_up,) = _of(timeline, CueKind.HEADS_UP)
    assert heads_up.text == "In 15 seconds: run, incline 2 percent."
    assert heads_up.offset_s == 120 - 15
    assert heads_up.end_s + GAP_S <= 120 - 3


def test_heads_up_dropped_when_the_segment_is_too_short_but_change_kept() -> None:
    plan = _plan(
        Segment(SegmentKind.WARMUP, 160),
        Segment(SegmentKind.RUN, 12, speed_kmh=14),
        Segment(SegmentKind.WALK, 60),
    )

    timeline = _schedule(plan)

    heads_ups = _of(timeline, CueKind.HEADS_UP)
    assert [c.offset_s for c in heads_ups] == [150]  # only before the run, not inside it
    assert [c.offset_s for c in _of(timeline, CueKind.CHANGE)] == [160, 172]
    _assert_well_formed(plan, timeline)


# -- short segments ---------------------------------------------------------------------------------------


def test_short_segment_gets_the_brief_change() -> None:
    plan = _plan(
        Segment(SegmentKind.WARMUP, 60),
        Segment(SegmentKind.RUN, 7, speed_kmh=14),
        Segment(SegmentKind.WALK, 60),
    )

    timeline = _schedule(plan)

    change = _of(timeline, CueKind.CHANGE)[0]
    assert change.text == "Run now."
    assert [b.offset_s for b in _of(timeline, CueKind.COUNTDOWN)][:6] == [57, 58, 59, 64, 65, 66]
    _assert_well_formed(plan, timeline)


def test_very_short_segment_loses_its_countdown_before_its_change() -> None:
    plan = _plan(
        Segment(SegmentKind.WARMUP, 60),
        Segment(SegmentKind.RUN, 4, speed_kmh=14),
        Segment(SegmentKind.WALK, 60),
    )

    timeline = _schedule(plan)

    beeps = [b.offset_s for b in _of(timeline, CueKind.COUNTDOWN)]
    assert not {61, 62, 63} & set(beeps)
    assert [c.offset_s for c in _of(timeline, CueKind.CHANGE)] == [60, 64]
    _assert_well_formed(plan, timeline)


def test_impossibly_short_segment_is_a_user_error() -> None:
    plan = _plan(Segment(SegmentKind.WARMUP, 60), Segment(SegmentKind.RUN, 0.5), Segment(SegmentKind.WALK, 60))

    with pytest.raises(UserError, match=r"Segment 2 \(Run, 1 second\) is too short"):
        _schedule(plan)


def test_empty_plan_is_rejected() -> None:
    with pytest.raises(ValueError, match="at least one segment"):
        _schedule(_plan())


def test_bad_durations_are_rejected() -> None:
    with pytest.raises(ValueError, match="duration_of"):
        _schedule(_steady(), duration_of=lambda text: -1.0)
    with pytest.raises(ValueError, match="duration_of"):
        _schedule(_steady(), duration_of=lambda text: float("nan"))


# -- halfway and one minute left --------------------------------------------------------------------------


def test_session_halfway() -> None:
    plan = _intervals()

    timeline = _schedule(plan)

    halfway = [c for c in _of(timeline, CueKind.HALFWAY) if c.text.startswith("Halfway there.")]
    assert len(halfway) == 1
    assert halfway[0].priority is CuePriority.NORMAL
    assert abs(halfway[0].offset_s - plan.total_s / 2) <= 30


@pytest.mark.parametrize("seconds", [20.0, 25.0, 40.0, 300.0])
def test_a_halfway_cue_is_said_close_to_the_half_it_names(seconds: float) -> None:
    # Two runs around a walk: the change cues crowd the middle, and the halfway cue must not wander off it.
    plan = _plan(Segment(SegmentKind.RUN, seconds), Segment(SegmentKind.WALK, 20.0), Segment(SegmentKind.RUN, seconds))
    starts = plan.segment_starts()
    for seed in range(1, 6):
        for cue in _of(_schedule(plan, seed=seed), CueKind.HALFWAY):
            if cue.text.startswith("Halfway there."):
                middle, named = plan.total_s / 2, plan.total_s
            else:  # "Halfway through this run": the middle of its segment
                named = plan.segments[cue.segment_index].duration_s
                middle = starts[cue.segment_index] + named / 2
            assert abs(cue.offset_s - middle) <= 0.05 * named, cue


def test_halfway_and_one_minute_for_long_segments_only() -> None:
    plan = _intervals()  # 5-minute warm-up and cool-down; 1 and 1.5 minute intervals

    timeline = _schedule(plan)

    segment_halfways = [c for c in _of(timeline, CueKind.HALFWAY) if c.text.startswith("Halfway through")]
    assert [c.segment_index for c in segment_halfways] == [0, 13]
    assert segment_halfways[0].offset_s == 150
    assert segment_halfways[0].text == "Halfway through this warm-up, 2 and a half minutes to go."
    one_minute = _of(timeline, CueKind.ONE_MINUTE)
    assert [c.offset_s for c in one_minute] == [240, 1440]
    assert one_minute[0].text == "One minute left in this warm-up."
    assert one_minute[1].text == "One minute left in the session."
    assert all(c.priority is CuePriority.NORMAL for c in segment_halfways + one_minute)


def test_four_minutes_is_long_enough() -> None:
    plan = _plan(Segment(SegmentKind.WALK, 240), Segment(SegmentKind.RUN, 239), Segment(SegmentKind.WALK, 600))

    timeline = _schedule(plan, density=CueDensity.OFF)

    one_minute = [c.segment_index for c in _of(timeline, CueKind.ONE_MINUTE)]
    assert one_minute == [0, 2]


def test_one_halfway_when_session_and_segment_middles_coincide() -> None:
    plan = _plan(Segment(SegmentKind.FREE, 1200))

    timeline = _schedule(plan)

    halfways = _of(timeline, CueKind.HALFWAY)
    assert [c.text for c in halfways] == ["Halfway there. 10 minutes done, and the same again to go."]


def test_halfway_moves_out_of_the_way_of_a_change() -> None:
    # The middle of the session is exactly a boundary: the halfway cue must wait until the change is said.
    plan = _plan(Segment(SegmentKind.WALK, 300), Segment(SegmentKind.RUN, 300, speed_kmh=9))

    timeline = _schedule(plan)

    (change,) = _of(timeline, CueKind.CHANGE)
    session_halfway = next(c for c in _of(timeline, CueKind.HALFWAY) if c.text.startswith("Halfway there"))
    assert session_halfway.offset_s >= change.end_s
    assert session_halfway.offset_s - 300 <= 30


# -- library cues -----------------------------------------------------------------------------------------


def test_density_off_has_no_library_cues() -> None:
    timeline = _schedule(_steady(), density=CueDensity.OFF)

    assert _of(timeline, *LIBRARY_KINDS) == []
    assert _of(timeline, CueKind.HALFWAY), "progress cues do not depend on density"


@pytest.mark.parametrize("seed", range(5))
def test_density_light_is_about_every_four_minutes(seed: int) -> None:
    plan = _steady()  # 30 minutes

    library_cues = _of(_schedule(plan, seed=seed, density=CueDensity.LIGHT), *LIBRARY_KINDS)

    assert 5 <= len(library_cues) <= 9
    gaps = [b.offset_s - a.offset_s for a, b in itertools.pairwise(library_cues)]
    assert all(gap >= 0.8 * 240 - 1e-9 for gap in gaps)


@pytest.mark.parametrize("seed", range(5))
def test_density_regular_is_about_every_two_minutes(seed: int) -> None:
    plan = _steady()

    library_cues = _of(_schedule(plan, seed=seed, density=CueDensity.REGULAR), *LIBRARY_KINDS)

    assert 11 <= len(library_cues) <= 17
    gaps = [b.offset_s - a.offset_s for a, b in itertools.pairwise(library_cues)]
    assert all(gap >= 0.8 * 120 - 1e-9 for gap in gaps)


def test_library_cues_carry_their_id_and_library_text() -> None:
    timeline = _schedule(_steady(), density=CueDensity.REGULAR)

    library_cues = _of(timeline, *LIBRARY_KINDS)
    assert library_cues
    for cue in library_cues:
        source = LIBRARY.get(cue.cue_id)
        assert source is not None
        assert cue.text == source.text
        assert cue.kind is source.kind
        assert cue.duration_s == pytest.approx(fake_duration(cue.text))
        assert not cue.chime


@pytest.mark.parametrize("seed", range(8))
def test_library_cues_keep_fifteen_seconds_from_interval_cues(seed: int) -> None:
    plan = _intervals()

    timeline = _schedule(plan, seed=seed, density=CueDensity.REGULAR)

    assert _of(timeline, *LIBRARY_KINDS)
    _assert_well_formed(plan, timeline)


def test_no_library_text_twice_even_when_the_library_runs_short() -> None:
    small = _library(per_kind=2)
    plan = _plan(Segment(SegmentKind.COOLDOWN, 3600))

    timeline = _schedule(plan, library=small, density=CueDensity.REGULAR)

    library_cues = _of(timeline, *LIBRARY_KINDS)
    assert len(library_cues) == len(small)  # every cue once, then silence
    assert len({c.text for c in library_cues}) == len(library_cues)


def test_reflection_only_in_the_last_third_or_cool_down() -> None:
    reflections_only = CueLibrary(
        Cue(id=f"r{i}", kind=CueKind.REFLECTION, text=f"Reflect on thing {i}.") for i in range(40)
    )
    plan = _plan(Segment(SegmentKind.WALK, 1800), Segment(SegmentKind.COOLDOWN, 600))

    for seed in range(5):
        timeline = _schedule(plan, library=reflections_only, seed=seed, density=CueDensity.REGULAR)
        reflections = _of(timeline, CueKind.REFLECTION)
        assert reflections
        for cue in reflections:
            assert cue.offset_s >= plan.total_s * 2 / 3 or cue.segment_index == 1


def test_reflection_allowed_early_in_a_cool_down() -> None:
    reflections_only = CueLibrary(
        Cue(id=f"r{i}", kind=CueKind.REFLECTION, text=f"Reflect on thing {i}.") for i in range(10)
    )
    plan = _plan(Segment(SegmentKind.COOLDOWN, 900), Segment(SegmentKind.WALK, 2400))

    timeline = _schedule(plan, library=reflections_only, density=CueDensity.REGULAR)

    assert any(c.segment_index == 0 for c in _of(timeline, CueKind.REFLECTION))


def test_no_science_in_hard_segments() -> None:
    science_only = CueLibrary(
        Cue(id=f"s{i}", kind=CueKind.SCIENCE, text=f"Science fact {i}.", source="A study.") for i in range(40)
    )
    plan = _plan(
        Segment(SegmentKind.WALK, 600),
        Segment(SegmentKind.RUN, 600, effort=8),  # a hard effort
        Segment(SegmentKind.RUN, 600),  # a run with no effort target counts as hard
        Segment(SegmentKind.RUN, 600, effort=4),  # an easy run does not
    )

    timeline = _schedule(plan, library=science_only, density=CueDensity.REGULAR)

    indexes = {c.segment_index for c in _of(timeline, CueKind.SCIENCE)}
    assert indexes == {0, 3}


def test_is_hard_segment() -> None:
    assert is_hard_segment(Segment(SegmentKind.RUN, 60))
    assert is_hard_segment(Segment(SegmentKind.WALK, 60, effort=7))
    assert not is_hard_segment(Segment(SegmentKind.RUN, 60, effort=6))
    assert not is_hard_segment(Segment(SegmentKind.WALK, 60))


def test_low_effort_cues_stay_out_of_unrated_runs() -> None:
    library = CueLibrary(
        [
            Cue(id="count", kind=CueKind.MINDFULNESS, text="Count ten breaths.", max_effort=6),
            Cue(id="short", kind=CueKind.MOTIVATION, text="Strong and steady."),
        ]
    )
    plan = _plan(Segment(SegmentKind.RUN, 600))

    timeline = _schedule(plan, library=library, density=CueDensity.REGULAR)

    assert [c.cue_id for c in _of(timeline, *LIBRARY_KINDS)] == ["short"]


def test_library_cues_suit_their_segment() -> None:
    library = CueLibrary(
        [
            Cue(
                id=f"walk{i}",
                kind=CueKind.MINDFULNESS,
                text=f"Walk cue {i}.",
                segments=frozenset({SegmentKind.WALK}),
            )
            for i in range(20)
        ]
        + [Cue(id=f"late{i}", kind=CueKind.MOTIVATION, text=f"Late cue {i}.", min_elapsed_s=1200) for i in range(20)]
    )
    plan = _plan(Segment(SegmentKind.RUN, 900, effort=4), Segment(SegmentKind.WALK, 900))

    timeline = _schedule(plan, library=library, density=CueDensity.REGULAR)

    placed = _of(timeline, *LIBRARY_KINDS)
    assert placed
    for cue in placed:
        if cue.cue_id.startswith("walk"):
            assert cue.segment_index == 1
        else:
            assert cue.offset_s >= 1200


def test_session_tags_shift_the_mix() -> None:
    def mindfulness_share(tags: tuple[str, ...]) -> float:
        counts: Counter[CueKind] = Counter()
        for seed in range(20):
            plan = _plan(*_steady().segments, tags=tags)
            counts.update(c.kind for c in _of(_schedule(plan, seed=seed, density=CueDensity.REGULAR), *LIBRARY_KINDS))
        return counts[CueKind.MINDFULNESS] / sum(counts.values())

    assert mindfulness_share(("mindful",)) > mindfulness_share(()) + 0.05


def test_kinds_are_mixed() -> None:
    timeline = _schedule(_steady(), density=CueDensity.REGULAR)

    assert len({c.kind for c in _of(timeline, *LIBRARY_KINDS)}) >= 3


# -- finish, determinism, invariants ----------------------------------------------------------------------


def test_finish_is_last_and_thanks_the_runner() -> None:
    plan = _intervals()

    timeline = _schedule(plan)

    finish = timeline.cues[-1]
    assert finish.kind is CueKind.FINISH
    assert finish.offset_s == plan.total_s
    assert "Thank you" in finish.text
    assert finish.priority is CuePriority.HIGH
    assert finish.segment_index == len(plan.segments) - 1
    assert all(c.offset_s < plan.total_s for c in timeline.cues[:-1])


def test_same_seed_same_timeline() -> None:
    plan = _intervals()

    first = _schedule(plan, seed=42, density=CueDensity.REGULAR)
    second = _schedule(plan, seed=42, density=CueDensity.REGULAR)

    assert first == second


def test_different_seeds_usually_differ() -> None:
    plan = _steady()

    timelines = {_schedule(plan, seed=seed, density=CueDensity.REGULAR) for seed in range(10)}

    assert len(timelines) >= 9


def test_durations_are_measured_once_per_text() -> None:
    calls: Counter[str] = Counter()

    def counting(text: str) -> float:
        calls[text] += 1
        return fake_duration(text)

    _schedule(_intervals(), density=CueDensity.REGULAR, duration_of=counting)

    assert calls
    assert max(calls.values()) == 1


def test_example_sessions_are_well_formed() -> None:
    for plan in (_intervals(), _steady()):
        for density in CueDensity:
            for chime in (True, False):
                _assert_well_formed(plan, _schedule(plan, density=density, chime=chime))


_segments = st.builds(
    Segment,
    kind=st.sampled_from(list(SegmentKind)),
    duration_s=st.one_of(st.integers(min_value=8, max_value=1500).map(float), st.floats(min_value=8, max_value=1500)),
    effort=st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
    speed_kmh=st.one_of(st.none(), st.floats(min_value=2, max_value=22)),
    incline_pct=st.one_of(st.none(), st.floats(min_value=-3, max_value=15)),
)


@settings(max_examples=150, deadline=None)
@given(
    segments=st.lists(_segments, min_size=1, max_size=14),
    seed=st.integers(),
    cue_settings=st.builds(
        CueSettings,
        density=st.sampled_from(list(CueDensity)),
        units=st.sampled_from(list(SpeedUnit)),
        chime=st.booleans(),
    ),
    rate=st.floats(min_value=0.03, max_value=0.07),
)
def test_property_timelines_are_well_formed(
    segments: list[Segment], seed: int, cue_settings: CueSettings, rate: float
) -> None:
    plan = _plan(*segments)

    def duration_of(text: str) -> float:
        return 0.3 + rate * len(text)

    timeline = schedule_cues(plan, LIBRARY, cue_settings, seed, duration_of)

    _assert_well_formed(plan, timeline)
    # Deterministic: the same inputs give the same timeline.
    assert schedule_cues(plan, LIBRARY, cue_settings, seed, duration_of) == timeline
    # Heads-ups, when there was room for them, end before the countdown and say what comes next.
    for cue in timeline.cues:
        if cue.kind is CueKind.HEADS_UP:
            boundary = plan.segment_starts()[cue.segment_index + 1]
            assert cue.end_s <= boundary - GAP_S
            lead = duration_words(boundary - cue.offset_s)
            assert cue.text.startswith((f"In {lead}: ", f"{lead.capitalize()}, then "))
