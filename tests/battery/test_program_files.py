"""Bad program files: the program parser (programs ship with the app; there is no import command) refuses each
with one ``UserError`` line naming the file."""

from __future__ import annotations

import pytest

from runcompanion.core.errors import UserError
from runcompanion.core.programs import parse_program_toml
from runcompanion.paths import resource_files

SHIPPED = dict(resource_files("programs", ".toml"))
SMALL_STEPS = SHIPPED["small-steps.toml"]


def _program(runs: str, weeks: int = 1, extra: str = "") -> bytes:
    week = f"[[weeks]]\n[[weeks.runs]]\n{runs}\n"
    return f'id = "odd"\nname = "Odd"\n{extra}{week * weeks}'.encode()


CASES: dict[str, tuple[bytes, str]] = {
    "malformed-toml": (b'id = "x"\n[[weeks]\n', "line 2"),
    "truncated": (SMALL_STEPS[: len(SMALL_STEPS) // 2], "odd.toml"),
    "oversized-1mb": (b"# " + b"x" * (1024 * 1024) + b"\n", "odd.toml"),
    "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50, "odd.toml"),
    "non-utf8-latin1": ('id = "x"\nname = "Café"\n'.encode("latin-1"), "UTF-8"),
    "empty": (b"", "odd.toml"),
    "zero-duration": (_program('segments = [{ kind = "run", duration = "0:00" }]'), "odd.toml"),
    "negative-duration": (_program('segments = [{ kind = "run", duration = -30 }]'), "odd.toml"),
    "absurd-duration": (_program('segments = [{ kind = "run", duration = 1e300 }]'), "odd.toml"),
    "nan-duration": (_program('segments = [{ kind = "run", duration = nan }]'), "odd.toml"),
    "absurd-repeat": (
        _program('segments = [{ repeat = 1000000000, segments = [{ kind = "run", duration = 60 }] }]'),
        "odd.toml",
    ),
    "negative-repeat": (
        _program('segments = [{ repeat = -1, segments = [{ kind = "run", duration = 60 }] }]'),
        "odd.toml",
    ),
    "too-many-runs-a-week": (_program('times = 8\nsegments = [{ kind = "run", duration = 60 }]'), "odd.toml"),
    "too-many-weeks": (_program('segments = [{ kind = "run", duration = 60 }]', weeks=53), "odd.toml"),
    "no-weeks": (b'id = "odd"\nname = "Odd"\n', "odd.toml"),
    "nested-too-deep": (
        _program(
            "segments = [{ repeat = 2, segments = [{ repeat = 2, segments = [{ repeat = 2, segments = "
            '[{ repeat = 2, segments = [{ kind = "run", duration = 60 }] }] }] }] }]'
        ),
        "odd.toml",
    ),
    "deeply-nested-toml": (b"x = " + b"[" * 20000 + b"]" * 20000 + b"\n", "odd.toml"),
    "huge-integer": (_program("times = 1" + "0" * 5000 + '\nsegments = [{ kind = "run", duration = 60 }]'), "odd.toml"),
}


@pytest.mark.parametrize(("content", "expected"), CASES.values(), ids=CASES.keys())
def test_a_bad_program_file_is_one_user_error(content: bytes, expected: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_program_toml(content, "odd.toml")
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert len(message) < 500, message


def test_every_shipped_program_still_parses() -> None:
    programs = [parse_program_toml(data, name) for name, data in SHIPPED.items()]
    assert {program.id for program in programs} >= {"c25k", "small-steps"}
