"""Everything a guided run says, ready to play: the cue timeline of a session and the sound of every cue.

``prepare`` schedules the cues with their real spoken lengths (so no two overlap) and makes sure each one is
rendered in the speech cache. The command line (``cues``, ``render``) and the run screen call the same method
with the same seed, so ``runcompanion run S --seed N`` says exactly what ``runcompanion cues S --seed N``
prints. Any thread except the GUI thread: it may synthesize speech.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from runcompanion.audio.espeak_engine import PROCESS_ESPEAK_SLOT
from runcompanion.audio.player import PreparedSounds, prepare_sounds
from runcompanion.audio.sounds import beep_path, chime_path
from runcompanion.audio.speech_synthesizer import SpeechSynthesizer
from runcompanion.audio.speech_worker import SpeechEngines, default_engine_factories
from runcompanion.audio.voices import PIPER, VoiceInfo, engine_of
from runcompanion.audio.wav_cache import WavCache
from runcompanion.audio.wav_io import read_pcm, wav_duration_s
from runcompanion.core.app_settings import AppSettings
from runcompanion.core.coach import CoachScript, RunnerContext, coach_run
from runcompanion.core.cue_library import CueLibrary, load_cue_library, parse_cue_pack
from runcompanion.core.cue_scheduler import CueSettings, schedule_cues
from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.errors import UserError
from runcompanion.core.session_plan import SessionPlan
from runcompanion.services.safe_files import read_limited

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
MAX_PACK_BYTES = 1024 * 1024
MAX_SETTLING_PASSES = 4
"""Scheduling passes that may each add texts to render before the timeline settles (one or two in practice)."""
CLEAR_WAIT_S = 2.0  # how long clearing the cache waits for a preparation in progress before saying so
_CHIMED = "\x00chime+"  # prefix of the cache key of a chime-then-speech clip; cannot occur in a cue text


@dataclass(frozen=True)
class PreparedRun:
    """A session's timeline and the files that say each cue.

    ``speech`` maps a cue text to its speech alone (for the rendered track, which places the chime itself);
    ``clips`` maps it to what the live player plays: chime and speech in one file for chimed cues.
    """

    timeline: CueTimeline
    speech: dict[str, Path]
    clips: dict[str, Path]
    chime: Path
    beep: Path
    synthesized: int  # how many texts needed the speech engine this time (0 when all were cached)

    def sounds(self) -> PreparedSounds:
        """What the live player loads: each cue's clip by cue id."""
        return prepare_sounds(self.timeline, self.clips, self.beep)


def load_library(shipped: list[tuple[str, bytes]], user_dir: Path) -> tuple[CueLibrary, list[str]]:
    """The shipped cue packs plus the runner's own (``*.toml`` in ``user_dir``).

    A bad own pack is left out and its problem returned as a sentence, so one typo never stops a run.
    """
    library = load_cue_library(shipped)
    problems: list[str] = []
    for path in sorted(user_dir.glob("*.toml")) if user_dir.is_dir() else []:
        try:
            library = library.merged(parse_cue_pack(read_limited(path, MAX_PACK_BYTES), path.name))
        except UserError as exc:
            problems.append(f"Your cue pack was left out: {exc}")
            log.warning("cue pack %s refused: %s", path, exc)
    return library, problems


