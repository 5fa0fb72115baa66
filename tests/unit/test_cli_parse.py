"""Opening the app skips building the full parser; it must read the arguments exactly as the parser would."""

from __future__ import annotations

import pytest

from runcompanion.cli import output, parser


@pytest.mark.parametrize("argv", [[], ["--data-dir", "/tmp/rc"], ["--data-dir", "doctor"]])
def test_opening_the_app_reads_as_the_parser_does(argv: list[str]) -> None:
    fast = parser.parse(argv)
    full = parser.build_parser().parse_args(argv)
    assert (fast.command, fast.data_dir) == (full.command, full.data_dir)
    assert fast.command is None


@pytest.mark.parametrize(
    ("argv", "command", "data_dir"),
    [
        (["--data-dir=/tmp/rc"], None, "/tmp/rc"),
        (["--data-dir", "/tmp/rc", "doctor"], "doctor", "/tmp/rc"),
        (["history", "--json"], "history", None),
    ],
)
def test_everything_else_goes_through_the_parser(argv: list[str], command: str | None, data_dir: str | None) -> None:
    args = parser.parse(argv)
    assert (args.command, args.data_dir) == (command, data_dir)


def test_mistakes_and_help_still_reach_the_parser() -> None:
    with pytest.raises(SystemExit) as stopped:
        parser.parse(["--data-dir"])
    assert stopped.value.code == output.EXIT_USER
    with pytest.raises(SystemExit) as helped:
        parser.parse(["--help"])
    assert helped.value.code == 0
