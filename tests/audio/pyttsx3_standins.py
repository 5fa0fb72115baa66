"""Stand-ins for pyttsx3 2.99's SAPI5 and NSSS drivers, for machines that have neither Windows nor macOS.

They implement pyttsx3's driver interface (``buildDriver(proxy)``; ``say``, ``save_to_file``, ``getProperty``,
``setProperty``, ``startLoop``, ``endLoop``, ``stop``, ``destroy``) with the sequencing of the real drivers as
read from pyttsx3 2.99's source, and are loaded by the real ``pyttsx3.Engine`` through its real
``DriverProxy``, so only the operating-system call underneath is replaced:

- SAPI5: ``save_to_file`` speaks synchronously into the file (``SpFileStream`` with no format set, so the
  voice's own format) and sends no "finished-utterance"; the stream's EndStream COM event is delivered at the
  next message pump and calls ``setBusy(False)`` and ``endLoop()``; ``startLoop`` pumps until ``endLoop``.
- NSSS: ``save_to_file`` marks the proxy busy and starts speaking to the URL; the file is written on another
  thread and, when it is complete, "finished-utterance" comes and the proxy becomes idle, which lets the
  queued ``endLoop`` end ``runAndWait``. The file is AIFF whatever its name.

Each stand-in records every call, and writes a prepared file (the ``output`` attribute) for each utterance.
"""

from __future__ import annotations

import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyttsx3.voice import Voice


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def record(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))


class StandinSapi5:
    def __init__(self, proxy: Any, recorder: _Recorder, output: Callable[[str], bytes]) -> None:
        self._proxy = proxy
        self._rec = recorder
        self._output = output
        self._looping = False
        self._props: dict[str, Any] = {"rate": 200, "volume": 1.0, "voice": TOKENS[0]}
        self._pending_end_stream = 0
        self._message = threading.Event()  # a COM message waiting for the pump (the real driver polls for it)

    def destroy(self) -> None:
        self._rec.record("destroy")

    def say(self, text: str) -> None:
        raise AssertionError("the app never plays through the driver")

    def stop(self) -> None:
        self._rec.record("stop")

    def save_to_file(self, text: str, filename: str) -> None:
        self._rec.record("save_to_file", text, filename)
        Path(filename).write_bytes(self._output(text))  # Speak() on an SpFileStream returns when written
        self._pending_end_stream += 1  # the COM event waits for the next PumpWaitingMessages
        self._message.set()

    def getProperty(self, name: str) -> Any:
        if name == "voices":
            return [
                Voice(id=TOKENS[0], name="Microsoft Zira Desktop - English (United States)", languages=["en-US"],
                      gender="Female", age="Adult"),
                Voice(id=TOKENS[1], name="Microsoft Hedda Desktop - German", languages=["de-DE"], gender="Female"),
                Voice(id=TOKENS[2], name="Microsoft Hazel Desktop - English (Great Britain)", languages=["en-GB"],
                      gender="Female"),
            ]  # fmt: skip
        return self._props[name]

    def setProperty(self, name: str, value: Any) -> None:
        self._rec.record("setProperty", name, value)
        if name == "voice" and value not in TOKENS:
            raise ValueError("unknown voice id %s", value)
        self._props[name] = value

    def startLoop(self) -> None:
        self._rec.record("startLoop")
        first = True
        self._looping = True
        while self._looping:
            if first:
                self._proxy.setBusy(False)
                first = False
            self._message.clear()
            while self._pending_end_stream:  # PumpWaitingMessages: SAPI5DriverEventSink._EndStream
                self._pending_end_stream -= 1
                self._proxy.setBusy(False)
                self.endLoop()
            if self._looping:
                self._message.wait()  # the real driver pumps every 50 ms; here the next message wakes it

    def endLoop(self) -> None:
        self._rec.record("endLoop")
        self._looping = False
        self._message.set()


class StandinNsss:
    def __init__(self, proxy: Any, recorder: _Recorder, output: Callable[[str], bytes]) -> None:
        self._proxy = proxy
        self._rec = recorder
        self._output = output
        self._props: dict[str, Any] = {"rate": 175.0, "volume": 1.0, "voice": VOICES[0]}
        self._stopped = threading.Event()  # the run loop runs until endLoop stops it (AppHelper.stopEventLoop)

    def destroy(self) -> None:
        self._rec.record("destroy")

    def say(self, text: str) -> None:
        raise AssertionError("the app never plays through the driver")

    def stop(self) -> None:
        self._rec.record("stop")

    def save_to_file(self, text: str, filename: str) -> None:
        self._rec.record("save_to_file", text, filename)
        self._proxy.setBusy(True)
        blob = self._output(text)

        def speak_to_url() -> None:
            # NSSpeechSynthesizer writes the file in pieces on its own queue, then calls the delegate.
            with open(filename, "wb") as fh:
                for i in range(0, len(blob), 4096):  # a reader that does not wait for the delegate sees a part
                    fh.write(blob[i : i + 4096])
                    fh.flush()
            self._proxy.notify("finished-utterance", completed=True)
            self._proxy.setBusy(False)

        threading.Thread(target=speak_to_url, daemon=True).start()

    def getProperty(self, name: str) -> Any:
        if name == "voices":
            return [
                Voice(VOICES[0], "Samantha", ["en_US"], "VoiceGenderFemale", 35),
                Voice(VOICES[1], "Daniel", ["en_GB"], "VoiceGenderMale", 35),
                Voice(VOICES[2], "Thomas", ["fr_FR"], "VoiceGenderMale", 35),
            ]
        return self._props[name]

    def setProperty(self, name: str, value: Any) -> None:
        self._rec.record("setProperty", name, value)
        self._props[name] = value

    def startLoop(self) -> None:
        self._rec.record("startLoop")
        self._stopped.clear()
        self._proxy.setBusy(False)
        self._stopped.wait()

    def endLoop(self) -> None:
        self._rec.record("endLoop")
        self._stopped.set()


TOKENS = [
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Speech\\Voices\\Tokens\\TTS_MS_EN-US_ZIRA_11.0",
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Speech\\Voices\\Tokens\\TTS_MS_DE-DE_HEDDA_11.0",
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Speech\\Voices\\Tokens\\TTS_MS_EN-GB_HAZEL_11.0",
]
VOICES = [
    "com.apple.voice.compact.en-US.Samantha",
    "com.apple.voice.compact.en-GB.Daniel",
    "com.apple.voice.compact.fr-FR.Thomas",
]


def driver_module(kind: str, output: Callable[[str], bytes]) -> tuple[types.ModuleType, _Recorder]:
    """A module to put in ``sys.modules`` as ``pyttsx3.drivers.<kind>``, and the recorder of its calls."""
    recorder = _Recorder()
    cls = StandinSapi5 if kind == "sapi5" else StandinNsss
    module = types.ModuleType(f"pyttsx3.drivers.{kind}")

    def build_driver(proxy: Any) -> Any:
        recorder.record("buildDriver")
        return cls(proxy, recorder, output)

    module.buildDriver = build_driver  # type: ignore[attr-defined]
    return module, recorder
