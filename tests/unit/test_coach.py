"""The coach: briefings, milestones, memory across runs, segment fit, lean announcements and the check-in.

Every rule of issue #14 is pinned here, with the shipped cue packs and programs (the rules are about what a
runner hears, so they are tested on what ships) and with hypothesis over random plans and memories.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runcompanion.core.coach import (
    CoachScript,
    Mood,
    ProgramPlace,
    RunnerContext,
    coach_run,
    mood_of,
    shorter_version,
)
from runcompanion.core.coach_memory import MAX_HEARINGS, REPEAT_WINDOW_RUNS, CueMemory
from runcompanion.core.coach_personal import JournalFacts, personal_cues
from runcompanion.core.coach_program import heard_cue_ids, script_program
from runcompanion.core.coach_texts import GENTLE_SENTENCES, REST_SENTENCE, UPBEAT_SENTENCE
from runcompanion.core.cue_library import CueLibrary, load_cue_library
from runcompanion.core.cue_scheduler import CueSettings, schedule_cues
from runcompanion.core.cue_selection import is_hard_segment
from runcompanion.core.cue_timeline import CueDensity, CueKind, CueTimeline
from runcompanion.core.programs import ProgramLibrary
from runcompanion.core.session_files import parse_session_toml
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.spoken_texts import THEME_CUE_TAG, THEME_RETURNS, THEMES, theme_words

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_KINDS = {CueKind.MINDFULNESS, CueKind.MOTIVATION, CueKind.SCIENCE, CueKind.REFLECTION, CueKind.PERSONAL}
ANNOUNCEMENTS = {CueKind.HEADS_UP, CueKind.CHANGE}


def estimate(text: str) -> float:
    return 0.4 + len(text) / 14.0


@pytest.fixture(scope="module")
def library() -> CueLibrary:
    return load_cue_library((p.name, p.read_bytes()) for p in sorted((ROOT / "resources" / "cues").glob("*.toml")))


@pytest.fixture(scope="module")
def programs() -> ProgramLibrary:
    return ProgramLibrary.from_files(
        (p.name, p.read_bytes()) for p in sorted((ROOT / "resources" / "programs").glob("*.toml"))
    )


def session(name: str) -> SessionPlan:
    path = ROOT / "resources" / "sessions" / f"{name}.toml"
    return parse_session_toml(path.read_bytes(), path.name, builtin=True)


def schedule(plan: SessionPlan, library: CueLibrary, script: CoachScript | None = None, seed: int = 1) -> CueTimeline:
    return schedule_cues(plan, library, CueSettings(), seed, estimate, script)


def of(timeline: CueTimeline, *kinds: CueKind) -> list[str]:
    return [c.text for c in timeline.cues if c.kind in kinds]


# -- memory across runs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("program_id", ["c25k", "intervals-focus", "mindful-running", "small-steps"])
def test_a_whole_program_never_repeats_a_cue_within_ten_runs_nor_more_than_twice(
    library: CueLibrary, programs: ProgramLibrary, program_id: str
) -> None:
    runs = script_program(programs.get(program_id), library, CueSettings(), 1, estimate)

    heard = [heard_cue_ids(run.timeline) for run in runs]
    for start in range(len(heard)):
        window = [cue for run in heard[start : start + REPEAT_WINDOW_RUNS] for cue in run]
        assert len(window) == len(set(window)), f"a cue repeats within 10 runs from run {start + 1}"
    counts = Counter(cue for run in heard for cue in run)
    assert max(counts.values()) <= MAX_HEARINGS
    # And the coach still talks: silence is not how the goal is met.
    assert sum(map(len, heard)) >= 3 * len(runs)


@pytest.mark.parametrize("seed", [2, 3, 5, 8])
def test_c25k_meets_the_goal_for_other_seeds_and_keeps_its_guidance(
    library: CueLibrary, programs: ProgramLibrary, seed: int
) -> None:
    runs = script_program(programs.get("c25k"), library, CueSettings(density=CueDensity.LIGHT), seed, estimate)

    assert len(runs) == 27
    heard = [heard_cue_ids(run.timeline) for run in runs]
    assert all(len(run) >= 5 for run in heard)
    assert max(Counter(cue for run in heard for cue in run).values()) <= MAX_HEARINGS
    for start in range(len(heard)):
        window = [cue for run in heard[start : start + REPEAT_WINDOW_RUNS] for cue in run]
        assert len(window) == len(set(window))


@settings(max_examples=60, deadline=None)
@given(
    earlier=st.lists(st.lists(st.integers(min_value=0, max_value=160), max_size=12), max_size=15),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_a_cue_heard_in_the_last_nine_runs_is_never_chosen(
    library: CueLibrary, earlier: list[list[int]], seed: int
) -> None:
    ids = [cue.id for cue in library]
    memory = CueMemory.of([[ids[i % len(ids)] for i in run] for run in earlier])
    plan = session("long-steady-45")
    script = coach_run(plan, RunnerContext(memory=memory), seed)

    timeline = schedule(plan, library, script, seed)

    assert not set(heard_cue_ids(timeline)) & memory.blocked()


def test_fresher_cues_come_first(library: CueLibrary) -> None:
    plan = session("long-steady-45")
    first = schedule(plan, library, coach_run(plan, RunnerContext(), 5), 5)
    heard_once = CueMemory.of([heard_cue_ids(first)] + [[]] * 9)  # heard 10 runs ago: allowed again

    again = schedule(plan, library, coach_run(plan, RunnerContext(memory=heard_once), 5), 5)

    # Plenty of never-heard cues fit, so none of the ones heard before comes back.
    assert not set(heard_cue_ids(again)) & set(heard_cue_ids(first))


def test_memory_counts_and_forgets_in_order() -> None:
    memory = CueMemory().after(["a", "b"]).after(["b"]).after([])

    assert memory.hearings("b") == 2
    assert memory.runs_since("b") == 2
    assert memory.runs_since("a") == 3
    assert memory.runs_since("c") is None
    assert memory.freshness("c") < memory.freshness("a") < memory.freshness("b")
    for _ in range(REPEAT_WINDOW_RUNS - 1):
        memory = memory.after([])
    assert "b" not in memory.blocked()


# -- briefings and milestones --------------------------------------------------------------------------------


def test_every_built_in_session_opens_with_a_briefing_that_allows_rest(library: CueLibrary) -> None:
    for path in sorted((ROOT / "resources" / "sessions").glob("*.toml")):
        plan = parse_session_toml(path.read_bytes(), path.name, builtin=True)
        timeline = schedule(plan, library)

        briefings = [c for c in timeline.cues if c.kind is CueKind.BRIEFING]
        assert len(briefings) == 1, path.name
        assert briefings[0].segment_index == 0
        assert plan.briefing in briefings[0].text
        assert REST_SENTENCE in briefings[0].text
        assert timeline.cues[0].kind is CueKind.START
        assert briefings[0].offset_s >= timeline.cues[0].end_s


def test_a_session_without_a_spoken_briefing_is_briefed_from_its_description(library: CueLibrary) -> None:
    plan = SessionPlan(
        id="own",
        name="My run",
        segments=(Segment(SegmentKind.WARMUP, 300, speed_kmh=5), Segment(SegmentKind.RUN, 600, speed_kmh=8)),
        description="Easy running after a long day. Nothing to prove.",
    )

    (briefing,) = of(schedule(plan, library), CueKind.BRIEFING)

    assert briefing == f"Easy running after a long day. Nothing to prove. {REST_SENTENCE}"


def test_every_program_run_says_where_it_is_and_the_special_ones_are_named_and_celebrated(
    library: CueLibrary, programs: ProgramLibrary
) -> None:
    runs = script_program(programs.get("c25k"), library, CueSettings(), 1, estimate)
    by_place = {(run.place.week, run.place.run): run for run in runs}

    for run in runs:
        (briefing,) = of(run.timeline, CueKind.BRIEFING)
        assert briefing.startswith(f"Week {run.place.week}, run {run.place.run}.")
        assert REST_SENTENCE in briefing
        assert "\u00b7" not in " ".join(run.timeline.spoken_texts())
    first = by_place[1, 1].timeline
    assert "your very first run" in of(first, CueKind.BRIEFING)[0]
    assert "first run of Couch to 5K" in of(first, CueKind.FINISH)[0]
    twenty = by_place[5, 3].timeline
    assert "first twenty minutes of running without a walk" in of(twenty, CueKind.BRIEFING)[0]
    assert "Twenty minutes without a walk" in of(twenty, CueKind.FINISH)[0]
    last = by_place[9, 3].timeline
    assert "graduation" in of(last, CueKind.BRIEFING)[0]
    assert "graduated" in of(last, CueKind.FINISH)[0]
    ordinary = by_place[3, 2].timeline
    assert "Today is a special one" not in of(ordinary, CueKind.BRIEFING)[0]
    assert of(ordinary, CueKind.FINISH)[0].startswith("That's week 3, run 2 done")
    for run in runs:
        assert "Thank you" in of(run.timeline, CueKind.FINISH)[0]


def test_an_unnamed_program_still_marks_its_first_and_last_runs(programs: ProgramLibrary) -> None:
    program = programs.get("small-steps")
    first = ProgramPlace.of(program, 1, 1)
    last_week = len(program.weeks)
    last = ProgramPlace.of(program, last_week, len(program.weeks[-1].runs))

    assert first.milestone is not None
    assert "first run" in first.milestone.name
    assert last.milestone is not None
    assert "graduation" in last.milestone.name
    assert ProgramPlace.of(program, 1, 2).milestone is None


def test_mindful_themes_are_introduced_in_order_and_followed(library: CueLibrary) -> None:
    plan = session("mindful-30")
    assert plan.themes == ("arrive", "breath", "steps", "open", "reflect")

    for seed in range(20):
        timeline = schedule(plan, library, seed=seed)
        themes = [c for c in timeline.cues if c.kind is CueKind.THEME]
        assert [c.text for c in themes] == [THEMES[t] for t in plan.themes]
        assert [c.segment_index for c in themes] == list(range(5))
        for cue in timeline.cues:
            if cue.kind not in LIBRARY_KINDS:
                continue
            chosen = library.get(cue.cue_id)
            assert chosen is not None
            theme = plan.theme_of(cue.segment_index)
            if theme in ("breath", "steps", "open"):
                assert f"theme-{theme}" in chosen.tags, (seed, cue.text)
            if theme == "reflect":
                assert chosen.kind is CueKind.REFLECTION


def test_a_theme_that_goes_on_is_followed_through_in_varied_words() -> None:
    assert theme_words("breath", "") == THEMES["breath"]
    assert theme_words("steps", "breath") == THEMES["steps"]
    returns = [theme_words("breath", "breath", n) for n in range(3)]
    assert len(set(returns)) == 3
    assert all(text not in THEMES.values() for text in returns)
    assert theme_words("reflect", "reflect") == THEMES["reflect"]  # not a practice: said as it is


def test_mindful_running_introduces_each_theme_and_follows_it_through(
    library: CueLibrary, programs: ProgramLibrary
) -> None:
    """Program runs carry themes from their TOML (docs/programs.md): each themed segment opens with its theme,
    introduced the first time and returned to after, and its library cues are that theme's."""
    heard_themes: set[str] = set()
    for plan in programs.get("mindful-running").sessions():
        for seed in range(3):
            timeline = schedule(plan, library, seed=seed)
            opening = {c.segment_index: c.text for c in timeline.cues if c.kind is CueKind.THEME}
            previous = ""
            for index, theme in enumerate(plan.themes):
                said = opening.get(index)
                assert said is not None, (plan.id, index)
                if theme == previous and theme in THEME_RETURNS:
                    assert said in THEME_RETURNS[theme], (plan.id, index, said)
                else:
                    assert said == THEMES[theme], (plan.id, index, said)
                previous = theme
            for cue in timeline.cues:
                chosen = library.get(cue.cue_id) if cue.kind in LIBRARY_KINDS else None
                theme = plan.theme_of(cue.segment_index)
                if chosen is not None and theme in THEME_CUE_TAG:
                    assert THEME_CUE_TAG[theme] in chosen.tags, (plan.id, seed, cue.text)
                    heard_themes.add(theme)
    assert heard_themes == {"breath", "steps", "body", "open"}  # every practice gets its own cues somewhere


