"""The test run gets a home of its own: nothing a test starts writes into the developer's home folder.

Without this, Qt's PulseAudio client in a GUI test made `~/.config/pulse/<machine-id>-runtime`, font caches went
to `~/.cache/fontconfig`, and any code that falls back to appdirs' defaults would find the real data folder.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_XDG = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
}


def isolate_home() -> Path:
    """Point HOME, the XDG folders and XDG_RUNTIME_DIR into a fresh temporary folder; return the user's real home.

    Environment variables are what subprocesses inherit, so the app under test, pactl, Xvfb and strace all get
    the temporary home too. The folder is removed when the test process exits.
    """
    real = Path(os.environ.get("RUNCOMPANION_TESTS_USER_HOME") or Path.home())
    base = Path(tempfile.mkdtemp(prefix="runcompanion-tests-"))
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    home = base / "home"
    home.mkdir()
    os.environ["HOME"] = str(home)
    for name, relative in _XDG.items():
        (home / relative).mkdir(parents=True)
        os.environ[name] = str(home / relative)
    # The session's sound server and D-Bus live here: an empty one keeps tests off the desktop's speakers.
    runtime = base / "runtime"
    runtime.mkdir(mode=0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    os.environ["RUNCOMPANION_TESTS_USER_HOME"] = str(real)
    return real
