"""Programs: the shipped ones say exactly what the issue and the NHS plan say, and bad files are refused in words."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runcompanion.core.errors import UserError
from runcompanion.core.programs import Program, ProgramLibrary, parse_program_toml
from runcompanion.core.session_files import parse_session_toml, validate_session
from runcompanion.core.session_plan import SegmentKind, SessionPlan
from runcompanion.core.session_writer import dump_session_toml
from runcompanion.paths import resource_files

LIBRARY = ProgramLibrary.from_files(resource_files("programs", ".toml"))
C25K = LIBRARY.get("c25k")

R, W = "r", "w"
M = 60


def _x(times: int, *block: tuple[str, int]) -> list[tuple[str, int]]:
    return list(block) * times


# The main block of every Couch to 5K run (between the 5-minute warm-up and cool-down walks), in seconds.
WEEK_1 = _x(8, (R, 60), (W, 90))
WEEK_2 = _x(6, (R, 90), (W, 120))
WEEK_3 = _x(2, (R, 90), (W, 90), (R, 3 * M), (W, 3 * M))
WEEK_4 = [(R, 3 * M), (W, 90), (R, 5 * M), (W, 150), (R, 3 * M), (W, 90), (R, 5 * M)]
C25K_MAIN: dict[tuple[int, int], list[tuple[str, int]]] = {
    **{(1, run): WEEK_1 for run in (1, 2, 3)},
    **{(2, run): WEEK_2 for run in (1, 2, 3)},
    **{(3, run): WEEK_3 for run in (1, 2, 3)},
    **{(4, run): WEEK_4 for run in (1, 2, 3)},
    (5, 1): [(R, 5 * M), (W, 3 * M), (R, 5 * M), (W, 3 * M), (R, 5 * M)],
    (5, 2): [(R, 8 * M), (W, 5 * M), (R, 8 * M)],
    (5, 3): [(R, 20 * M)],
    (6, 1): [(R, 5 * M), (W, 3 * M), (R, 8 * M), (W, 3 * M), (R, 5 * M)],
    (6, 2): [(R, 10 * M), (W, 3 * M), (R, 10 * M)],
    (6, 3): [(R, 25 * M)],
    **{(7, run): [(R, 25 * M)] for run in (1, 2, 3)},
    **{(8, run): [(R, 28 * M)] for run in (1, 2, 3)},
    **{(9, run): [(R, 30 * M)] for run in (1, 2, 3)},
}
_LETTER = {SegmentKind.RUN: R, SegmentKind.WALK: W}

ALL_SESSIONS = LIBRARY.sessions()


# ------------------------------------------------------------------------------------------ Couch to 5K


def test_the_four_programs_are_shipped() -> None:
    assert [p.id for p in LIBRARY.all()] == ["c25k", "intervals-focus", "mindful-running", "small-steps"]
    assert [p.name for p in LIBRARY.all()] == ["Couch to 5K", "Intervals for focus", "Mindful running", "Small steps"]


def test_couch_to_5k_is_nine_weeks_of_three_runs() -> None:
    assert C25K.runs_per_week == (3,) * 9
    assert C25K.total_runs == 27
    assert sorted((w, r) for w in range(1, 10) for r in range(1, 4)) == sorted(C25K_MAIN)


@pytest.mark.parametrize(("week", "run"), sorted(C25K_MAIN), ids=[f"w{w}r{r}" for w, r in sorted(C25K_MAIN)])
def test_couch_to_5k_main_block_is_the_nhs_plan(week: int, run: int) -> None:
    plan = C25K.run(week, run)
    main = [(_LETTER[s.kind], s.duration_s) for s in plan.segments[1:-1]]
    assert main == C25K_MAIN[week, run]


@pytest.mark.parametrize("plan", C25K.sessions(), ids=[p.id for p in C25K.sessions()])
def test_every_couch_to_5k_run_starts_and_ends_with_a_five_minute_walk(plan: SessionPlan) -> None:
    first, last = plan.segments[0], plan.segments[-1]
    assert (first.kind, first.duration_s) == (SegmentKind.WARMUP, 300.0)
    assert (last.kind, last.duration_s) == (SegmentKind.COOLDOWN, 300.0)
    assert first.speed_kmh == 5.5  # a brisk walk
    assert last.speed_kmh is not None
    assert last.speed_kmh <= 5.5  # a walk, not a jog
    assert {s.kind for s in plan.segments[1:-1]} <= {SegmentKind.RUN, SegmentKind.WALK}


def test_couch_to_5k_ids_names_and_beginner_speeds() -> None:
    plan = C25K.run(3, 2)
    assert plan.id == "c25k-w3-r2"
    assert plan.name == "Couch to 5K · Week 3 · Run 2"
    assert plan.builtin
    for p in C25K.sessions():
        assert {s.speed_kmh for s in p.segments if s.kind is SegmentKind.RUN} == {8.0}
        assert {s.speed_kmh for s in p.segments if s.kind is SegmentKind.WALK} <= {5.5}


def test_week_one_runs_are_counted_in_their_labels() -> None:
    labels = [s.label for s in C25K.run(1, 1).segments if s.kind is SegmentKind.RUN]
    assert labels == [f"Run {i} of 8" for i in range(1, 9)]


def test_week_five_runs_have_their_own_descriptions_after_the_weeks() -> None:
    texts = [C25K.run(5, run).description for run in (1, 2, 3)]
    assert all(t.startswith("Week 5:") for t in texts)
    assert len(set(texts)) == 3


# --------------------------------------------------------------------------------------- every program


@pytest.mark.parametrize("plan", ALL_SESSIONS, ids=[p.id for p in ALL_SESSIONS])
def test_every_program_session_is_a_complete_valid_session(plan: SessionPlan) -> None:
    assert plan.builtin
    assert plan.description
    assert re.fullmatch(r"[a-z0-9-]+-w[1-9]\d*-r[1-7]", plan.id)
    for seg in plan.segments:
        assert seg.speed_kmh is not None, f"{plan.id}: {seg.title} has no treadmill speed"
        assert seg.effort is not None, f"{plan.id}: {seg.title} has no effort target"
        assert seg.incline_pct is not None
        assert seg.label
        assert "{" not in seg.label, f"{plan.id}: placeholder left in {seg.label!r}"
    assert validate_session(plan, plan.id) == plan
    assert parse_session_toml(dump_session_toml(plan), plan.id, builtin=True) == plan


@pytest.mark.parametrize(
    ("program_id", "tag", "weeks"),
    [("mindful-running", "mindful", 4), ("intervals-focus", "intervals", 6), ("small-steps", "gentle", 4)],
)
def test_programs_carry_the_tag_that_steers_the_cues(program_id: str, tag: str, weeks: int) -> None:
    program = LIBRARY.get(program_id)
    assert len(program.weeks) == weeks
    assert all(tag in plan.tags for plan in program.sessions())


def test_small_steps_grows_from_ten_to_twenty_minutes() -> None:
    totals = [plan.total_s / 60 for plan in LIBRARY.get("small-steps").sessions()]
    assert min(totals) == 10
    assert max(totals) == 20
    assert totals == sorted(totals)


def test_intervals_build_up_fast_repeats_over_six_weeks() -> None:
    program = LIBRARY.get("intervals-focus")

    def hard_seconds(plan: SessionPlan) -> float:
        return sum(s.duration_s for s in plan.segments if s.kind is SegmentKind.RUN)

    first = [hard_seconds(plan) for plan in program.weeks[0].runs]
    last = [hard_seconds(plan) for plan in program.weeks[-1].runs]
    assert all(b > a for a, b in zip(first, last, strict=True))
    for plan in program.sessions():
        hard = [s for s in plan.segments if s.kind is SegmentKind.RUN]
        assert hard
        assert all(s.duration_s <= 60 for s in hard)
        assert all(s.speed_kmh is not None and s.speed_kmh >= 11 for s in hard)


def test_mindful_runs_rest_attention_on_breath_cadence_and_body() -> None:
    labels = " ".join(s.label for p in LIBRARY.get("mindful-running").sessions() for s in p.segments).lower()
    for focus in ("breath", "steps", "head to feet"):
        assert focus in labels
    for plan in LIBRARY.get("mindful-running").sessions():
        assert max(s.effort or 0 for s in plan.segments) <= 4  # easy runs only


@pytest.mark.parametrize("program", LIBRARY.all(), ids=[p.id for p in LIBRARY.all()])
def test_texts_are_kind_and_give_no_medical_advice(program: Program) -> None:
    texts = [program.description] + [w.description for w in program.weeks] + [p.description for p in program.sessions()]
    words = " ".join(texts).lower()
    for forbidden in ("doctor", "diagnos", "medication", "cure", "therapy", "must", "failure", "lazy", "no excuses"):
        assert forbidden not in words, f"{program.id}: {forbidden!r}"
    assert program.description


# ------------------------------------------------------------------------------------------ the library


def test_library_finds_program_sessions_by_id() -> None:
    plan = LIBRARY.session("mindful-running-w2-r3")
    assert plan is not None
    assert plan.name == "Mindful running · Week 2 · Run 3"
    assert LIBRARY.session("c25k-w10-r1") is None
    assert LIBRARY.session("first-walk-run") is None
    located = LIBRARY.locate("c25k-w4-r2")
    assert located is not None
    assert (located[0].id, located[1], located[2]) == ("c25k", 4, 2)
    assert LIBRARY.locate("c25k-w4-r9") is None


def test_an_unknown_program_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(UserError, match=r"no program called 'c26k'\. Programs: c25k, intervals-focus"):
        LIBRARY.get("c26k")
    assert LIBRARY.find("c26k") is None


def test_two_programs_with_one_id_are_refused() -> None:
    with pytest.raises(UserError, match="Two programs have the id 'tiny'"):
        ProgramLibrary([parse_program_toml(TINY, "a.toml"), parse_program_toml(TINY, "b.toml")])


def test_program_run_outside_the_program_is_an_index_error() -> None:
    with pytest.raises(IndexError):
        C25K.run(10, 1)
    with pytest.raises(IndexError):
        C25K.run(1, 4)


# ------------------------------------------------------------------------------------------ the format

TINY = """
id = "tiny"
name = "Tiny"
tags = ["gentle"]
before = [{ kind = "warmup", duration = "2:00" }]
after = [{ kind = "cooldown", duration = 120 }]
[defaults.run]
effort = 5
speed_kmh = 8.0
[[weeks]]
description = "First week."
[[weeks.runs]]
times = 2
segments = [
    { repeat = 3, segments = [
        { kind = "run", duration = "1:00", label = "Run {i} of {n}" },
        { kind = "walk", duration = "0:30" },
    ] },
]
[[weeks.runs]]
description = "The third run."
tags = ["extra", "gentle"]
before = []
segments = [{ kind = "run", duration = "10:00", speed_kmh = 9.0 }]
"""


def test_a_program_expands_repeats_defaults_times_and_overrides() -> None:
    program = parse_program_toml(TINY, "tiny.toml")
    week = program.weeks[0]
    assert [p.id for p in week.runs] == ["tiny-w1-r1", "tiny-w1-r2", "tiny-w1-r3"]
    first = week.runs[0]
    assert [(s.kind.value, s.duration_s, s.label) for s in first.segments] == [
        ("warmup", 120.0, ""),
        ("run", 60.0, "Run 1 of 3"),
        ("walk", 30.0, ""),
        ("run", 60.0, "Run 2 of 3"),
        ("walk", 30.0, ""),
        ("run", 60.0, "Run 3 of 3"),
        ("walk", 30.0, ""),
        ("cooldown", 120.0, ""),
    ]
    assert {(s.effort, s.speed_kmh) for s in first.segments if s.kind is SegmentKind.RUN} == {(5, 8.0)}
    assert week.runs[1].segments == first.segments
    third = week.runs[2]
    assert [s.kind.value for s in third.segments] == ["run", "cooldown"]  # before = [] drops the warm-up
    assert (third.segments[0].speed_kmh, third.segments[0].effort) == (9.0, 5)  # own value beats the default
    assert third.description == "First week.\n\nThe third run."
    assert third.tags == ("gentle", "extra")


def test_nested_repeat_blocks_expand_innermost_numbers() -> None:
    old = """segments = [
        { kind = "run", duration = "1:00", label = "Run {i} of {n}" },
        { kind = "walk", duration = "0:30" },
    ]"""
    new = """segments = [
        { repeat = 2, segments = [{ kind = "run", duration = 20, label = "Fast {i}/{n}" }] },
        { kind = "walk", duration = 40 },
    ]"""
    assert old in TINY
    text = TINY.replace(old, new).replace("repeat = 3", "repeat = 2")
    plan = parse_program_toml(text, "tiny.toml").weeks[0].runs[0]
    assert [(s.duration_s, s.label) for s in plan.segments[1:-1]] == [
        (20.0, "Fast 1/2"),
        (20.0, "Fast 2/2"),
        (40.0, ""),
        (20.0, "Fast 1/2"),
        (20.0, "Fast 2/2"),
        (40.0, ""),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('name = "Tiny"', 'name = "Tiny"\ncolour = "red"'),
            r'^tiny\.toml: unknown field "colour" \(allowed: id, name',
        ),
        (('id = "tiny"', 'id = "Tiny Program"'), r"^tiny\.toml: id: must be lower-case letters"),
        (('name = "Tiny"', 'name = ""'), r"^tiny\.toml: name: must not be empty$"),
        (
            ('duration = "0:30"', 'duration = "0:00"'),
            r"^tiny\.toml: week 1, runs item 1: segments item 1\.2: duration: ",
        ),
        (('duration = "0:30"', 'duration = "half a minute"'), r'segments item 1\.2: duration: must be "m:ss"'),
        (("repeat = 3", "repeat = 0"), r"^tiny\.toml: week 1, runs item 1: segments item 1: repeat: must be a whole"),
        (("repeat = 3", "repeat = 3, times = 2"), r'segments item 1: unknown field "times" in a repeat block'),
        (
            ('kind = "walk"', 'kind = "stroll"'),
            r"^tiny\.toml: week 1, runs item 1: segments item 1\.2: kind must be one of",
        ),
        (
            ("speed_kmh = 9.0", "speed_kmh = -9.0"),
            r"^tiny\.toml: week 1, runs item 2: segments item 1: speed_kmh must be",
        ),
        (("duration = 120 }", "duration = 120, effort = 11 }"), r"^tiny\.toml: after item 1: effort must be a whole"),
        (('kind = "walk"', 'kind = "walk", pace = 5'), r'segments item 1\.2: unknown field "pace" in a segment'),
        (("times = 2", "times = 7"), r"^tiny\.toml: week 1: a week can have at most 7 runs \(one a day\)$"),
        (("times = 2", "times = true"), r"^tiny\.toml: week 1, runs item 1: times: must be a whole number from 1 to 7"),
        (("speed_kmh = 8.0", "speed_kmh = 80.0"), r"^tiny\.toml: defaults\.run: segment 1: speed_kmh must be a number"),
        (("[defaults.run]", "[defaults.sprint]"), r'^tiny\.toml: defaults: "sprint" is not a segment kind'),
        (("effort = 5\n", "effort = 5\nduration = 3\n"), r'^tiny\.toml: defaults\.run: unknown field "duration"'),
        (('tags = ["gentle"]', 'tags = ["Gentle Days"]'), r"^tiny\.toml: tags 1: must be lower-case letters"),
        (('before = [{ kind = "warmup", duration = "2:00" }]', "before = 3"), r"^tiny\.toml: before: must be a list"),
        (("[[weeks.runs]]\ntimes = 2\n", "[[weeks.runs]]\ntimes = 2\nsegments = []\n"), r"line \d+, column \d+: "),
        (
            ('description = "First week."', 'description = "First week."\n[weeks.extra]'),
            r'week 1: unknown field "extra"',
        ),
        (
            ('kind = "walk"', 'kind = "walk", theme = "sprint"'),
            r"^tiny\.toml: week 1, runs item 1: segments item 1\.2: theme: must be one of arrive, breath, steps, body",
        ),
        (("effort = 5\n", "effort = 5\ntheme = 3\n"), r"^tiny\.toml: defaults\.run: theme: must be one of .*got 3$"),
    ],
)
def test_a_bad_program_is_refused_in_one_line_naming_file_and_field(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in TINY
    with pytest.raises(UserError, match=message) as caught:
        parse_program_toml(TINY.replace(old, new, 1), "tiny.toml")
    assert "\n" not in str(caught.value)


def test_a_program_without_weeks_or_runs_is_refused() -> None:
    with pytest.raises(UserError, match=r'^x\.toml: missing required field "weeks"$'):
        parse_program_toml('id = "x"\nname = "X"\n', "x.toml")
    with pytest.raises(UserError, match=r"^x\.toml: weeks: must be a list of \[\[weeks\]\] tables"):
        parse_program_toml('id = "x"\nname = "X"\nweeks = []\n', "x.toml")
    with pytest.raises(UserError, match=r'^x\.toml: week 1: missing required field "runs"$'):
        parse_program_toml('id = "x"\nname = "X"\n[[weeks]]\ndescription = "a"\n', "x.toml")


def test_a_file_that_is_not_text_is_refused() -> None:
    with pytest.raises(UserError, match=r"^x\.toml: line 1: the file is not UTF-8 text \(byte 6\)$"):
        parse_program_toml(b"id = \xff", "x.toml")
    with pytest.raises(UserError, match=r"^x\.toml: the file is 256 KiB; a program file can be at most 256 KiB$"):
        parse_program_toml(b"#" * (256 * 1024 + 1), "x.toml")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300) | st.binary(max_size=300))
def test_any_input_gives_a_program_or_one_user_error_line(data: str | bytes) -> None:
    message = ""
    try:
        program = parse_program_toml(data, "fuzz.toml")
    except UserError as exc:
        message = str(exc)
    if message:
        assert message.startswith("fuzz.toml: ")
        assert "\n" not in message
    else:
        assert program.weeks


def test_program_segments_carry_mindful_themes_as_a_session_file_does() -> None:
    text = TINY.replace("[defaults.run]\n", '[defaults.run]\ntheme = "breath"\n').replace(
        '{ kind = "walk", duration = "0:30" }', '{ kind = "walk", duration = "0:30", theme = "steps" }'
    )
    text = text.replace(
        '{ kind = "run", duration = "10:00", speed_kmh = 9.0 }', '{ kind = "run", duration = "10:00", theme = "" }'
    )
    week = parse_program_toml(text, "tiny.toml").weeks[0]
    # Warm-up and cool-down have none; the runs take the default; a segment's own theme beats it.
    assert week.runs[0].themes == ("", "breath", "steps", "breath", "steps", "breath", "steps", "")
    assert week.runs[2].themes == ()  # "" for none, and nothing else themed: no themes at all
    assert parse_program_toml(TINY, "tiny.toml").weeks[0].runs[0].themes == ()
    # The session a program run becomes says the same when written out and read back.
    again = parse_session_toml(dump_session_toml(week.runs[0]), "again.toml")
    assert again.themes == week.runs[0].themes


def test_mindful_running_gives_every_segment_the_theme_its_label_names() -> None:
    themes = {"breath": "breath", "steps": "steps", "head to feet": "body", "shoulders": "body", "open": "open"}
    for plan in LIBRARY.get("mindful-running").sessions():
        assert plan.themes[0] == "arrive"
        assert plan.themes[-1] == "reflect"
        for segment, theme in zip(plan.segments[1:-1], plan.themes[1:-1], strict=True):
            named = [t for words, t in themes.items() if words in segment.label.lower()]
            assert named == [theme], (plan.id, segment.label, theme)
