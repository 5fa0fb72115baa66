"""The player contract of audio/player.py: each cue's sound by cue id, and the cue id the engine hands over."""

from __future__ import annotations

from pathlib import Path

from runcompanion.audio.player import CaptionsOnlyPlayer, Player, PreparedSounds, prepare_sounds
from runcompanion.core.clock import FakeClock
from runcompanion.core.cue_timeline import CueKind, CuePriority, CueTimeline, TimelineCue
from runcompanion.core.engine_events import EventKind
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.timer_engine import TimerEngine

BEEP = Path("/sounds/beep.wav")


def _cue(offset: float, text: str, *, beep: bool = False) -> TimelineCue:
    kind = CueKind.COUNTDOWN if beep else CueKind.CHANGE
    return TimelineCue(offset_s=offset, duration_s=1.0, kind=kind, text=text, priority=CuePriority.HIGH, beep=beep)


TIMELINE = CueTimeline(
    (
        _cue(0.0, "Warm up for a minute."),
        _cue(57.0, "", beep=True),
        _cue(58.0, "", beep=True),
        _cue(60.0, "Run for a minute."),
        _cue(90.0, "Warm up for a minute."),  # the same words again: the same file, loaded once
        _cue(100.0, "A text nothing was rendered for."),
    )
)
CLIPS = {"Warm up for a minute.": Path("/cache/a.wav"), "Run for a minute.": Path("/cache/b.wav")}


def test_each_cue_gets_its_file_by_its_place_in_the_timeline() -> None:
    sounds = prepare_sounds(TIMELINE, CLIPS, BEEP)
    assert sounds.by_cue == (Path("/cache/a.wav"), BEEP, BEEP, Path("/cache/b.wav"), Path("/cache/a.wav"), None)
    assert sounds.overlays == frozenset({1, 2})
    assert [sounds.file_for(i) for i in (0, 3, 5, 6, -1)] == [
        Path("/cache/a.wav"),
        Path("/cache/b.wav"),
        None,
        None,
        None,
    ]


def test_files_load_once_each_in_the_order_the_run_needs_them() -> None:
    sounds = prepare_sounds(TIMELINE, CLIPS, BEEP)
    assert sounds.files_in_order() == [Path("/cache/a.wav"), BEEP, Path("/cache/b.wav")]
    assert PreparedSounds().files_in_order() == []


def test_the_engine_hands_over_each_cue_with_its_id() -> None:
    plan = SessionPlan(
        id="t",
        name="T",
        segments=(Segment(kind=SegmentKind.WALK, duration_s=60), Segment(kind=SegmentKind.RUN, duration_s=60)),
    )
    clock = FakeClock()
    engine = TimerEngine(plan, TIMELINE, clock, countdown_s=0)
    player = CaptionsOnlyPlayer()
    player.load(prepare_sounds(TIMELINE, CLIPS, BEEP))
    delivered = engine.start()
    for _ in range(130):
        clock.advance(1.0)
        delivered += engine.step()
    cues = [e for e in delivered if e.kind is EventKind.CUE]
    for event in cues:
        player.play(event.cue_id)
        assert event.cue is TIMELINE.cues[event.cue_id]
    # All six are due before the plan ends at 120 s, and each went to the player by its id.
    assert player.played == [0, 1, 2, 3, 4, 5]
    assert [player.sounds.file_for(i) for i in player.played][:2] == [Path("/cache/a.wav"), BEEP]


def test_the_captions_only_player_keeps_the_settings_it_was_given() -> None:
    player: Player = CaptionsOnlyPlayer()  # mypy checks that it fulfils the contract
    player.set_volume(140)
    player.set_muted(True)
    player.stop()
    assert isinstance(player, CaptionsOnlyPlayer)
    assert (player.volume, player.muted, player.played) == (100, True, [])
    player.set_volume(-5)
    assert player.volume == 0


def test_a_skip_to_the_end_hands_over_the_finish_cue_with_its_id() -> None:
    plan = SessionPlan(id="t", name="T", segments=(Segment(kind=SegmentKind.WALK, duration_s=60),))
    timeline = CueTimeline(
        (
            _cue(0.0, "Walk for a minute."),
            TimelineCue(
                offset_s=58.0, duration_s=2.0, kind=CueKind.FINISH, text="Well done.", priority=CuePriority.HIGH
            ),
        )
    )
    clock = FakeClock()
    engine = TimerEngine(plan, timeline, clock, countdown_s=0)
    engine.start()
    clock.advance(10.0)
    events = engine.skip()  # from the last segment: the run finishes, and the runner is still thanked
    [finish] = [e for e in events if e.kind is EventKind.CUE]
    assert finish.cue is timeline.cues[1]
    assert finish.cue_id == 1
