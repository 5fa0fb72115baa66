"""A second start where the first window cannot be asked to come forward: one line, exit 2, nothing opened."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.battery import Cli, assert_one_line_error, table_contents

pytestmark = pytest.mark.timeout(120)

# Holds the data folder's lock the way a window does, but listens on no socket: like a window that has not
# painted yet, or a platform where the local socket cannot be made.
HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from runcompanion.storage.folder_lock import DataFolderLock
    lock = DataFolderLock.try_acquire(Path(sys.argv[1]))
    print("held" if lock is not None else "refused", flush=True)
    sys.stdin.read()
    """
)


@pytest.mark.parametrize("command", [(), ("run", "first-walk-run")], ids=["app", "run"])
def test_a_second_start_without_an_answering_window_exits_2_in_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    cli = Cli.at(tmp_path / "home")
    cli.ok("history")
    before = table_contents(cli.database)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(cli.data_dir)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        result = cli.run(*command)
    finally:
        holder.communicate("", timeout=30)
    line = assert_one_line_error(result, f"(process {holder.pid}) already uses the data folder {cli.data_dir}")
    assert "brought to the front" not in line
    assert table_contents(cli.database) == before
    assert "main window shown" not in (cli.data_dir / "runcompanion.log").read_text(encoding="utf-8")
