"""The two short sounds a run uses besides speech: the chime before a change and the countdown beep.

The files are made by ``scripts/make_sounds.py`` and ship in ``runcompanion.resources/sounds``. Their lengths
must equal the constants below, because the cue scheduler reserves exactly that much time for them.
Any thread may call these functions.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# Must match runcompanion.core.cue_scheduler (the lead reconciles the two definitions).
CHIME_S = 0.6
BEEP_S = 0.15

CHIME_FILE = "chime.wav"
BEEP_FILE = "beep.wav"


def sounds_dir() -> Path:
    """The folder holding chime.wav and beep.wav, in a checkout or an installed wheel."""
    root = resources.files("runcompanion.resources")
    # The package is installed as plain files (never zipped), so this is a real folder the player can open.
    if not isinstance(root, Path):
        raise RuntimeError(f"runcompanion.resources is not a folder on disk: {root}")
    return root / "sounds"


def chime_path() -> Path:
    return sounds_dir() / CHIME_FILE


def beep_path() -> Path:
    return sounds_dir() / BEEP_FILE
