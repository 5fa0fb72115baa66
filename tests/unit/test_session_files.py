"""Session files: the TOML format, the stored dict form, and the one-line messages for bad input."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runcompanion.core.errors import UserError
from runcompanion.core.session_files import parse_session_toml, session_from_dict, slugify, validate_session
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.session_writer import dump_session_toml, session_to_dict

EXAMPLE = """\
id = "first-walk-run"
name = "First walk-run"
description = "A kind first step."
tags = ["beginner", "walk-run"]

[[segments]]
kind = "warmup"
duration = "5:00"
label = "Brisk walk"
effort = 3
speed_kmh = 5.5
incline_pct = 1.0

[[segments]]
kind = "run"
duration = 60
speed_kmh = 8
"""

ONE_SEGMENT = 'name = "Run"\n[[segments]]\nkind = "run"\n'


def refusal(data: str | bytes, source: str = "my.toml") -> str:
    """The message parse_session_toml refuses ``data`` with; every one is a single line naming the file."""
    with pytest.raises(UserError) as info:
        parse_session_toml(data, source)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{source}: ")
    return message


def segment(body: str) -> str:
    return f'name = "Run"\n[[segments]]\nkind = "run"\n{body}\n'


def plan_or_message(read: Callable[[], SessionPlan]) -> SessionPlan | str:
    """The plan, or the message of the UserError; any other exception fails the test."""
    try:
        return read()
    except UserError as exc:
        return str(exc)


# ------------------------------------------------------------------------------------------------ reading


def test_parses_every_field() -> None:
    plan = parse_session_toml(EXAMPLE, "example.toml")
    assert plan == SessionPlan(
        id="first-walk-run",
        name="First walk-run",
        description="A kind first step.",
        tags=("beginner", "walk-run"),
        segments=(
            Segment(SegmentKind.WARMUP, 300.0, "Brisk walk", effort=3, speed_kmh=5.5, incline_pct=1.0),
            Segment(SegmentKind.RUN, 60.0, speed_kmh=8.0),
        ),
    )
    assert isinstance(plan.segments[1].speed_kmh, float)
    assert not plan.builtin
    assert parse_session_toml(EXAMPLE.encode(), "example.toml", builtin=True).builtin


def test_import_without_id_gets_one_from_the_name() -> None:
    plan = parse_session_toml('name = "  Café Run #2!  "\n[[segments]]\nkind = "free"\nduration = 30\n', "x.toml")
    assert (plan.id, plan.name) == ("cafe-run-2", "Café Run #2!")


def test_builtin_files_must_carry_an_id() -> None:
    with pytest.raises(UserError, match=r'^b\.toml: missing required field "id"$'):
        parse_session_toml(segment("duration = 30"), "b.toml", builtin=True)


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [
        ('"5:00"', 300.0),
        ('"0:01"', 1.0),
        ('" 12:34 "', 754.0),
        ('"90:00"', 5400.0),
        ('"1:02:03"', 3723.0),
        ('"4:00:00"', 14400.0),
        ("45", 45.0),
        ("90.5", 90.5),
        ("1", 1.0),
        ("14400", 14400.0),
    ],
)
def test_duration_forms(duration: str, seconds: float) -> None:
    plan = parse_session_toml(segment(f"duration = {duration}"), "d.toml")
    assert plan.segments[0].duration_s == seconds
    assert isinstance(plan.segments[0].duration_s, float)


def test_limits_themselves_are_accepted() -> None:
    body = "duration = 1\neffort = 10\nspeed_kmh = 30\nincline_pct = -5"
    seg = parse_session_toml(segment(body), "l.toml").segments[0]
    assert (seg.effort, seg.speed_kmh, seg.incline_pct) == (10, 30.0, -5.0)
    low = parse_session_toml(segment("duration = 1\neffort = 0\nspeed_kmh = 0.5\nincline_pct = 25"), "l.toml")
    assert low.segments[0].effort == 0
    six_hours = 'name = "Long"\n' + '[[segments]]\nkind = "run"\nduration = "3:00:00"\n' * 2
    assert parse_session_toml(six_hours, "l.toml").total_s == 6 * 3600


def test_byte_order_mark_and_str_input_are_accepted() -> None:
    data = "\ufeff" + segment("duration = 30")
    assert parse_session_toml(data.encode("utf-8"), "bom.toml").name == "Run"
    assert parse_session_toml(data, "bom.toml").name == "Run"


def test_repeated_tags_are_folded() -> None:
    plan = parse_session_toml('tags = ["gentle", "gentle"]\n' + segment("duration = 30"), "t.toml")
    assert plan.tags == ("gentle",)


# ------------------------------------------------------------------------------------------------ refusing


def test_the_messages_read_like_the_examples() -> None:
    assert refusal(segment("duration = -5")) == (
        "my.toml: segment 1: duration must be between 1 second and 4 hours, got -5"
    )
    assert refusal(segment("durration = 5")) == (
        'my.toml: unknown field "durration" in segment 1 (allowed: kind, duration, label, effort, speed_kmh, '
        "incline_pct, notes)"
    )
    message = refusal('name = "x"\n\nkey value\n')
    assert re.fullmatch(r"my\.toml: line 3, column \d+: Expected '=' after a key.*", message), message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'name = "caf\xe9"', "line 1: the file is not UTF-8 text"),
        (b"# " + b"x" * (256 * 1024), "at most 256 KiB"),
        ('name = "x"\nname = "y"\n', "line 2, column"),
        ("a = " + "[" * 50_000, "nested too deeply"),
        ("a = " + "1" * 5000, "far too many digits"),
        ('nmae = "x"', 'unknown field "nmae" (allowed: id, name, description, tags, segments, spoken)'),
        ("[[segments]]\nkind = 'run'\nduration = 5\n", 'missing required field "name"'),
        ('name = "Run"', 'missing required field "segments"'),
        ('name = "Run"\nsegments = []', "between 1 and 200 segments, got 0"),
        ('name = "Run"\n' + '[[segments]]\nkind = "run"\nduration = 1\n' * 201, "got 201"),
        ('name = "Run"\nsegments = "abc"', 'segments must be a list of [[segments]] tables, got "abc"'),
        ('name = "Run"\nsegments = [1]', "segment 1 must be a table ([[segments]]), got 1"),
        ('name = "   "\n[[segments]]\nkind = "run"\nduration = 5', "name must not be empty"),
        (
            f'name = "{"n" * 81}"\n[[segments]]\nkind = "run"\nduration = 5',
            "name must be at most 80 characters",
        ),
        (
            "name = 1979-05-27\n[[segments]]\nkind = 'run'\nduration = 5",
            "name must be text, got a date or time",
        ),
        (
            'name = "a\\u0007b"\n[[segments]]\nkind = "run"\nduration = 5',
            "one line without control characters",
        ),
        (f'description = "{"d" * 2001}"\n{segment("duration = 5")}', "description must be at most 2000"),
        ('id = "My Run"\n' + segment("duration = 5"), "id must be lower-case letters, digits and hyphens"),
        (f'id = "{"a" * 49}"\n' + segment("duration = 5"), "id must be lower-case"),
        ('id = "-run"\n' + segment("duration = 5"), "id must be lower-case"),
        ('tags = "gentle"\n' + segment("duration = 5"), 'tags must be a list of words like "beginner"'),
        ('tags = ["Gentle"]\n' + segment("duration = 5"), "tag 1 must be lower-case letters"),
        ("tags = [" + ", ".join(['"t"'] * 21) + "]\n" + segment("duration = 5"), "at most 20 tags, got 21"),
        (segment(""), 'segment 1: missing required field "duration"'),
        ('name = "R"\n[[segments]]\nduration = 5', 'segment 1: missing required field "kind"'),
        (segment("duration = 0"), "segment 1: duration must be between 1 second and 4 hours, got 0"),
        (segment("duration = 0.5"), "got 0.5"),
        (segment('duration = "0:00"'), 'got "0:00"'),
        (segment("duration = 14401"), "got 14401"),
        (segment('duration = "4:00:01"'), 'got "4:00:01"'),
        (segment("duration = nan"), "got nan"),
        (segment("duration = inf"), "got inf"),
        (segment("duration = -inf"), "got -inf"),
        (segment("duration = true"), 'duration must be "m:ss", "h:mm:ss" or a number of seconds, got true'),
        (segment('duration = "5 min"'), 'got "5 min"'),
        (segment('duration = "1:60"'), 'got "1:60"'),
        (segment('duration = "1:60:00"'), 'got "1:60:00"'),
        (segment("duration = [5]"), "got a list"),
        (segment("duration = 99999999999999999999999999999999999"), "got a very large number"),
        (
            'name = "R"\n' + '[[segments]]\nkind = "run"\nduration = "3:00:01"\n' * 2,
            "the whole session must be at most 6 hours, got 6:00:02 (21602 seconds)",
        ),
        (
            'name = "R"\n[[segments]]\nkind = "jog"\nduration = 5',
            "segment 1: kind must be one of warmup, run, walk",
        ),
        ('name = "R"\n[[segments]]\nkind = 3\nduration = 5', "kind must be one of"),
        (segment("duration = 5\neffort = 11"), "segment 1: effort must be a whole number from 0 to 10"),
        (segment("duration = 5\neffort = -1"), "got -1"),
        (segment("duration = 5\neffort = 3.5"), "got 3.5"),
        (
            segment("duration = 5\neffort = true"),
            "effort must be a whole number from 0 to 10 (Borg CR10), got true",
        ),
        (segment("duration = 5\nspeed_kmh = 0.4"), "speed_kmh must be a number from 0.5 to 30 km/h, got 0.4"),
        (segment("duration = 5\nspeed_kmh = 31"), "got 31"),
        (segment("duration = 5\nspeed_kmh = false"), "got false"),
        (segment("duration = 5\nspeed_kmh = nan"), "got nan"),
        (segment('duration = 5\nspeed_kmh = "8"'), 'got "8"'),
        (
            segment("duration = 5\nincline_pct = -5.5"),
            "incline_pct must be a number from -5 to 25 %, got -5.5",
        ),
        (segment("duration = 5\nincline_pct = 26"), "got 26"),
        (segment(f'duration = 5\nlabel = "{"l" * 61}"'), "segment 1: label must be at most 60 characters"),
        (segment("duration = 5\nlabel = 5"), "segment 1: label must be text, got 5"),
        (segment("duration = 5\nlabel = {a = 1}"), "got a table"),
    ],
)
def test_refusals_name_the_field_and_the_reason(data: str | bytes, expected: str) -> None:
    assert expected in refusal(data)


def test_the_failing_segment_is_numbered_from_one() -> None:
    data = 'name = "R"\n' + '[[segments]]\nkind = "run"\nduration = 5\n' * 2 + '[[segments]]\nkind = "x"\n'
    assert refusal(data).startswith("my.toml: segment 3: ")


def test_long_bad_values_are_shortened_and_kept_on_one_line() -> None:
    message = refusal(segment('duration = "' + "a\\n" * 100 + '"'))
    assert len(message) < 200


def test_unencodable_text_is_refused() -> None:
    assert "not valid Unicode" in refusal("name = '\ud800'")


# -------------------------------------------------------------------------------------------------- writing


def test_dump_writes_the_documented_format() -> None:
    plan = SessionPlan(
        id="mixed",
        name='Say "hi"',
        description="Line one\nLine two\tand a \\ backslash",
        tags=("gentle",),
        segments=(
            Segment(SegmentKind.WALK, 300.0, "Walk", effort=2, speed_kmh=5.5, incline_pct=0.0),
            Segment(SegmentKind.RUN, 3723.0),
            Segment(SegmentKind.RECOVER, 90.25, speed_kmh=6),
        ),
    )
    assert dump_session_toml(plan) == (
        'id = "mixed"\n'
        'name = "Say \\"hi\\""\n'
        'description = "Line one\\nLine two\\tand a \\\\ backslash"\n'
        'tags = ["gentle"]\n'
        "\n"
        "[[segments]]\n"
        'kind = "walk"\n'
        'duration = "5:00"\n'
        'label = "Walk"\n'
        "effort = 2\n"
        "speed_kmh = 5.5\n"
        "incline_pct = 0.0\n"
        "\n"
        "[[segments]]\n"
        'kind = "run"\n'
        'duration = "1:02:03"\n'
        "\n"
        "[[segments]]\n"
        'kind = "recover"\n'
        "duration = 90.25\n"
        "speed_kmh = 6.0\n"
    )
    assert parse_session_toml(dump_session_toml(plan), "mixed.toml") == plan


def test_dump_escapes_every_control_character() -> None:
    nasty = "".join(chr(c) for c in range(32)) + '\x7f"\\ é ✓ \u2028 end'
    plan = SessionPlan("x", "X", (Segment(SegmentKind.FREE, 10.0),), description=nasty.strip())
    text = dump_session_toml(plan)
    assert tomllib.loads(text)["description"] == nasty.strip()
    assert parse_session_toml(text, "x.toml") == plan


# ------------------------------------------------------------------------------------------ the dict form


def test_dict_form_is_canonical_and_json_safe() -> None:
    plan = parse_session_toml(EXAMPLE, "example.toml")
    data = session_to_dict(plan)
    assert data == {
        "id": "first-walk-run",
        "name": "First walk-run",
        "description": "A kind first step.",
        "tags": ["beginner", "walk-run"],
        "segments": [
            {
                "kind": "warmup",
                "duration_s": 300.0,
                "label": "Brisk walk",
                "effort": 3,
                "speed_kmh": 5.5,
                "incline_pct": 1.0,
            },
            {"kind": "run", "duration_s": 60.0, "speed_kmh": 8.0},
        ],
    }
    assert session_from_dict(json.loads(json.dumps(data)), "db") == plan


def test_dict_form_is_checked_by_the_same_rules() -> None:
    data = session_to_dict(parse_session_toml(EXAMPLE, "example.toml"))
    segments = data["segments"]
    assert isinstance(segments, list)
    segments[0]["effort"] = 11
    with pytest.raises(UserError, match=r"^backup\.json: segment 1: effort must be a whole number from 0 to 10"):
        session_from_dict(data, "backup.json")
    segments[0]["effort"] = 3
    segments[1]["duration_s"] = "1:00"  # the stored form keeps seconds, not clock text
    with pytest.raises(UserError, match='segment 2: duration_s must be a number, got "1:00"'):
        session_from_dict(data, "backup.json")
    segments[1]["duration"] = 60
    del segments[1]["duration_s"]
    with pytest.raises(UserError, match=r'unknown field "duration" in segment 2 \(allowed: kind, duration_s,'):
        session_from_dict(data, "backup.json")
    with pytest.raises(UserError, match='missing required field "id"'):
        session_from_dict({"name": "x", "segments": [{"kind": "run", "duration_s": 5}]}, "db")
    with pytest.raises(UserError, match="a session must be a table of fields, got a list"):
        session_from_dict([], "db")  # type: ignore[arg-type]


def test_dict_form_treats_null_as_absent() -> None:
    data = {
        "id": "n",
        "name": "N",
        "description": None,
        "tags": None,
        "segments": [
            {
                "kind": "run",
                "duration_s": 5,
                "label": None,
                "effort": None,
                "speed_kmh": None,
                "incline_pct": None,
            }
        ],
    }
    assert session_from_dict(data, "db") == SessionPlan("n", "N", (Segment(SegmentKind.RUN, 5.0),))


def test_validate_session_checks_plans_built_in_code() -> None:
    good = SessionPlan("ok", " Padded ", (Segment(SegmentKind.RUN, 60),), builtin=True)
    checked = validate_session(good, "editor")
    assert (checked.name, checked.segments[0].duration_s, checked.builtin) == ("Padded", 60.0, True)
    bad = SessionPlan("ok", "Bad", (Segment(SegmentKind.RUN, 60, speed_kmh=99),))
    with pytest.raises(UserError, match=r"^editor: segment 1: speed_kmh must be"):
        validate_session(bad, "editor")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("First walk-run", "first-walk-run"),
        ("  Café Run #2! ", "cafe-run-2"),
        ("Æon -- Flux", "aeon-flux"),
        ("Smørrebrød & Straße", "smorrebrod-strasse"),
        ("日本語", "session"),
        ("", "session"),
        ("x" * 60, "x" * 48),
        ("a" * 47 + " b", "a" * 47),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,47}", slugify(name))


# ------------------------------------------------------------------------------------------------ property

SLUGS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,47}", fullmatch=True)


def _trimmed(max_size: int, *, min_size: int = 0, one_line: bool = True) -> st.SearchStrategy[str]:
    alphabet = st.characters(blacklist_categories=["Cc", "Cs"] if one_line else ["Cs"])
    return st.text(alphabet, min_size=min_size, max_size=max_size).map(str.strip).filter(lambda s: len(s) >= min_size)


DURATIONS = st.one_of(
    st.integers(1, 2400).map(float),
    st.floats(1.0, 2400.0, allow_nan=False, allow_infinity=False),
    st.sampled_from([3600.0, 3723.0, 4 * 3600.0]),
)
SEGMENTS = st.builds(
    Segment,
    kind=st.sampled_from(SegmentKind),
    duration_s=DURATIONS,
    label=_trimmed(60),
    effort=st.none() | st.integers(0, 10),
    speed_kmh=st.none() | st.floats(0.5, 30.0),
    incline_pct=st.none() | st.floats(-5.0, 25.0),
)
PLANS = st.builds(
    SessionPlan,
    id=SLUGS,
    name=_trimmed(80, min_size=1),
    segments=st.lists(SEGMENTS, min_size=1, max_size=8)
    .map(tuple)
    .filter(lambda segs: sum(s.duration_s for s in segs) <= 6 * 3600),
    description=_trimmed(2000, one_line=False),
    tags=st.lists(SLUGS, max_size=5, unique=True).map(tuple),
    builtin=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(PLANS)
def test_dump_then_parse_gives_the_same_plan(plan: SessionPlan) -> None:
    assert parse_session_toml(dump_session_toml(plan), "round.toml", builtin=plan.builtin) == plan


@settings(max_examples=300, deadline=None)
@given(PLANS)
def test_dict_and_json_round_trip(plan: SessionPlan) -> None:
    data = json.loads(json.dumps(session_to_dict(plan)))
    assert session_from_dict(data, "db", builtin=plan.builtin) == plan
    assert validate_session(plan, "editor") == plan


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.binary()))
def test_any_text_or_bytes_is_a_plan_or_a_user_error(data: str | bytes) -> None:
    outcome = plan_or_message(lambda: parse_session_toml(data, "fuzz.toml"))
    if isinstance(outcome, str):
        assert "\n" not in outcome
    else:
        assert outcome.segments


TOML_KEYS = st.sampled_from(
    [
        "id",
        "name",
        "description",
        "tags",
        "kind",
        "duration",
        "label",
        "effort",
        "speed_kmh",
        "incline_pct",
        "x",
    ]
)
TOML_VALUES = st.sampled_from(
    [
        '"run"',
        '"walk"',
        '"5:00"',
        '"1:00:00"',
        '"0:00"',
        '"x y"',
        '""',
        '"a-b"',
        "5",
        "-5",
        "0",
        "1e400",
        "30.5",
        "nan",
        "inf",
        "true",
        "false",
        "[]",
        '["beginner"]',
        "[1, 2]",
        "{ a = 1 }",
        "1979-05-27",
        "07:32:00",
        "99999999999999999999999999",
        '"' + "n" * 90 + '"',
    ]
)
TOML_LINES = st.one_of(
    st.tuples(TOML_KEYS, TOML_VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.just("[[segments]]"),
    st.just("[segments]"),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(TOML_LINES, max_size=20))
def test_random_session_like_files_are_a_plan_or_a_user_error(lines: list[str]) -> None:
    outcome = plan_or_message(lambda: parse_session_toml("\n".join(lines), "fuzz.toml"))
    if isinstance(outcome, str):
        assert "\n" not in outcome
    else:
        assert 0 < outcome.total_s <= 6 * 3600


# Leaves mix plausible values (so some inputs are valid sessions) with every JSON type and the awkward numbers.
LEAVES = st.sampled_from(["run", "warmup", "my-id", "Name", "", 5, 60.0, 11, -1, True]) | st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)
)
DICT_KEYS = st.sampled_from(
    ["id", "name", "description", "tags", "segments", "kind", "duration_s", "effort", "speed_kmh", "label", "x"]
)
JSON_VALUES = st.recursive(
    LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(DICT_KEYS, inner, max_size=4), max_leaves=8
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(DICT_KEYS, JSON_VALUES, max_size=6))
def test_any_mapping_is_a_plan_or_a_user_error(data: dict[str, object]) -> None:
    outcome = plan_or_message(lambda: session_from_dict(data, "db"))
    if isinstance(outcome, str):
        assert "\n" not in outcome
    else:
        assert outcome.segments
