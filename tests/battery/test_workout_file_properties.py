"""Whatever a workout file holds, the readers answer with a session or one UserError, never another exception:
random bytes, random XML built from the .zwo vocabulary, and random FIT bytes behind a valid header."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runcompanion.core.errors import UserError
from runcompanion.core.fit_workout import parse_fit_workout
from runcompanion.core.reference_pace import ReferencePace
from runcompanion.core.session_draft import NoteDraft, RepeatDraft, SegmentDraft, SessionDraft
from runcompanion.core.zwo_reader import parse_zwo

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PACE = ReferencePace.from_setting(300)

_TAGS = ["Warmup", "Cooldown", "SteadyState", "IntervalsT", "Ramp", "FreeRide", "MaxEffort", "textevent"]
_ATTRS = ["Duration", "Power", "PowerLow", "PowerHigh", "OnPower", "OffPower", "OnDuration", "OffDuration"]
_ATTRS += ["Repeat", "pace", "Slope", "OnSlope", "OffSlope", "units", "timeoffset", "distoffset", "message"]
_VALUES = st.one_of(
    st.sampled_from(["0", "1", "-1", "0.5", "1e309", "nan", "inf", "", "abc", "99999999", "2", "600", "0.0001"]),
    st.text(max_size=8),
)


@st.composite
def _zwo(draw: st.DrawFn) -> bytes:
    blocks = []
    for _ in range(draw(st.integers(0, 6))):
        tag = draw(st.sampled_from(_TAGS))
        attrs = draw(st.dictionaries(st.sampled_from(_ATTRS), _VALUES, max_size=6))
        text = " ".join(f'{k}="{_escape(v)}"' for k, v in attrs.items())
        inner = "".join(
            f'<textevent timeoffset="{_escape(draw(_VALUES))}" message="{_escape(draw(_VALUES))}"/>'
            for _ in range(draw(st.integers(0, 2)))
        )
        blocks.append(f"<{tag} {text}>{inner}</{tag}>")
    sport = draw(st.sampled_from(["run", "bike", "", "RUN"]))
    duration_type = draw(st.sampled_from(["", "<durationType>distance</durationType>"]))
    return (
        f"<workout_file><name>{_escape(draw(st.text(max_size=20)))}</name><sportType>{sport}</sportType>"
        f"{duration_type}<workout>{''.join(blocks)}</workout></workout_file>"
    ).encode("utf-8", "surrogatepass")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _only_user_errors(read: object) -> None:
    message = ""
    try:
        read()  # type: ignore[operator]
    except UserError as exc:
        message = str(exc)
    assert "\n" not in message


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_as_zwo(data: bytes) -> None:
    _only_user_errors(lambda: parse_zwo(data, "x.zwo", PACE))


@SETTINGS
@given(_zwo())
def test_random_workouts_from_the_zwo_vocabulary(data: bytes) -> None:
    _only_user_errors(lambda: parse_zwo(data, "x.zwo", PACE))


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_behind_a_fit_header(tail: bytes) -> None:
    header = bytes([14, 0x20, 0x08, 0x52]) + len(tail).to_bytes(4, "little") + b".FIT" + b"\x00\x00"
    _only_user_errors(lambda: parse_fit_workout(header + tail + b"\x00\x00", "x.fit"))


_TEXT = st.text(max_size=10)


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.builds(
                SegmentDraft, _TEXT, _TEXT, _TEXT, _TEXT, _TEXT, _TEXT, st.tuples(st.builds(NoteDraft, _TEXT, _TEXT))
            ),
            st.builds(RepeatDraft, _TEXT, st.lists(st.builds(SegmentDraft, _TEXT, _TEXT), max_size=3).map(tuple)),
        ),
        max_size=5,
    ).map(tuple),
    _TEXT,
)
def test_the_editor_checks_anything_typed(items: tuple[SegmentDraft | RepeatDraft, ...], name: str) -> None:
    draft = SessionDraft(name=name, items=items)
    problems = draft.problems()
    draft.total_s()
    if not problems:
        draft.to_plan("typed")  # no problem found means the file rules accept it too
    else:
        _only_user_errors(lambda: draft.to_plan("typed"))