# -- fit for the segment ---------------------------------------------------------------------------------------

_segments = st.builds(
    Segment,
    kind=st.sampled_from(list(SegmentKind)),
    duration_s=st.integers(min_value=30, max_value=900).map(float),
    effort=st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
    speed_kmh=st.one_of(st.none(), st.floats(min_value=4, max_value=16)),
    incline_pct=st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.0, 4.0])),
)


@settings(max_examples=120, deadline=None)
@given(
    segments=st.lists(_segments, min_size=2, max_size=16),
    beginner=st.booleans(),
    seed=st.integers(min_value=0, max_value=10_000),
    density=st.sampled_from([CueDensity.LIGHT, CueDensity.REGULAR]),
)
def test_every_library_cue_fits_its_segment(
    library: CueLibrary, segments: list[Segment], beginner: bool, seed: int, density: CueDensity
) -> None:
    plan = SessionPlan(id="p", name="P", segments=tuple(segments), tags=("beginner",) if beginner else ())
    timeline = schedule_cues(plan, library, CueSettings(density=density), seed, estimate)
    starts = plan.segment_starts()

    for cue in timeline.cues:
        if cue.kind not in LIBRARY_KINDS:
            continue
        chosen = library.get(cue.cue_id)
        assert chosen is not None
        index = cue.segment_index
        segment = plan.segments[index]
        hard = is_hard_segment(segment)
        short_run = beginner and segment.kind is SegmentKind.RUN and segment.duration_s < 120
        if (hard or short_run) and segment.duration_s < 120:
            assert "hard" in chosen.tags, cue.text
            assert len(cue.text.split()) <= 8, cue.text
        if cue.kind is CueKind.SCIENCE:
            assert not hard
            after_run = index > 0 and plan.segments[index - 1].kind is SegmentKind.RUN
            recovery = segment.kind is SegmentKind.RECOVER or (segment.kind is SegmentKind.WALK and after_run)
            assert not (recovery and segment.duration_s < 120), cue.text
            assert not (beginner and cue.offset_s < 180), cue.text
            assert cue.caption == chosen.source
        if chosen.tags & {"counting", "body-scan"}:
            assert segment.effort is not None
            assert segment.effort <= 4
            assert segment.duration_s >= 180
            assert starts[index] + segment.duration_s - cue.offset_s >= 60