class CueService:
    """Owns the speech engines of the process (one worker each, audio/speech_worker.py) and the synthesizer
    of the chosen voice, rebuilt when the voice or speed of speech changes; the engines stay, so a Piper model
    is loaded once per run of the app. Calls are serialised: any worker thread may call, one at a time runs."""

    def __init__(
        self,
        library: CueLibrary,
        cache_dir: Path,
        problems: list[str] | None = None,
        *,
        voices_dir: Path | None = None,
        cache_max_bytes: int | None = None,
    ) -> None:
        self.library = library
        self.problems = list(problems or [])
        self._cache = WavCache(cache_dir) if cache_max_bytes is None else WavCache(cache_dir, cache_max_bytes)
        self._voices_dir = voices_dir
        self._engines = SpeechEngines(default_engine_factories(PROCESS_ESPEAK_SLOT, voices_dir))
        self._lock = threading.RLock()
        self._synth: SpeechSynthesizer | None = None
        self._synth_key: tuple[str | None, int] | None = None

    @property
    def cache(self) -> WavCache:
        return self._cache

    @property
    def engines(self) -> SpeechEngines:
        return self._engines

    def cache_usage(self) -> tuple[int, int]:
        """(bytes the speech cache holds, its cap in bytes). Reads the folder: not the GUI thread."""
        return self._cache.size_bytes(), self._cache.max_bytes

    def set_cache_cap(self, max_bytes: int) -> tuple[int, int]:
        """Cap the speech cache at ``max_bytes`` from now on, removing the least recently used speech at once
        until it fits; returns ``cache_usage()``. Not the GUI thread.

        No lock: a preparation in progress touches or writes its files as it goes, so they are the newest and
        go last, and the cap's minimum holds a whole session (audio/wav_cache.py)."""
        self._cache.set_max_bytes(max_bytes)
        removed = self._cache.enforce_cap()
        if removed:
            log.info("speech cache capped at %d MB: %d files removed", max_bytes // 1_000_000, removed)
        return self.cache_usage()

    def clear_cache(self) -> tuple[int, int]:
        """Remove all cached speech (it is rendered again when needed); returns ``cache_usage()``. Not the GUI
        thread. Raises UserError while speech is being prepared (it would lose files it is about to use): a
        Piper voice can take minutes, and a worker must not wait that long."""
        if not self._lock.acquire(timeout=CLEAR_WAIT_S):
            raise UserError("Speech is being prepared for a session right now. Clear the speech cache when it is done.")
        try:
            self._cache.clear()
            log.info("speech cache cleared")
            return self.cache_usage()
        finally:
            self._lock.release()

    def _synthesizer(self, settings: AppSettings) -> SpeechSynthesizer:
        key = (settings.voice_id or None, settings.rate)
        if self._synth is None or self._synth_key != key:
            if self._synth is not None:
                self._synth.close()
            self._synth = SpeechSynthesizer(
                self._cache, voice_id=key[0], rate=key[1], engines=self._engines, piper_dir=self._voices_dir
            )
            self._synth_key = key
        return self._synth

    def voices(self, settings: AppSettings) -> list[tuple[str, str]]:
        """(id, name) of every voice, in the order Settings shows them (English first)."""
        return [(v.id, v.name) for v in self.all_voices()[0]]

    def all_voices(self) -> tuple[list[VoiceInfo], dict[str, str]]:
        """Every voice of every engine, English first, and each engine that failed with its problem."""
        return self._engines.all_voices()

    def is_slow_voice(self, settings: AppSettings) -> bool:
        """Whether these settings speak with Piper (about a second a sentence), whose speech is worth rendering
        ahead. Reads the voices folder, not the engine: any thread, no lock."""
        if settings.voice_id:
            return engine_of(settings.voice_id) == PIPER
        if PIPER not in self._engines.names or self._voices_dir is None:
            return False
        from runcompanion.audio.piper_voices import list_piper_voices

        return bool(list_piper_voices(self._voices_dir))

    def better_voices_hint(self) -> str:
        """How to get better voices on this system (Settings shows it)."""
        from runcompanion.audio.voices import better_voices_hint

        return better_voices_hint(piper_installed=PIPER in self._engines.names)

    def speaking_voice(self, settings: AppSettings) -> tuple[str, str]:
        """(engine, voice id) the app will speak with for these settings, starting the engine."""
        with self._lock:
            synth = self._synthesizer(settings)
            synth.start()
            return synth.engine, synth.resolved_voice or ""

    def add_piper_voice(self, model: Path) -> VoiceInfo:
        """Copy a Piper voice into the voices folder once it loads and speaks (in the Piper process)."""
        if PIPER not in self._engines.names or self._voices_dir is None:
            from runcompanion.audio.piper_engine import INSTALL_HINT

            raise UserError(f"Piper voices need the natural-voice extra: {INSTALL_HINT}")
        from runcompanion.audio.piper_process import PiperProcessEngine

        def add(engine: object) -> VoiceInfo:
            if not isinstance(engine, PiperProcessEngine):
                raise TypeError(f"the {PIPER} worker runs {type(engine).__name__}")
            return engine.add(model)

        return self._engines.worker(PIPER).submit(add).result()

    def speak_to_file(self, text: str, settings: AppSettings) -> Path:
        """One sentence as a WAV file (the voice preview and 'play this cue')."""
        with self._lock:
            return self._synthesizer(settings).render(text)

    def prepare(
        self,
        plan: SessionPlan,
        settings: AppSettings,
        seed: int,
        progress: Progress | None = None,
        *,
        context: RunnerContext | None = None,
        estimated: Callable[[CueTimeline], None] | None = None,
    ) -> PreparedRun:
        """``context`` is what the coach knows about the runner (services/coach_service.py); without it the
        coach knows nothing (no memory, no check-in, no program). ``estimated`` gets the first pass, timed by
        estimated lengths: it is exactly what ``captions_only`` returns, so a run that must show captions
        first need not plan its cues a second time (on a worker that competes with the GUI thread)."""
        cue_settings = CueSettings(density=settings.density, units=settings.units, chime=settings.chime)
        script = coach_run(plan, context or RunnerContext(), seed)
        # A first pass with estimated lengths finds (almost) every text the run will say, so they can be
        # rendered in one batch with a progress bar. It needs no voice, so it comes before the voice starts.
        estimate = schedule_cues(plan, self.library, cue_settings, seed, _estimated_length, script)
        if estimated is not None:
            estimated(estimate)
        with self._lock:
            synth = self._synthesizer(settings)
            before = synth.synthesis_count
            # Never report "all done" from here: the caller knows when the run really has its cues.
            report = None if progress is None else (lambda done, total: progress(min(done, total - 1), total))
            files = synth.render_many(estimate.spoken_texts(), report)
            timeline = self._settle(plan, cue_settings, seed, synth, files, script)
            speech = {text: synth.render(text) for text in timeline.spoken_texts()}
            chime = chime_path()
            clips = dict(speech)
            if settings.chime:
                for cue in timeline.cues:
                    if cue.chime and not cue.beep:
                        clips[cue.text] = self._chimed(cue.text, speech[cue.text], chime, synth)
            return PreparedRun(
                timeline=timeline,
                speech=speech,
                clips=clips,
                chime=chime,
                beep=beep_path(),
                synthesized=synth.synthesis_count - before,
            )

    def _settle(  # noqa: PLR0917 - one scheduling problem, passed through as it is
        self,
        plan: SessionPlan,
        cue_settings: CueSettings,
        seed: int,
        synth: SpeechSynthesizer,
        files: dict[str, Path],
        script: CoachScript,
    ) -> CueTimeline:
        """Schedule with the measured length of every text the run says.

        Texts the scheduler only considers (a cue that might fit a gap) are not synthesized for that: they are
        estimated, and rendered only if the run ends up saying them, in which case the next pass measures them.
        Rendering every considered text cost a cold hour 236 syntheses for the 96 it said. What is measured
        depends only on the plan and the seed, never on the cache, so a seed always gives the same run.
        """
        lengths = {text: wav_duration_s(path) for text, path in files.items()}

        def spoken_length(text: str) -> float:
            return lengths[text] if text in lengths else _estimated_length(text)

        for _ in range(MAX_SETTLING_PASSES):
            timeline = schedule_cues(plan, self.library, cue_settings, seed, spoken_length, script)
            missing = [text for text in timeline.spoken_texts() if text not in lengths]
            if not missing:
                return timeline
            lengths.update((text, wav_duration_s(path)) for text, path in synth.render_many(missing).items())

        def measured(text: str) -> float:
            # Not settled (never seen): measure everything the scheduler asks about, which is always exact.
            if text not in lengths:
                lengths[text] = wav_duration_s(synth.render(text))
            return lengths[text]

        return schedule_cues(plan, self.library, cue_settings, seed, measured, script)

    def captions_only(
        self, plan: SessionPlan, settings: AppSettings, seed: int, *, context: RunnerContext | None = None
    ) -> CueTimeline:
        """The same cues timed by estimated lengths, for a run without speech: shown as captions."""
        cue_settings = CueSettings(density=settings.density, units=settings.units, chime=settings.chime)
        script = coach_run(plan, context or RunnerContext(), seed)
        return schedule_cues(plan, self.library, cue_settings, seed, _estimated_length, script)

    def _chimed(self, text: str, speech: Path, chime: Path, synth: SpeechSynthesizer) -> Path:
        said, voice, rate, volume, engine = synth.key(text)
        key = (_CHIMED + said, voice, rate, volume)
        cached = self._cache.lookup(*key, engine=engine)
        if cached is not None:
            return cached
        return self._cache.store_pcm(*key, read_pcm(chime) + read_pcm(speech), engine=engine)

    def close(self) -> None:
        with self._lock:
            if self._synth is not None:
                self._synth.close()
                self._synth = None
            self._engines.close()


def _estimated_length(text: str) -> float:
    # espeak-ng at its default speed says about 14 characters a second.
    return 0.4 + len(text) / 14.0
