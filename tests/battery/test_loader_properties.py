"""Property tests: whatever bytes or structures the loaders are fed, only ``UserError`` comes out.

Session TOML, cue packs, program TOML and the journal's JSON backup; random bytes, random text, and random
documents built from the fields each format knows (so the input gets past the parser into the validators).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runcompanion.core.cue_library import parse_cue_pack
from runcompanion.core.errors import UserError
from runcompanion.core.programs import parse_program_toml
from runcompanion.core.session_files import parse_session_toml, session_from_dict
from runcompanion.services.journal_transfer import parse_archive

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Loader = Callable[[bytes], object]
LOADERS: dict[str, Loader] = {
    "session": lambda data: parse_session_toml(data, "fuzz.toml"),
    "cue-pack": lambda data: parse_cue_pack(data, "fuzz.toml"),
    "program": lambda data: parse_program_toml(data, "fuzz.toml"),
    "journal": lambda data: parse_archive(data, "fuzz.json"),
}


def _only_user_errors(load: Callable[[], object]) -> None:
    try:
        load()
    except UserError as error:
        message = str(error)
        assert message.strip(), "an empty message"
        assert "\n" not in message, message


# -------------------------------------------------------------------------------------------- raw input


@pytest.mark.parametrize("loader", LOADERS.values(), ids=LOADERS.keys())
@SETTINGS
@given(data=st.binary(max_size=2000))
def test_random_bytes(loader: Loader, data: bytes) -> None:
    _only_user_errors(lambda: loader(data))


@pytest.mark.parametrize("loader", LOADERS.values(), ids=LOADERS.keys())
@SETTINGS
@given(text=st.text(max_size=1000))
def test_random_text(loader: Loader, text: str) -> None:
    _only_user_errors(lambda: loader(text.encode("utf-8", "surrogatepass")))


# ------------------------------------------------------------------------------------ structured input

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=50)
    | st.sampled_from(["5:00", "0:00", "99:59", "1:00:00", "-1:00", "run", "walk", "warmup", "free", "nan", ""])
)


def _values(keys: list[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        SCALARS,
        lambda children: (
            st.lists(children, max_size=5)
            | st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), children, max_size=6)
        ),
        max_leaves=25,
    )


SESSION_KEYS = [
    "id",
    "name",
    "description",
    "tags",
    "segments",
    "kind",
    "duration",
    "label",
    "effort",
    "speed_kmh",
    "incline_pct",
    "duration_s",
]
CUE_KEYS = ["cue", "id", "kind", "text", "source", "segments", "min_elapsed_s", "max_effort", "weight"]
PROGRAM_KEYS = [
    "id",
    "name",
    "description",
    "tags",
    "defaults",
    "before",
    "after",
    "weeks",
    "runs",
    "times",
    "segments",
    "repeat",
    "kind",
    "duration",
    "label",
    "effort",
    "speed_kmh",
    "incline_pct",
    "run",
    "walk",
]
JOURNAL_KEYS = [
    "format",
    "version",
    "runs",
    "own_sessions",
    "enrolments",
    "scheduled_runs",
    "started_at",
    "session_id",
    "source",
    "session_name",
    "session_tags",
    "planned_s",
    "seed",
    "status",
    "ended_at",
    "elapsed_s",
    "segment_index",
    "segments_done",
    "segment_log",
    "checkpoint_at",
    "scheduled_run_uid",
    "reflection",
    "feeling_before",
    "feeling_after",
    "text",
    "tags",
    "draft",
    "created_at",
    "updated_at",
    "uid",
    "enrolment",
    "program_id",
    "days",
    "time",
    "start_date",
    "due_at",
    "duration_s",
    "definition",
]


def _toml_value(value: Any) -> str:
    """Write a value as TOML (inline), the way a person might; unrepresentable values become strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value if item is not None) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + items + " }"
    return '""'


def _toml_document(document: dict[str, Any], table_arrays: dict[str, list[dict[str, Any]]]) -> bytes:
    lines = [f"{json.dumps(key)} = {_toml_value(value)}" for key, value in document.items() if value is not None]
    for name, tables in table_arrays.items():
        for table in tables:
            lines.append(f"[[{name}]]")
            lines += [f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in table.items() if v is not None]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _documents(keys: list[str], array: str) -> st.SearchStrategy[bytes]:
    return st.builds(
        _toml_document,
        st.dictionaries(st.sampled_from(keys), _values(keys), max_size=6),
        st.dictionaries(
            st.just(array), st.lists(st.dictionaries(st.sampled_from(keys), _values(keys), max_size=8), max_size=4)
        ),
    )


@SETTINGS
@given(data=_documents(SESSION_KEYS, "segments"))
def test_random_session_documents(data: bytes) -> None:
    _only_user_errors(lambda: parse_session_toml(data, "fuzz.toml"))


@SETTINGS
@given(data=_values(SESSION_KEYS))
def test_random_stored_sessions(data: Any) -> None:
    _only_user_errors(lambda: session_from_dict(data if isinstance(data, dict) else {"name": data}, "own session 1"))


@SETTINGS
@given(data=_documents(CUE_KEYS, "cue"))
def test_random_cue_packs(data: bytes) -> None:
    _only_user_errors(lambda: parse_cue_pack(data, "fuzz.toml"))


@SETTINGS
@given(data=_documents(PROGRAM_KEYS, "weeks"))
def test_random_programs(data: bytes) -> None:
    _only_user_errors(lambda: parse_program_toml(data, "fuzz.toml"))


VALID_RUN: dict[str, Any] = {
    "started_at": "2024-05-06T07:30:00+00:00",
    "session_id": "easy-30",
    "source": "app",
    "session_name": "Easy 30",
    "planned_s": 1800,
    "status": "finished",
    "elapsed_s": 1800,
    "reflection": {
        "text": "ok",
        "draft": False,
        "created_at": "2024-05-06T08:00:00+00:00",
        "updated_at": "2024-05-06T08:00:00+00:00",
    },
}


@SETTINGS
@given(
    top=st.dictionaries(st.sampled_from(JOURNAL_KEYS), _values(JOURNAL_KEYS), max_size=4),
    runs=st.lists(st.dictionaries(st.sampled_from(JOURNAL_KEYS), _values(JOURNAL_KEYS), max_size=10), max_size=3),
)
def test_random_journal_documents(top: dict[str, Any], runs: list[dict[str, Any]]) -> None:
    document = {"format": "runcompanion-journal", "version": 1, **top, "runs": [{**VALID_RUN, **run} for run in runs]}
    data = json.dumps(document, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")
    _only_user_errors(lambda: parse_archive(data, "fuzz.json"))


@SETTINGS
@given(cut=st.integers(min_value=0, max_value=10_000), junk=st.binary(max_size=20))
def test_a_real_backup_cut_anywhere(cut: int, junk: bytes) -> None:
    data = json.dumps({"format": "runcompanion-journal", "version": 1, "runs": [VALID_RUN] * 3}, indent=1).encode()
    _only_user_errors(lambda: parse_archive(data[: cut % (len(data) + 1)] + junk, "fuzz.json"))


def test_the_valid_run_is_valid() -> None:
    archive = parse_archive(
        json.dumps({"format": "runcompanion-journal", "version": 1, "runs": [VALID_RUN]}).encode(), "ok.json"
    )
    assert len(archive.runs) == 1