def test_focus_intervals_stays_short_or_silent_in_the_efforts(library: CueLibrary) -> None:
    plan = session("focus-intervals")
    for seed in range(200):
        timeline = schedule(plan, library, seed=seed)
        for cue in timeline.cues:
            segment = plan.segments[cue.segment_index]
            if cue.kind in LIBRARY_KINDS and segment.effort is not None and segment.effort >= 7:
                chosen = library.get(cue.cue_id)
                assert chosen is not None
                assert "hard" in chosen.tags, (seed, cue.text)
            if cue.kind is CueKind.SCIENCE:
                assert segment.kind is not SegmentKind.RECOVER, (seed, cue.text)


# -- lean announcements ------------------------------------------------------------------------------------------

ANNOUNCEMENT_WORDS_BEFORE = 36.4
"""Words of heads-up and change per boundary in focus-intervals before the coach (docs/benchmarks.md)."""


def test_focus_intervals_announcements_take_a_third_of_the_words(library: CueLibrary) -> None:
    plan = session("focus-intervals")
    timeline = schedule(plan, library)

    words = sum(len(text.split()) for text in of(timeline, *ANNOUNCEMENTS))
    per_change = words / (len(plan.segments) - 1)

    assert per_change <= ANNOUNCEMENT_WORDS_BEFORE / 3
    # Nothing needed is left out: every change that moves the belt says the new speed.
    for index, cue in enumerate(c for c in timeline.cues if c.kind is CueKind.CHANGE):
        segment, previous = plan.segments[index + 1], plan.segments[index]
        if segment.speed_kmh != previous.speed_kmh:
            assert "Speed" in cue.text


