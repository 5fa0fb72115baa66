"""render_track: every cue lands on its sample, silence in between, overlaps mixed, bad input refused."""

from __future__ import annotations

import functools
import math
import os
import wave
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from runcompanion.audio.sounds import BEEP_S, CHIME_S, beep_path, chime_path
from runcompanion.audio.speech_synthesizer import SpeechSynthesizer
from runcompanion.audio.track_renderer import TAIL_S, render_track
from runcompanion.audio.wav_io import WavFormatError, read_info, read_pcm
from runcompanion.core.cue_timeline import CueKind, CuePriority, CueTimeline, TimelineCue
from runcompanion.core.errors import UserError

if TYPE_CHECKING:
    from .conftest import MakeWav, ReadSamples

RATE = 22050
THRESHOLD = 1000  # about -30 dBFS: well above silence (exact zeros), well below any cue's level
TEN_MS = round(0.010 * RATE)

START_TEXT = "Warm up with an easy walk."
CHANGE_TEXT = "Now run for one minute."
CALM_TEXT = "Notice your breathing."


def _cue(offset_s: float, kind: CueKind, text: str, *, chime: bool = False, beep: bool = False) -> TimelineCue:
    return TimelineCue(offset_s, 0.0, kind, text, CuePriority.HIGH, chime=chime, beep=beep)


def _first_loud(samples: Sequence[int]) -> int:
    return next(i for i, s in enumerate(samples) if abs(s) >= THRESHOLD)


def _onsets(samples: Sequence[int], min_gap: int) -> list[int]:
    """Starts of sounds: samples at or above THRESHOLD after at least ``min_gap`` quieter samples."""
    onsets, last_loud = [], -min_gap - 1
    for i, s in enumerate(samples):
        if abs(s) >= THRESHOLD:
            if i - last_loud > min_gap:
                onsets.append(i)
            last_loud = i
    return onsets


@pytest.fixture
def speech(synth: SpeechSynthesizer) -> dict[str, Path]:
    return synth.render_many([START_TEXT, CHANGE_TEXT, CALM_TEXT])


