"""Every writer refuses a target that is not an ordinary file: a device, a folder, a FIFO, a socket.

Run for real (the test suite runs as root here, so a rename over ``/dev/full`` would really replace the device
node): each command that writes a file on request gets the target, must exit 2 with one line naming it, leave
it exactly what it was, and leave no temporary file beside it.
"""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.battery import Cli, assert_one_line_error, stray_files

pytestmark = pytest.mark.timeout(180)


def _writers(out: Path) -> dict[str, tuple[str, ...]]:
    return {
        "sessions-export": ("sessions", "export", "first-walk-run", "--out", str(out)),
        "journal-export-json": ("journal", "export", "--format", "json", "--out", str(out)),
        "journal-export-csv": ("journal", "export", "--format", "csv", "--out", str(out)),
        "plan-export-ics": ("plan", "export", "--ics", str(out)),
        "render": ("render", "first-walk-run", "--out", str(out)),
    }


WRITER_NAMES = list(_writers(Path("x")))


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli.at(tmp_path_factory.mktemp("home"))
    cli.ok("history")  # the data folder and its database exist before any refusal is checked
    return cli


def _identity(path: Path) -> tuple[int, int, int]:
    st = os.lstat(path)
    return (st.st_mode, st.st_ino, st.st_rdev)


def _suffixed(path: Path, command: str) -> Path:
    # render insists on .wav and plan export on .ics before it looks at the target: give each what it expects.
    suffix = {"render": ".wav", "plan-export-ics": ".ics"}.get(command)
    if suffix is None:
        return path
    link = path.parent / f"{path.name.lstrip('/').replace('/', '_')}-link{suffix}"
    if not link.is_symlink():
        link.symlink_to(path)
    return link


@pytest.mark.parametrize("command", WRITER_NAMES)
def test_dev_full_is_refused_and_stays_a_device(cli: Cli, command: str, tmp_path: Path) -> None:
    device = Path("/dev/full")
    before = _identity(device)
    assert stat.S_ISCHR(before[0])
    # render and ics need a suffix: they get a link named for them that points at the device.
    target = device if command not in ("render", "plan-export-ics") else _suffixed_link(tmp_path, device, command)
    result = cli.run(*_writers(target)[command])
    line = assert_one_line_error(result, str(target), "device")
    assert "Wrote" not in result.stdout, result.stdout
    assert "nothing was written" in line
    assert _identity(device) == before  # still the very same character device
    assert [name for name in os.listdir("/dev") if name.startswith(".full")] == []


def _suffixed_link(folder: Path, target: Path, command: str) -> Path:
    suffix = ".wav" if command == "render" else ".ics"
    link = folder / f"chosen{suffix}"
    link.symlink_to(target)
    return link


@pytest.fixture
def odd_targets(tmp_path: Path) -> Iterator[dict[str, Path]]:
    folder = tmp_path / "targets"
    folder.mkdir()
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    directory = folder / "folder"
    directory.mkdir()
    sock_path = folder / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(sock_path))
    try:
        yield {"FIFO": fifo, "folder": directory, "socket": sock_path}
    finally:
        server.close()


@pytest.mark.parametrize("command", WRITER_NAMES)
@pytest.mark.parametrize("kind", ["FIFO", "folder", "socket"])
def test_a_fifo_a_folder_or_a_socket_is_refused_untouched(
    cli: Cli, odd_targets: dict[str, Path], command: str, kind: str
) -> None:
    original = odd_targets[kind]
    target = _suffixed(original, command)
    before = _identity(original)
    result = cli.run(*_writers(target)[command])
    words = {"FIFO": "named pipe", "folder": "folder", "socket": "socket"}[kind]
    assert_one_line_error(result, str(target), words)
    assert _identity(original) == before
    assert stray_files(original.parent) == []


def test_a_link_the_person_named_writes_the_file_it_points_to_and_stays_a_link(cli: Cli, tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "chosen.toml"
    link.symlink_to(real)
    cli.ok("sessions", "export", "first-walk-run", "--out", str(link))
    assert link.is_symlink()  # the link was not replaced by a file
    assert "first-walk-run" in real.read_text(encoding="utf-8")
    assert stray_files(tmp_path) == []


def test_a_refused_render_renders_nothing(cli: Cli, tmp_path: Path) -> None:
    """The target is checked before the minutes of rendering: nothing reaches the speech cache."""
    folder = tmp_path / "out.wav"
    folder.mkdir()
    speech = cli.home / "cache" / "speech"
    cached_before = sorted(speech.rglob("*")) if speech.exists() else []
    result = cli.run("render", "first-walk-run", "--out", str(folder))
    assert_one_line_error(result, "folder")
    assert (sorted(speech.rglob("*")) if speech.exists() else []) == cached_before