def test_an_incline_that_never_changes_is_said_once(library: CueLibrary) -> None:
    timeline = schedule(session("focus-intervals"), library)

    said = " ".join(timeline.spoken_texts())
    assert said.count("Incline 1 percent") == 1  # in the first instruction only
    assert "Flat." in said  # the cool-down goes to 0 percent


def test_a_free_segment_is_your_own_pace_with_no_speed(library: CueLibrary) -> None:
    plan = session("small-steps-10")
    timeline = schedule(plan, library)
    free = next(i for i, s in enumerate(plan.segments) if s.kind is SegmentKind.FREE)

    (change,) = [c.text for c in timeline.cues if c.kind is CueKind.CHANGE and c.segment_index == free]
    assert change.startswith("Your own pace now")
    assert "Speed" not in change
    assert "kilometres" not in change


def test_no_symbols_or_doubled_numbers_are_spoken(library: CueLibrary) -> None:
    for name in ("small-steps-10", "mindful-30", "first-walk-run", "focus-intervals"):
        said = " ".join(schedule(session(name), library).spoken_texts())
        assert "\u00b7" not in said
        assert "%" not in said
        assert "Small steps 10, 10 minutes" not in said
        assert "Mindful 30, 30 minutes" not in said


# -- the check-in ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("feeling", "mood"),
    [
        (-5, Mood.GENTLE),
        (-2, Mood.GENTLE),
        (-1, Mood.STEADY),
        (None, Mood.STEADY),
        (1, Mood.STEADY),
        (2, Mood.UPBEAT),
        (5, Mood.UPBEAT),
    ],
)
def test_the_check_in_sets_the_mood(feeling: int | None, mood: Mood) -> None:
    assert mood_of(feeling) is mood


