"""Voices of every speech engine, in one list: how they are named, ordered and chosen.

A voice id names its engine: ``sapi5:...``, ``nsss:...`` and ``piper:...`` carry a prefix, while espeak-ng ids
stay bare (``gmw/en-us``) because settings written before there was more than one engine hold bare espeak ids
and must keep working. espeak-ng ids never contain a colon, so the two forms cannot be confused.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ENGINE_LABELS",
    "ESPEAK",
    "NSSS",
    "PIPER",
    "PIPER_VOICES_URL",
    "SAPI5",
    "VoiceInfo",
    "better_voices_hint",
    "choose_default_voice",
    "engine_of",
    "install_hint",
    "is_english",
    "local_id",
    "ordered_voices",
    "platform_engines",
    "qualified_id",
]

ESPEAK = "espeak"
SAPI5 = "sapi5"
NSSS = "nsss"
PIPER = "piper"
ENGINE_LABELS = {
    ESPEAK: "eSpeak NG",
    SAPI5: "Windows voices (SAPI5)",
    NSSS: "macOS voices",
    PIPER: "Piper (natural, offline)",
}
_PREFIXED = (SAPI5, NSSS, PIPER)


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    """A voice an engine offers. ``id`` is engine-qualified (see the module docstring) and is what settings,
    ``--voice`` and the cache store; ``gender`` and ``quality`` are None where the engine does not say."""

    id: str
    name: str
    languages: tuple[str, ...]
    engine: str = ESPEAK
    gender: str | None = None
    quality: str | None = None
    licence: str | None = None

    @property
    def language(self) -> str:
        """The main language tag (``en-gb``), or ``""`` when the engine gives none."""
        return self.languages[0].lower().replace("_", "-") if self.languages else ""


def engine_of(voice_id: str) -> str:
    """The engine a voice id belongs to."""
    prefix, sep, _ = voice_id.partition(":")
    return prefix if sep and prefix in _PREFIXED else ESPEAK


def local_id(voice_id: str) -> str:
    """The id the engine itself knows the voice by (the id without its engine prefix)."""
    prefix, sep, rest = voice_id.partition(":")
    return rest if sep and prefix in (*_PREFIXED, ESPEAK) else voice_id


def qualified_id(engine: str, engine_voice_id: str) -> str:
    return engine_voice_id if engine == ESPEAK else f"{engine}:{engine_voice_id}"


def platform_engines(platform: str = sys.platform) -> tuple[str, ...]:
    """The pyttsx3 engines to try on ``platform``, the system's own first; espeak-ng is the fallback."""
    if platform == "win32":
        return (SAPI5, ESPEAK)
    if platform == "darwin":
        return (NSSS, ESPEAK)
    return (ESPEAK,)


def install_hint(platform: str = sys.platform) -> str:
    """One sentence telling the user how to get espeak-ng on ``platform`` (a ``sys.platform`` value)."""
    if platform.startswith("linux"):
        return "Install espeak-ng: sudo apt-get install espeak-ng"
    if platform == "darwin":
        return "Install espeak-ng: brew install espeak-ng"
    return "Install eSpeak NG from https://github.com/espeak-ng/espeak-ng/releases"


def _tags(voice: VoiceInfo) -> list[str]:
    tags = [lang.lower().replace("_", "-") for lang in voice.languages]
    tags.append(local_id(voice.id).lower().rsplit("/", 1)[-1].replace("_", "-"))
    return tags


def _english_rank(voice: VoiceInfo) -> int | None:
    best: int | None = None
    for tag in _tags(voice):
        if tag == "en-gb":
            r = 0
        elif tag == "en-us":
            r = 1
        elif tag.startswith(("en-gb-", "en-us-")):
            r = 2
        elif tag == "en" or tag.startswith("en-"):
            r = 3
        else:
            continue
        best = r if best is None else min(best, r)
    return best


def is_english(voice: VoiceInfo) -> bool:
    return _english_rank(voice) is not None


def choose_default_voice(voices: Sequence[VoiceInfo]) -> str | None:
    """Pick an English voice: British, then American, then a regional variant of either, then any English.

    Returns None when there is no English voice, meaning "keep the engine's default".
    """
    ranked = [(r, i, v.id) for i, v in enumerate(voices) if (r := _english_rank(v)) is not None]
    return min(ranked)[2] if ranked else None


def ordered_voices(voices: Iterable[VoiceInfo], engine_order: Sequence[str]) -> list[VoiceInfo]:
    """English voices first (the cues are English), then the rest; within each, grouped by engine in
    ``engine_order`` (unknown engines last), British before American before other English, then by name."""
    order = {engine: i for i, engine in enumerate(engine_order)}

    def key(voice: VoiceInfo) -> tuple[bool, int, int, str]:
        rank = _english_rank(voice)
        return (rank is None, order.get(voice.engine, len(order)), rank or 0, voice.name.lower())

    return sorted(voices, key=key)


PIPER_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices"


def better_voices_hint(platform: str = sys.platform, piper_installed: bool = False) -> str:
    """One or two sentences on how to get a better voice on ``platform`` (Settings shows them).

    Plain words, no web address: the place is named so that a search finds it (the README and
    ``runcompanion doctor`` give the address, PIPER_VOICES_URL)."""
    voice_file = (
        "download a Piper voice from the Piper project's voice collection on Hugging Face (its .onnx file and "
        "the .onnx.json beside it) and choose Add voice…"
    )
    natural = (
        f"For a natural voice that works offline, {voice_file}"
        if piper_installed
        else 'For a natural voice that works offline, install Piper (pip install "runcompanion[natural-voice]"), '
        f"then {voice_file}"
    )
    if platform == "win32":
        return f"More Windows voices: Settings > Time & language > Speech > Add voices. {natural}"
    if platform == "darwin":
        return (
            "More macOS voices: System Settings > Accessibility > Spoken Content > System voice > Manage Voices "
            f"(the Enhanced and Premium ones sound best). {natural}"
        )
    return natural
