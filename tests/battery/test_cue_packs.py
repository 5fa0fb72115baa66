"""Bad cue packs in the runner's cue folder (DATA/config/cues): ``cues SESSION`` warns on stderr and still works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.battery import Cli

SESSION = "small-steps-10"
GOOD_CUE = '[[cue]]\nid = "my-own-cue"\nkind = "motivation"\ntext = "One more minute, then another."\n'


def _cue(**fields: str) -> bytes:
    values = {"id": '"odd-cue"', "kind": '"motivation"', "text": '"Keep going."', **fields}
    return ("[[cue]]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())).encode()


CASES: dict[str, bytes] = {
    "malformed-toml": b'[[cue]\nid = "x"\n',
    "truncated": GOOD_CUE.encode()[:40],
    "oversized-2mb": b"# " + b"x" * (2 * 1024 * 1024) + b"\n",
    "binary": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50,
    "non-utf8-latin1": GOOD_CUE.replace("One more", "Café, one more").encode("latin-1"),
    "empty": b"",
    "no-cues": b'title = "not a cue pack"\n',
    "unknown-kind": _cue(kind='"advert"'),
    "text-too-long": _cue(text='"' + "so long " * 60 + '"'),
    "empty-text": _cue(text='""'),
    "reuses-a-builtin-id": _cue(id='"breath-exhale-long"'),
    "negative-weight": _cue(weight="-1.0"),
    "nan-weight": _cue(weight="nan"),
    "absurd-min-elapsed": _cue(min_elapsed_s="-1e308"),
    "deeply-nested": b"x = " + b"[" * 20000 + b"]" * 20000 + b"\n",
}


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli.at(tmp_path_factory.mktemp("cues") / "home")
    (cli.home / "config" / "cues").mkdir(parents=True)
    cli.ok("cues", SESSION, "--json")  # renders the session's speech once; every case below reuses the cache
    return cli


def _cues(cli: Cli) -> tuple[dict[str, object], list[str]]:
    result = cli.run("cues", SESSION, "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    timeline: dict[str, object] = json.loads(result.stdout)
    return timeline, [line for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("content", CASES.values(), ids=CASES.keys())
def test_a_bad_cue_pack_is_left_out_with_a_warning(cli: Cli, content: bytes) -> None:
    folder = cli.home / "config" / "cues"
    good = folder / "mine.toml"
    good.write_text(GOOD_CUE, encoding="utf-8")
    bad = folder / "bad.toml"
    bad.write_bytes(content)
    try:
        timeline, warnings = _cues(cli)
    finally:
        bad.unlink()
        good.unlink()

    assert timeline["session_id"] == SESSION
    cues = timeline["cues"]
    assert isinstance(cues, list)
    assert len(cues) > 5
    assert len(warnings) == 1, warnings
    (warning,) = warnings
    assert warning.startswith("runcompanion: Your cue pack was left out: bad.toml"), warning
    assert len(warning) < 400, warning


def test_the_warning_names_each_bad_pack_and_good_packs_still_count(cli: Cli) -> None:
    folder = cli.home / "config" / "cues"
    (folder / "a-bad.toml").write_bytes(CASES["binary"])
    (folder / "b-bad.toml").write_bytes(CASES["malformed-toml"])
    (folder / "c-good.toml").write_text(GOOD_CUE, encoding="utf-8")
    try:
        _timeline, warnings = _cues(cli)
    finally:
        for name in ("a-bad.toml", "b-bad.toml", "c-good.toml"):
            (folder / name).unlink()
    assert [w.split(": ")[2] for w in warnings] == ["a-bad.toml", "b-bad.toml"]


def test_a_folder_named_like_a_pack_is_left_out(cli: Cli) -> None:
    folder = cli.home / "config" / "cues" / "folder.toml"
    folder.mkdir()
    try:
        _timeline, warnings = _cues(cli)
    finally:
        folder.rmdir()
    assert len(warnings) == 1
    assert "folder.toml" in warnings[0]


def test_no_warning_without_a_bad_pack(cli: Cli, tmp_path: Path) -> None:
    _timeline, warnings = _cues(cli)
    assert warnings == []