def test_a_low_check_in_makes_the_coach_gentle(library: CueLibrary) -> None:
    plan = session("long-steady-45")
    gentle = coach_run(plan, RunnerContext(feeling=-3), 1)
    steady = coach_run(plan, RunnerContext(feeling=0), 1)

    for sentence in GENTLE_SENTENCES:
        assert sentence in gentle.briefing
    assert "small steps count" in gentle.briefing.lower()
    timeline = schedule(plan, library, gentle)
    chosen = [library.get(c.cue_id) for c in timeline.cues if c.kind in LIBRARY_KINDS]
    gentle_share = sum(1 for c in chosen if c is not None and "gentle" in c.tags) / len(chosen)
    usual = [library.get(c.cue_id) for c in schedule(plan, library, steady).cues if c.kind in LIBRARY_KINDS]
    usual_share = sum(1 for c in usual if c is not None and "gentle" in c.tags) / len(usual)
    assert gentle_share > usual_share


def test_a_high_check_in_keeps_it_upbeat(library: CueLibrary) -> None:
    script = coach_run(session("mindful-30"), RunnerContext(feeling=3), 1)

    assert UPBEAT_SENTENCE in script.briefing
    assert REST_SENTENCE in script.briefing
    assert script.preferred_tag == "upbeat"


def test_a_low_day_is_offered_a_shorter_version() -> None:
    for name in ("first-walk-run", "focus-intervals", "long-steady-45", "mindful-30"):
        plan = session(name)
        shorter = shorter_version(plan)
        assert shorter is not None, name
        assert plan.total_s * 0.4 <= shorter.total_s < plan.total_s * 0.85, name
        assert shorter.segments[0] == plan.segments[0]
        assert shorter.segments[-1] == plan.segments[-1]


# -- personal cues --------------------------------------------------------------------------------------------------


def test_personal_cues_need_enough_data() -> None:
    assert personal_cues(None) == ()
    assert personal_cues(JournalFacts(similar_runs=4, similar_lift=2.0, week_streak=2, program_runs_done=2)) == ()


def test_personal_cues_use_the_runners_numbers_kindly() -> None:
    facts = JournalFacts(similar_runs=6, similar_lift=1.4, week_streak=4, program_runs_done=9, program_runs_total=27)

    cues = {cue.id: cue.text for cue in personal_cues(facts)}

    assert "last 6 runs like this one" in cues["personal-lift"]
    assert "4 weeks" in cues["personal-streak"]
    assert "9 of 27 runs" in cues["personal-program"]
    for text in cues.values():
        assert not any(word in text.lower() for word in ("missed", "should", "must", "skipped", "behind schedule"))


def test_a_feeling_that_did_not_rise_is_not_brought_up_mid_run() -> None:
    assert personal_cues(JournalFacts(similar_runs=12, similar_lift=-0.5)) == ()


def test_a_personal_cue_is_said_once_at_most_and_never_in_a_hard_segment(library: CueLibrary) -> None:
    facts = JournalFacts(similar_runs=8, similar_lift=1.5, week_streak=5, program_runs_done=4, program_runs_total=27)
    plan = session("long-steady-45")
    for seed in range(10):
        timeline = schedule(plan, library, coach_run(plan, RunnerContext(journal=facts), seed), seed)
        personal = [c for c in timeline.cues if c.kind is CueKind.PERSONAL]
        assert len(personal) <= 1
        for cue in personal:
            assert not is_hard_segment(plan.segments[cue.segment_index])


@settings(max_examples=80, deadline=None)
@given(
    segments=st.lists(_segments, min_size=1, max_size=10),
    seed=st.integers(min_value=0, max_value=1000),
    feeling=st.one_of(st.none(), st.integers(min_value=-5, max_value=5)),
)
def test_every_run_with_room_for_it_says_that_resting_is_allowed(
    library: CueLibrary, segments: list[Segment], seed: int, feeling: int | None
) -> None:
    plan = SessionPlan(id="p", name="P", segments=tuple(segments))
    script = coach_run(plan, RunnerContext(feeling=feeling), seed)

    timeline = schedule(plan, library, script, seed)

    briefings = [c for c in timeline.cues if c.kind is CueKind.BRIEFING]
    assert len(briefings) <= 1
    if any(s.duration_s >= 60 for s in segments):
        assert len(briefings) == 1
        # The usual sentence, or on a low day the gentle one: both give leave to walk and to stop.
        assert REST_SENTENCE in briefings[0].text or GENTLE_SENTENCES[2] in briefings[0].text
