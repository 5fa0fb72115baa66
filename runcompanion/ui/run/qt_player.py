"""The QtMultimedia player: plays cues at the moment the run controller hands them over.

It implements ``runcompanion.audio.player.Player`` (the contract lives in ``audio/``, which never imports Qt).
Every cue's sound is loaded into a ``QSoundEffect`` before the run, so playing one costs no decoding and no
disk access on the GUI thread: what reaches the speakers starts within a few milliseconds of ``play``.
Must be used from the GUI thread.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

from runcompanion.audio.player import PreparedSounds

log = logging.getLogger(__name__)

LOAD_PER_TURN = 4
LOAD_PAUSE_MS = 15


def audio_output_available() -> bool:
    return bool(QMediaDevices.audioOutputs())


class QtPlayer(QObject):
    """``problem`` carries a sentence for the run screen's banner when sound cannot be played."""

    problem = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[Path, QSoundEffect] = {}
        self._sounds = PreparedSounds()
        self._current: QSoundEffect | None = None
        self._volume = 0.8
        self._muted = False
        self._reported = False
        self._pending: list[Path] = []

    def load(self, sounds: PreparedSounds) -> None:
        """Take the run's sounds (chimed cues: chime and speech in one file).

        The sounds are loaded a few per turn of the event loop, in the order the run needs them, so an hour's
        hundred cues never freeze the run screen; the first ones are ready long before they are due.
        """
        self._sounds = sounds
        self._pending = [p for p in sounds.files_in_order() if p not in self._effects]
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

    def play(self, cue_id: int) -> None:
        path = self._sounds.file_for(cue_id)
        if path is not None and path in self._pending:
            # Its turn to load had not come (a skip ahead): load it now rather than stay silent.
            self._pending.remove(path)
            self._pending.insert(0, path)
            self._load_some()
        effect = self._effects.get(path) if path is not None else None
        if effect is None:
            log.warning("no sound prepared for cue %d", cue_id)
            return
        if cue_id in self._sounds.overlays:
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
            effect.setMuted(self._muted)  # a muted run stays silent for the coach's live remark too
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
