"""Speech synthesis into a WAV cache, the chime and beep, and mixing a whole run into one track.

Nothing here imports Qt: playback lives in the Qt player, which only opens the files made here.
pyttsx3 and Piper are imported lazily by the speech workers, so importing this package stays cheap.
"""

from runcompanion.audio.speech_engine import SpeechSynthesisError, SpeechUnavailableError, UnknownVoiceError
from runcompanion.audio.speech_synthesizer import SpeechSynthesizer
from runcompanion.audio.track_renderer import CuePlacement, TrackReport, render_track
from runcompanion.audio.voices import VoiceInfo
from runcompanion.audio.wav_cache import WavCache, wav_duration_s
from runcompanion.audio.wav_io import WavFormatError

__all__ = [
    "CuePlacement",
    "SpeechSynthesisError",
    "SpeechSynthesizer",
    "SpeechUnavailableError",
    "TrackReport",
    "UnknownVoiceError",
    "VoiceInfo",
    "WavCache",
    "WavFormatError",
    "render_track",
    "wav_duration_s",
]