def test_each_cue_starts_on_its_sample(speech: dict[str, Path], tmp_path: Path, read_samples: ReadSamples) -> None:
    cues = (
        _cue(0.5, CueKind.START, START_TEXT),
        _cue(4.0, CueKind.COUNTDOWN, "3", beep=True),
        _cue(5.0, CueKind.COUNTDOWN, "2", beep=True),
        _cue(6.0, CueKind.COUNTDOWN, "1", beep=True),
        _cue(7.0, CueKind.CHANGE, CHANGE_TEXT, chime=True),
        _cue(12.3456, CueKind.MINDFULNESS, CALM_TEXT),
    )
    out = tmp_path / "run.wav"

    report = render_track(CueTimeline(cues), speech, out, chime=chime_path(), beep=beep_path(), total_s=16.0)

    starts = [round(c.offset_s * RATE) for c in cues]
    assert report.cue_offsets == tuple(starts)
    assert starts[-1] == 272220  # 12.3456 s * 22050 = 272220.48, rounded
    assert report.overlaps == 0
    assert report.truncated == 0

    # What each cue plays, in order, from its own start (the chime cue: chime, then its words right after).
    clips: list[list[bytes]] = [
        [read_pcm(speech[START_TEXT])],
        [read_pcm(beep_path())],
        [read_pcm(beep_path())],
        [read_pcm(beep_path())],
        [read_pcm(chime_path()), read_pcm(speech[CHANGE_TEXT])],
        [read_pcm(speech[CALM_TEXT])],
    ]
    track = read_pcm(out)
    samples = read_samples(out)
    placed: list[tuple[int, int]] = []
    for placement, start, parts in zip(report.placements, starts, clips, strict=True):
        at = start
        for pcm in parts:
            assert track[at * 2 : at * 2 + len(pcm)] == pcm  # sample-exact placement
            placed.append((at, at + len(pcm) // 2))
            at += len(pcm) // 2
        assert placement.length_samples == at - start
    assert report.placements[4].speech_start_sample == starts[4] + round(CHIME_S * RATE)
    assert report.placements[1].speech_start_sample is None

    # Silence everywhere else.
    edges = [0, *(x for span in sorted(placed) for x in span), len(samples)]
    for quiet_from, quiet_to in zip(edges[::2], edges[1::2], strict=True):
        assert quiet_from <= quiet_to
        assert not any(track[quiet_from * 2 : quiet_to * 2])

    # And heard as a listener would: each cue becomes audible within 10 ms of its offset, allowing only for
    # the quiet lead-in inside the clip itself (espeak starts some words softly).
    onsets = _onsets(samples, min_gap=round(0.4 * RATE))
    assert len(onsets) == len(cues)
    for onset, start, parts in zip(onsets, starts, clips, strict=True):
        lead = _first_loud(array("h", parts[0]))
        assert lead < round(0.05 * RATE)
        assert abs(onset - (start + lead)) <= TEN_MS


@pytest.mark.parametrize("total_s", [16.0, 10.3, 0.0])
def test_track_is_total_plus_two_seconds(tmp_path: Path, total_s: float) -> None:
    out = tmp_path / "run.wav"
    report = render_track(CueTimeline(), {}, out, chime=chime_path(), beep=beep_path(), total_s=total_s)

    info = read_info(out)
    assert (info.sample_rate, info.channels, info.sample_width) == (22050, 1, 2)
    assert info.frames == report.total_samples == round((total_s + TAIL_S) * RATE)
    assert report.duration_s == pytest.approx(total_s + 2.0, abs=1 / RATE)
    assert not any(read_pcm(out))


def test_an_hour_long_session_keeps_sample_accuracy_to_the_end(tmp_path: Path) -> None:
    beep = read_pcm(beep_path())
    offsets = [i * 19.987 for i in range(181)]  # every 20 s or so for an hour, ending at 3597.66 s
    cues = tuple(_cue(t, CueKind.COUNTDOWN, "", beep=True) for t in offsets)
    out = tmp_path / "hour.wav"

    report = render_track(CueTimeline(cues), {}, out, chime=chime_path(), beep=beep_path(), total_s=3600.0)

    assert report.total_samples == 3602 * RATE
    assert read_info(out).frames == 3602 * RATE
    last = round(offsets[-1] * RATE)
    assert report.cue_offsets[-1] == last
    with wave.open(str(out), "rb") as wav:
        wav.setpos(last - 10)
        window = wav.readframes(len(beep) // 2 + 20)
    assert window == bytes(20) + beep + bytes(20)


def test_overlapping_clips_are_mixed_with_clipping(
    tmp_path: Path, make_wav: MakeWav, read_samples: ReadSamples
) -> None:
    # (first clip, second clip starting 500 samples later, what the 500 shared samples must become)
    cases = [(20000, 20000, 32767), (-20000, -20000, -32768), (1000, -300, 700)]
    speech: dict[str, Path] = {}
    cues = []
    for n, (first, second, _) in enumerate(cases):
        base = 10_000 * n
        for text, value, start in ((f"first {n}", first, base), (f"second {n}", second, base + 500)):
            speech[text] = make_wav(tmp_path / f"{text}.wav", [value] * 1000)
            cues.append(_cue(start / RATE, CueKind.MOTIVATION, text))
    out = tmp_path / "mixed.wav"

    report = render_track(CueTimeline(tuple(cues)), speech, out, chime=chime_path(), beep=beep_path(), total_s=2)

    samples = read_samples(out)
    for n, (first, second, both) in enumerate(cases):
        base = 10_000 * n
        assert set(samples[base : base + 500]) == {first}
        assert set(samples[base + 500 : base + 1000]) == {both}
        assert set(samples[base + 1000 : base + 1500]) == {second}
        assert not any(samples[base + 1500 : base + 10_000])
    assert [p.overlapped for p in report.placements] == [False, True] * 3
    assert report.overlaps == 3


def test_the_track_runs_until_the_last_cue_has_been_said(tmp_path: Path, make_wav: MakeWav) -> None:
    # The thank-you starts at the very end of a session; cutting it at total_s + TAIL_S lost its last words.
    speech = {"Long.": make_wav(tmp_path / "long.wav", [5000] * RATE)}  # one second
    cues = (TimelineCue(2.5, 1.0, CueKind.FINISH, "Long.", CuePriority.HIGH),)
    out = tmp_path / "whole.wav"

    report = render_track(CueTimeline(cues), speech, out, chime=chime_path(), beep=beep_path(), total_s=1.0)

    assert read_info(out).frames == round((3.5 + TAIL_S) * RATE)
    assert [p.length_samples for p in report.placements] == [RATE]
    assert report.truncated == 0


@pytest.mark.parametrize(
    ("fmt", "described"),
    [
        ({"rate": 44100}, "44100 Hz, 1 channel(s), 16-bit"),
        ({"channels": 2}, "22050 Hz, 2 channel(s), 16-bit"),
        ({"width": 1}, "22050 Hz, 1 channel(s), 8-bit"),
    ],
)
def test_speech_in_another_format_is_refused(
    tmp_path: Path, make_wav: MakeWav, fmt: dict[str, int], described: str
) -> None:
    odd = make_wav(tmp_path / "odd.wav", [1000] * 4410, **fmt)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "run.wav"
    out.write_bytes(b"previous track")
    timeline = CueTimeline((_cue(1.0, CueKind.START, "Hello."),))

    with pytest.raises(WavFormatError) as info:
        render_track(timeline, {"Hello.": odd}, out, chime=chime_path(), beep=beep_path(), total_s=5)

    message = str(info.value)
    assert str(odd) in message
    assert described in message
    assert "needs 22050 Hz mono 16-bit" in message
    assert isinstance(info.value, UserError)
    assert os.listdir(out_dir) == ["run.wav"]  # no temp file left behind
    assert out.read_bytes() == b"previous track"  # and the old file is untouched


def test_chime_in_another_format_is_refused(tmp_path: Path, make_wav: MakeWav) -> None:
    bad_chime = make_wav(tmp_path / "chime.wav", [1000] * 4410, rate=48000)
    with pytest.raises(WavFormatError, match="48000 Hz"):
        render_track(CueTimeline(), {}, tmp_path / "run.wav", chime=bad_chime, beep=beep_path(), total_s=5)
    assert not (tmp_path / "run.wav").exists()


def test_write_is_atomic_and_leaves_only_the_track(tmp_path: Path, speech: dict[str, Path]) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "run.wav"
    out.write_bytes(b"previous track")
    calls: list[tuple[int, int]] = []
    timeline = CueTimeline((_cue(0.0, CueKind.START, START_TEXT), _cue(3.0, CueKind.FINISH, CALM_TEXT)))

    render_track(
        timeline,
        speech,
        out,
        chime=chime_path(),
        beep=beep_path(),
        total_s=6,
        progress=lambda *a: calls.append(a),
    )

    assert os.listdir(out_dir) == ["run.wav"]
    assert read_info(out).frames == 8 * RATE
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_unwritable_destination_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"Cannot write the track to .*Choose a folder you can write to"):
        render_track(
            CueTimeline(),
            {},
            tmp_path / "missing" / "run.wav",
            chime=chime_path(),
            beep=beep_path(),
            total_s=1,
        )


def test_missing_speech_and_bad_times_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "run.wav"
    render = functools.partial(render_track, out=out, chime=chime_path(), beep=beep_path())
    with pytest.raises(ValueError, match=r"no speech file for the cue 'Unrendered\.'"):
        render(CueTimeline((_cue(1.0, CueKind.START, "Unrendered."),)), {}, total_s=5)
    with pytest.raises(ValueError, match="total_s"):
        render(CueTimeline(), {}, total_s=-1)
    with pytest.raises(ValueError, match="total_s"):
        render(CueTimeline(), {}, total_s=math.nan)
    with pytest.raises(ValueError, match="cue offset"):
        render(CueTimeline((_cue(-0.5, CueKind.START, "Hi."),)), {}, total_s=5)
    assert not out.exists()


@pytest.mark.parametrize(("path", "seconds"), [(chime_path(), CHIME_S), (beep_path(), BEEP_S)])
def test_chime_and_beep_files(path: Path, seconds: float, read_samples: ReadSamples) -> None:
    info = read_info(path)
    assert (info.sample_rate, info.channels, info.sample_width) == (22050, 1, 2)
    assert info.frames == round(seconds * RATE)
    samples = read_samples(path)
    peak_dbfs = 20 * math.log10(max(abs(s) for s in samples) / 32768)
    assert -3.5 < peak_dbfs < -2.5
    # Starts and ends at zero: no click at either edge.
    assert abs(samples[0]) <= 1
    assert abs(samples[-1]) <= 1
    assert _first_loud(samples) < round(0.005 * RATE)  # and sounds at once
