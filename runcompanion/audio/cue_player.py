"""Plays cues through QtMultimedia at the moment the run controller hands them over.

Every cue's sound is loaded into a ``QSoundEffect`` before the run, so playing one costs no decoding and no
disk access on the GUI thread: what reaches the speakers starts within a few milliseconds of ``play``.
Must be used from the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

from runcompanion.core.cue_timeline import TimelineCue

log = logging.getLogger(__name__)

LOAD_PER_TURN = 4
LOAD_PAUSE_MS = 15


def audio_output_available() -> bool:
    return bool(QMediaDevices.audioOutputs())


class CuePlayer(QObject):
    """``problem`` carries a sentence for the run screen's banner when sound cannot be played."""

    problem = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[Path, QSoundEffect] = {}
        self._files: Mapping[str, Path] = {}
        self._beep: Path | None = None
        self._current: QSoundEffect | None = None
        self._volume = 0.8
        self._muted = False
        self._reported = False
        self._pending: list[Path] = []

    def load(self, files: Mapping[str, Path], beep: Path, order: list[str] | None = None) -> None:
        """``files`` maps each cue's text to the WAV that says it (chimed cues: chime and speech in one file).

        The sounds are loaded a few per turn of the event loop, in ``order`` (the cues' order in the run), so an
        hour's hundred cues never freeze the run screen; the first ones are ready long before they are due.
        """
        self._files = dict(files)
        self._beep = beep
        wanted = [beep, *(self._files[t] for t in (order or list(self._files)) if t in self._files)]
        self._pending = [p for p in dict.fromkeys(wanted) if p not in self._effects]
        self._load_some()

    def _load_some(self) -> None:
        device = QMediaDevices.defaultAudioOutput()
        for path in self._pending[:LOAD_PER_TURN]:
            effect = QSoundEffect(device, self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(self._volume)
            effect.setMuted(self._muted)
            effect.statusChanged.connect(lambda e=effect: self._check(e))
            self._effects[path] = effect
        del self._pending[:LOAD_PER_TURN]
        if self._pending:
            QTimer.singleShot(LOAD_PAUSE_MS, self._load_some)

    def _check(self, effect: QSoundEffect) -> None:
        if effect.status() is QSoundEffect.Status.Error and not self._reported:
            self._reported = True
            log.warning("cannot play %s", effect.source().toLocalFile())
            self.problem.emit(
                "No sound: a cue could not be played, so the cues are shown here as captions. "
                "Check your audio output; `runcompanion doctor` checks the setup."
            )

    def file_for(self, cue: TimelineCue) -> Path | None:
        return self._beep if cue.beep else self._files.get(cue.text)

    def play(self, cue: TimelineCue) -> None:
        path = self.file_for(cue)
        if path is not None and path in self._pending:
            # Its turn to load had not come (a skip ahead): load it now rather than stay silent.
            self._pending.remove(path)
            self._pending.insert(0, path)
            self._load_some()
        effect = self._effects.get(path) if path is not None else None
        if effect is None:
            log.warning("no sound prepared for cue %r", cue.text)
            return
        if cue.beep:
            # A countdown beep never cuts speech off; speech replaces whatever was being said.
            effect.play()
            return
        if self._current is not None and self._current is not effect:
            self._current.stop()
        self._current = effect
        effect.play()

    def play_file(self, path: Path) -> None:
        """Play one WAV now (a voice preview, or a cue picked in the Sessions screen)."""
        effect = self._effects.get(path)
        if effect is None:
            effect = QSoundEffect(QMediaDevices.defaultAudioOutput(), self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(self._volume)
            effect.statusChanged.connect(lambda e=effect: self._check(e))
            self._effects[path] = effect
        if self._current is not None and self._current is not effect:
            self._current.stop()
        self._current = effect
        if effect.status() is QSoundEffect.Status.Ready:
            effect.play()
        else:
            # Not decoded yet: play as soon as it is.
            def when_ready(e: QSoundEffect = effect) -> None:
                if e.status() is QSoundEffect.Status.Ready and e is self._current:
                    e.statusChanged.disconnect(when_ready)
                    e.play()

            effect.statusChanged.connect(when_ready)

    def stop(self) -> None:
        if self._current is not None:
            self._current.stop()
            self._current = None

    def set_volume(self, percent: int) -> None:
        self._volume = min(max(percent, 0), 100) / 100.0
        for effect in self._effects.values():
            effect.setVolume(self._volume)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        for effect in self._effects.values():
            effect.setMuted(muted)

    @property
    def loaded(self) -> int:
        return len(self._effects)

    def all_ready(self) -> bool:
        return all(e.status() is QSoundEffect.Status.Ready for e in self._effects.values())
