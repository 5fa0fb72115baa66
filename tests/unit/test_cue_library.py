"""Parsing cue packs, the library's queries, and merging user packs into the built-in ones."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runcompanion.core.cue_library import (
    LIBRARY_KINDS,
    MAX_PACK_BYTES,
    Cue,
    CueLibrary,
    load_cue_library,
    parse_cue_pack,
)
from runcompanion.core.cue_timeline import CueKind
from runcompanion.core.errors import UserError
from runcompanion.core.session_plan import Segment, SegmentKind

GOOD_PACK = """
[[cue]]
id = "breath-exhale-long"
kind = "mindfulness"
text = "Let your out-breath be a little longer than your in-breath."
segments = ["walk", "cooldown"]
max_effort = 6

[[cue]]
id = "bdnf"
kind = "science"
text = \"\"\"Exercise raises BDNF,
    a protein that helps brain cells grow.\"\"\"
source = "Jemni M et al. (2023). Frontiers in Physiology."
min_elapsed_s = 300
weight = 2.5

[[cue]]
id = "proud"
kind = "reflection"
text = "What are you proud of today?"
"""


def _parse_error(data: str | bytes, source: str = "my-cues.toml") -> str:
    with pytest.raises(UserError) as info:
        parse_cue_pack(data, source)
    message = str(info.value)
    assert "\n" not in message, "errors must be one line"
    assert message.startswith(f"{source}: "), "errors must name the file first"
    return message


def _cue_toml(**fields: object) -> str:
    lines = ["[[cue]]"]
    for key, value in fields.items():
        lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


# -- parsing a good pack ----------------------------------------------------------------------------------


def test_parse_reads_every_field() -> None:
    library = parse_cue_pack(GOOD_PACK, "good.toml")

    assert [cue.id for cue in library.cues] == ["breath-exhale-long", "bdnf", "proud"]
    breath, bdnf, proud = library.cues
    assert breath == Cue(
        id="breath-exhale-long",
        kind=CueKind.MINDFULNESS,
        text="Let your out-breath be a little longer than your in-breath.",
        source="",
        segments=frozenset({SegmentKind.WALK, SegmentKind.COOLDOWN}),
        min_elapsed_s=0.0,
        max_effort=6,
        weight=1.0,
    )
    assert bdnf.kind is CueKind.SCIENCE
    assert bdnf.source == "Jemni M et al. (2023). Frontiers in Physiology."
    assert bdnf.min_elapsed_s == 300.0
    assert bdnf.weight == 2.5
    assert proud.segments is None
    assert proud.max_effort is None


def test_parse_folds_whitespace_in_multiline_text() -> None:
    library = parse_cue_pack(GOOD_PACK, "good.toml")

    assert library.cues[1].text == "Exercise raises BDNF, a protein that helps brain cells grow."


def test_parse_accepts_bytes_and_a_byte_order_mark() -> None:
    library = parse_cue_pack(b"\xef\xbb\xbf" + GOOD_PACK.encode(), "bom.toml")

    assert len(library) == 3


def test_parse_accepts_non_ascii_utf8() -> None:
    pack = _cue_toml(id="cafe", kind="motivation", text="Un pas après l'autre. Schritt für Schritt.")

    library = parse_cue_pack(pack.encode("utf-8"), "fr.toml")

    assert library.cues[0].text == "Un pas après l'autre. Schritt für Schritt."


def test_parse_records_the_pack_as_origin() -> None:
    library = parse_cue_pack(GOOD_PACK, "good.toml")

    assert library.origin_of("bdnf") == "good.toml"
    assert library.origin_of("unknown") == ""


# -- parse errors -----------------------------------------------------------------------------------------


def test_error_for_non_utf8_names_the_line() -> None:
    data = b'[[cue]]\nid = "a"\ntext = "caf\xe9"\n'

    message = _parse_error(data)

    assert "line 3" in message
    assert "UTF-8" in message


def test_error_for_oversized_pack() -> None:
    data = b"# " + b"x" * MAX_PACK_BYTES + b"\n"

    message = _parse_error(data)

    assert "1 MiB" in message


def test_error_for_oversized_str_counts_utf8_bytes() -> None:
    # 600 000 characters of two bytes each are over 1 MiB although fewer than 1 048 576 characters.
    data = "# " + "é" * 600_000 + "\n"

    assert "1 MiB" in _parse_error(data)


def test_error_for_toml_syntax_names_line() -> None:
    message = _parse_error('[[cue]]\nid = "a"\nkind = \n')

    assert "not valid TOML" in message
    assert "line 3" in message


def test_error_for_deep_nesting_is_a_user_error() -> None:
    message = _parse_error("a = " + "[" * 50_000)

    assert "not valid TOML" in message


def test_error_for_no_cues() -> None:
    assert "no cues" in _parse_error("# nothing here\n")
    assert "no cues" in _parse_error("cue = []\n")


def test_error_for_unknown_top_level_field() -> None:
    message = _parse_error('title = "mine"\n' + _cue_toml(id="a", kind="motivation", text="Hi."))

    assert "'title'" in message


def test_error_for_cue_that_is_not_a_table() -> None:
    assert "[[cue]] tables" in _parse_error('cue = "hello"\n')
    assert "[[cue]] tables" in _parse_error("cue = [1, 2]\n")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"id": "a", "kind": "motivation", "text": "Hi.", "colour": "red"}, "unknown field 'colour'"),
        ({"kind": "motivation", "text": "Hi."}, "missing 'id'"),
        ({"id": "Has Spaces", "kind": "motivation", "text": "Hi."}, "'id' must be a slug"),
        ({"id": 7, "kind": "motivation", "text": "Hi."}, "'id' must be a slug"),
        ({"id": "a" * 65, "kind": "motivation", "text": "Hi."}, "'id' must be a slug"),
        ({"id": "a", "text": "Hi."}, "missing 'kind'"),
        ({"id": "a", "kind": "motivational", "text": "Hi."}, "unknown kind 'motivational'"),
        ({"id": "a", "kind": "change", "text": "Hi."}, "unknown kind 'change'"),
        ({"id": "a", "kind": "motivation"}, "missing 'text'"),
        ({"id": "a", "kind": "motivation", "text": "   "}, "'text' is empty"),
        ({"id": "a", "kind": "motivation", "text": 5}, "'text' must be a string"),
        ({"id": "a", "kind": "motivation", "text": "x" * 301}, "301 characters"),
        ({"id": "a", "kind": "science", "text": "Fact."}, "needs a 'source'"),
        ({"id": "a", "kind": "science", "text": "Fact.", "source": "  "}, "needs a 'source'"),
        ({"id": "a", "kind": "motivation", "text": "Hi.", "source": 3}, "'source' must be a string"),
        ({"id": "a", "kind": "motivation", "text": "Hi.", "segments": ["sprint"]}, "segment kind 'sprint'"),
        ({"id": "a", "kind": "motivation", "text": "Hi.", "segments": []}, "non-empty list"),
        ({"id": "a", "kind": "motivation", "text": "Hi.", "segments": "run"}, "non-empty list"),
        ({"id": "a", "kind": "motivation", "text": "Hi.", "weight": 0}, "'weight' must be a number greater"),
        (
            {"id": "a", "kind": "motivation", "text": "Hi.", "weight": -1.5},
            "'weight' must be a number greater",
        ),
        (
            {"id": "a", "kind": "motivation", "text": "Hi.", "weight": "1"},
            "'weight' must be a number greater",
        ),
        (
            {"id": "a", "kind": "motivation", "text": "Hi.", "weight": True},
            "'weight' must be a number greater",
        ),
        ({"id": "a", "kind": "motivation", "text": "Hi.", "min_elapsed_s": -1}, "'min_elapsed_s'"),
        ({"id": "a", "kind": "motivation", "text": "Hi.", "max_effort": 11}, "'max_effort'"),
        ({"id": "a", "kind": "motivation", "text": "Hi.", "max_effort": 5.5}, "'max_effort'"),
    ],
)
def test_error_for_bad_cue_names_cue_and_reason(fields: dict[str, object], expected: str) -> None:
    good = _cue_toml(id="first", kind="motivation", text="Fine.")

    message = _parse_error(good + _cue_toml(**fields))

    assert "cue 2" in message
    assert expected in message
    if isinstance(fields.get("id"), str) and fields["id"] == "a":
        assert "('a')" in message


def test_error_for_non_finite_weight() -> None:
    pack = '[[cue]]\nid = "a"\nkind = "motivation"\ntext = "Hi."\nweight = nan\n'

    assert "'weight'" in _parse_error(pack)


def test_error_for_duplicate_id_names_both_cues() -> None:
    pack = _cue_toml(id="same", kind="motivation", text="One.") + _cue_toml(id="same", kind="mindfulness", text="Two.")

    message = _parse_error(pack)

    assert "cue 2 ('same')" in message
    assert "cue 1" in message


def test_error_shortens_huge_values() -> None:
    message = _parse_error(_cue_toml(id="a", kind="k" * 5000, text="Hi."))

    assert len(message) < 300


# -- queries ----------------------------------------------------------------------------------------------


def _library() -> CueLibrary:
    return parse_cue_pack(GOOD_PACK, "good.toml")


def test_by_kind() -> None:
    library = _library()

    assert [c.id for c in library.by_kind(CueKind.SCIENCE)] == ["bdnf"]
    assert library.by_kind(CueKind.MOTIVATION) == []


def test_fitting_respects_segment_kinds() -> None:
    library = _library()

    walk = [c.id for c in library.fitting(Segment(SegmentKind.WALK, 60), 1000)]
    run = [c.id for c in library.fitting(Segment(SegmentKind.RUN, 60), 1000)]

    assert walk == ["breath-exhale-long", "bdnf", "proud"]
    assert run == ["bdnf", "proud"]


def test_fitting_respects_min_elapsed() -> None:
    library = _library()
    segment = Segment(SegmentKind.WALK, 60)

    assert "bdnf" not in [c.id for c in library.fitting(segment, 299.9)]
    assert "bdnf" in [c.id for c in library.fitting(segment, 300)]


def test_fitting_respects_max_effort_and_passes_segments_without_effort() -> None:
    library = _library()

    def ids(effort: int | None) -> list[str]:
        return [c.id for c in library.fitting(Segment(SegmentKind.WALK, 60, effort=effort), 0)]

    assert "breath-exhale-long" in ids(None)
    assert "breath-exhale-long" in ids(6)
    assert "breath-exhale-long" not in ids(7)


def test_library_is_immutable_and_rejects_duplicate_ids() -> None:
    cue = Cue(id="a", kind=CueKind.MOTIVATION, text="Hi.")
    library = CueLibrary([cue])

    assert library.cues == (cue,)
    assert "a" in library
    assert library.get("a") is cue
    with pytest.raises(AttributeError):
        library.cues = ()  # type: ignore[misc]
    with pytest.raises(ValueError, match="duplicate"):
        CueLibrary([cue, cue])


# -- merging ----------------------------------------------------------------------------------------------


def test_merged_adds_user_cues_after_builtin_ones() -> None:
    builtin = _library()
    user = parse_cue_pack(_cue_toml(id="mine", kind="motivation", text="My own words."), "mine.toml")

    merged = builtin.merged(user)

    assert [c.id for c in merged.cues] == ["breath-exhale-long", "bdnf", "proud", "mine"]
    assert merged.origin_of("mine") == "mine.toml"
    assert merged.origin_of("bdnf") == "good.toml"
    assert len(builtin) == 3, "merging must not change the original"


def test_merged_rejects_duplicate_id_naming_both_packs() -> None:
    builtin = _library()
    user = parse_cue_pack(_cue_toml(id="proud", kind="reflection", text="Mine."), "mine.toml")

    with pytest.raises(UserError) as info:
        builtin.merged(user)

    message = str(info.value)
    assert message.startswith("mine.toml: ")
    assert "'proud'" in message
    assert "good.toml" in message


def test_load_cue_library_merges_packs_in_order() -> None:
    packs = [
        ("good.toml", GOOD_PACK.encode()),
        ("mine.toml", _cue_toml(id="mine", kind="motivation", text="Mine.").encode()),
    ]

    library = load_cue_library(packs)

    assert [c.id for c in library.cues][-1] == "mine"
    assert len(library) == 4


def test_load_cue_library_reports_the_bad_pack() -> None:
    packs = [("good.toml", GOOD_PACK.encode()), ("broken.toml", b"[[cue]\n")]

    with pytest.raises(UserError, match=r"^broken\.toml: "):
        load_cue_library(packs)


def test_load_cue_library_of_nothing_is_empty() -> None:
    assert len(load_cue_library([])) == 0


def test_library_kinds_are_the_four_pack_kinds() -> None:
    assert {k.value for k in LIBRARY_KINDS} == {"mindfulness", "motivation", "science", "reflection"}


# -- robustness -------------------------------------------------------------------------------------------


def _try_parse(data: str | bytes) -> None:
    message = ""
    try:
        library = parse_cue_pack(data, "fuzz.toml")
    except UserError as exc:
        message = str(exc)
    if message:
        assert "\n" not in message
        assert message.startswith("fuzz.toml: ")
    else:
        assert len(library) >= 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_only_ever_raise_user_error(data: bytes) -> None:
    _try_parse(data)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_only_ever_raises_user_error(data: str) -> None:
    _try_parse(data)


_toml_scalars = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["mindfulness", "science", "walk", "run", "breath-1", ""]),
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(text, text)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(
                ["id", "kind", "text", "source", "segments", "min_elapsed_s", "max_effort", "weight", "extra"]
            ),
            st.one_of(_toml_scalars, st.lists(_toml_scalars, max_size=3)),
            max_size=9,
        ),
        max_size=4,
    )
)
def test_random_cue_tables_only_ever_raise_user_error(cues: list[dict[str, object]]) -> None:
    text = "".join(
        "[[cue]]\n" + "".join(f"{key} = {_toml_value(value)}\n" for key, value in cue.items()) for cue in cues
    )

    _try_parse(text)
