"""The player contract: what a guided run asks of whatever makes its cues heard.

A run prepares its sounds first (``PreparedSounds``: one file per cue, chosen when the speech was rendered),
hands them to a player with ``load``, and then plays each cue by its id, its place in the run's timeline, as
the timer engine delivers it. Cues are never looked up by their text while the run goes on.

Two implementations: the QtMultimedia one in ``runcompanion.ui.run.qt_player`` (the app), and
``CaptionsOnlyPlayer`` here, for a run that has no speech or no audio output: the run screen shows every cue
as a caption anyway, so that player only keeps track of what it was asked. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from runcompanion.core.cue_timeline import CueTimeline


@dataclass(frozen=True)
class PreparedSounds:
    """The file that says each cue of one timeline, by cue id (its index in ``CueTimeline.cues``).

    ``None`` marks a cue without a sound. ``overlays`` are the cue ids that sound over speech instead of
    cutting it off (the countdown beeps).
    """

    by_cue: tuple[Path | None, ...] = ()
    overlays: frozenset[int] = field(default_factory=frozenset)

    def files_in_order(self) -> list[Path]:
        """Each distinct file once, in the order the run first needs it: the order to load them in."""
        return list(dict.fromkeys(path for path in self.by_cue if path is not None))

    def file_for(self, cue_id: int) -> Path | None:
        return self.by_cue[cue_id] if 0 <= cue_id < len(self.by_cue) else None


def prepare_sounds(timeline: CueTimeline, clips: Mapping[str, Path], beep: Path) -> PreparedSounds:
    """Give every cue of ``timeline`` its file: ``beep`` for a countdown beep, else the clip rendered for its
    text (``clips`` as the speech preparation made it). Called once, before the run; any thread."""
    by_cue = tuple(beep if cue.beep else clips.get(cue.text) for cue in timeline.cues)
    overlays = frozenset(index for index, cue in enumerate(timeline.cues) if cue.beep)
    return PreparedSounds(by_cue, overlays)


class Player(Protocol):
    """What a run needs from a player. Implementations say from which thread they must be called."""

    def load(self, sounds: PreparedSounds) -> None:
        """Take the sounds of the run about to play; may load them gradually, but ``play`` of any of them works
        at once (one not loaded yet is loaded then)."""

    def play(self, cue_id: int) -> None:
        """Play the cue's sound now. Speech cuts off the speech before it; an overlay sounds over it."""

    def play_file(self, path: Path) -> None:
        """Play one sound outside the timeline now: the coach's live remark on the belt (ui/run/drift_voice.py),
        which the run times into a silence between cues. Speech cuts off the speech before it."""

    def stop(self) -> None:
        """Silence what is playing (a skip or a stop must not go on talking about the segment left)."""

    def set_volume(self, percent: int) -> None:
        """0 to 100; values outside are clamped."""

    def set_muted(self, muted: bool) -> None: ...


class CaptionsOnlyPlayer:
    """A player that makes no sound: for runs without speech or without an audio output. Any thread.

    It keeps what it was asked (``played``, ``files``, ``volume``, ``muted``) so that the run and its tests can see the
    cues went where sound would have come from.
    """

    def __init__(self) -> None:
        self.sounds = PreparedSounds()
        self.played: list[int] = []
        self.files: list[Path] = []
        self.volume = 100
        self.muted = False

    def load(self, sounds: PreparedSounds) -> None:
        self.sounds = sounds

    def play(self, cue_id: int) -> None:
        self.played.append(cue_id)

    def play_file(self, path: Path) -> None:
        self.files.append(path)

    def stop(self) -> None:
        pass  # nothing sounds, so nothing to silence

    def set_volume(self, percent: int) -> None:
        self.volume = min(max(percent, 0), 100)

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
