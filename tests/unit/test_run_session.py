"""A whole guided run through the Qt-free RunSession: a fake clock and a fake player; real SQLite, real speech.

The run screen is a thin adapter around this (ui/run/); here nothing of Qt is imported, and a subprocess
proves it for the whole scenario.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from runcompanion.audio.player import Player, PreparedSounds
from runcompanion.audio.speech_engine import UnknownVoiceError
from runcompanion.core.clock import FakeClock
from runcompanion.core.engine_events import EngineState, EventKind
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import Services, build_services
from runcompanion.services.run_service import RunEndStatus
from runcompanion.services.run_session import RunSession
from runcompanion.storage.records import RunRecord
from tests.unit.run_sessions import run_session

SESSION = "small-steps-10"  # a 10-minute walk: few cues, quick to render
SEED = 7
STEP_S = 0.25  # as the run screen's timer steps the engine (every 25 ms), coarser: the engine catches up
CHECKPOINT_EVERY_S = 5.0


@dataclass
class FakePlayer:
    """Notes what the run asked of it."""

    sounds: PreparedSounds | None = None
    played: list[int] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    stops: int = 0
    volume: int = 100
    muted: bool = False

    def load(self, sounds: PreparedSounds) -> None:
        self.sounds = sounds

    def play(self, cue_id: int) -> None:
        self.played.append(cue_id)

    def play_file(self, path: Path) -> None:
        self.files.append(path)

    def stop(self) -> None:
        self.stops += 1

    def set_volume(self, percent: int) -> None:
        self.volume = percent

    def set_muted(self, muted: bool) -> None:
        self.muted = muted


def _schedule(services: Services) -> int:
    when = (dt.datetime.now() + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    return services.plan.schedule_once(SESSION, when).id


def _session(services: Services, clock: FakeClock, scheduled_run_id: int | None) -> RunSession:
    return run_session(services, SESSION, SEED, clock, scheduled_run_id=scheduled_run_id)


def drive_guided_run(home: Path) -> dict[str, object]:
    """Start, prepare the cues, step the engine to the end with checkpoints, save the end; report what was saved."""
    services = build_services(resolve_paths(home, env={}))
    try:
        scheduled_id = _schedule(services)
        clock = FakeClock()
        session = _session(services, clock, scheduled_id)
        player: Player = FakePlayer()
        started = session.record_start()
        events = session.engine.start()  # the countdown runs while the voice is prepared
        player.load(session.use_cues(session.prepare()))
        checkpoints = 0
        last_checkpoint = 0.0
        while session.engine.state not in (EngineState.FINISHED, EngineState.STOPPED):
            clock.advance(STEP_S)
            for event in session.engine.step():
                events.append(event)
                if event.kind is EventKind.CUE:
                    player.play(event.cue_id)
            progress = session.progress()
            if progress.elapsed_s - last_checkpoint >= CHECKPOINT_EVERY_S:
                last_checkpoint = progress.elapsed_s
                session.record_checkpoint(started.id, progress)
                checkpoints += 1
        end = session.end()
        saved = session.record_end(started.id, end)
        assert isinstance(player, FakePlayer)
        files = [session.sounds.file_for(cue_id) for cue_id in player.played]
        scheduled = services.plan.get(scheduled_id)
        return {
            "status": saved.status,
            "end_status": end.status.value,
            "elapsed_s": saved.elapsed_s,
            "planned_s": saved.planned_s,
            "segments": len(session.plan.segments),
            "segment_log": saved.segment_log,
            "history": [(r.id, r.status) for r in services.runs.history()],
            "run_id": saved.id,
            "scheduled": (scheduled.status, scheduled.run_id),
            "checkpoints": checkpoints,
            "timeline": len(session.sounds.by_cue),
            "played": player.played,
            "files_exist": all(f is not None and f.is_file() for f in files),
            "dropped": sum(e.kind is EventKind.CUE_DROPPED for e in events),
        }
    finally:
        services.close()


def _check(report: dict[str, object]) -> None:
    assert report["status"] == report["end_status"] == "finished"
    assert report["elapsed_s"] == pytest.approx(report["planned_s"], abs=STEP_S)
    log = report["segment_log"]
    assert isinstance(log, list)
    assert [entry["index"] for entry in log] == list(range(int(str(report["segments"]))))
    for entry in log:
        assert entry["actual_s"] == pytest.approx(entry["planned_s"], abs=STEP_S)
        assert entry["skipped"] is False
    assert report["history"] == [(report["run_id"], "finished")]
    assert report["scheduled"] == ("done", report["run_id"])
    assert int(str(report["checkpoints"])) >= 100  # ten minutes, one every five seconds
    # Every cue of the timeline went to the player, by its id, in order, and each has its file on disk.
    assert report["played"] == list(range(int(str(report["timeline"]))))
    assert report["files_exist"] is True
    assert report["dropped"] == 0


def test_a_whole_guided_run_is_saved_finished_and_marks_its_scheduled_run_done(tmp_path: Path) -> None:
    _check(drive_guided_run(tmp_path / "home"))


def test_the_run_session_needs_no_qt(tmp_path: Path) -> None:
    # In a fresh interpreter: this test process may have loaded Qt for other tests.
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from tests.unit.test_run_session import drive_guided_run\n"
        f"report = drive_guided_run(Path({str(tmp_path / 'home')!r}))\n"
        "report['qt'] = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(json.dumps(report))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report.pop("qt") == []
    report["history"] = [tuple(item) for item in report["history"]]
    report["scheduled"] = tuple(report["scheduled"])
    _check(report)


def test_a_stopped_run_leaves_its_scheduled_run_planned(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        scheduled_id = _schedule(services)
        clock = FakeClock()
        session = _session(services, clock, scheduled_id)
        started = session.record_start()
        session.engine.start()
        session.use_captions(session.captions_only())  # no voice: the cues are shown, not said
        clock.advance(95.0)
        session.engine.step()
        session.engine.stop()
        end = session.end()
        assert end.status is RunEndStatus.STOPPED
        assert end.progress.elapsed_s == pytest.approx(90.0)  # the 5-second countdown is not run time
        saved: RunRecord = session.record_end(started.id, end)
        assert (saved.status, saved.scheduled_run_id) == ("stopped", scheduled_id)
        assert saved.segment_log[0]["actual_s"] == pytest.approx(90.0)
        scheduled = services.plan.get(scheduled_id)
        assert (scheduled.status, scheduled.run_id) == ("planned", None)
    finally:
        services.close()


def test_a_run_whose_scheduled_run_was_removed_still_ends(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        enrolled = services.plan.enrol(
            "c25k", dt.date.today() + dt.timedelta(days=1), ["mon", "wed", "fri"], dt.time(7)
        )
        first = enrolled.runs[0]
        clock = FakeClock()
        session = RunSession(
            services.catalog.get(first.session_id),
            services.settings.load(),
            SEED,
            runs=services.runs,
            cues=services.cues,
            clock=clock,
            scheduled_run_id=first.id,
        )
        started = session.record_start()
        session.engine.start()
        services.plan.cancel_enrolment(enrolled.enrolment.id)  # its planned runs go while this one is running
        clock.advance(session.plan.total_s + 10)
        session.engine.step()
        saved = session.record_end(started.id, session.end())
        assert saved.status == "finished"
        assert services.runs.history()[0].status == "finished"
    finally:
        services.close()


def test_the_end_is_refused_before_the_run_has_ended(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        session = _session(services, FakeClock(), None)
        session.engine.start()
        with pytest.raises(ValueError, match="has not ended"):
            session.end()
    finally:
        services.close()


def test_the_captions_are_the_first_pass_of_prepare_and_are_not_planned_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Planning the cues on a second worker at the Start press competed with the run screen's first paint: the
    # captions must come from prepare's first pass, computed once.
    from runcompanion.core.cue_scheduler import schedule_cues as real

    passes: list[str] = []

    def counted(*args: object, **kwargs: object) -> object:
        passes.append("pass")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("runcompanion.services.cue_service.schedule_cues", counted)
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        session = _session(services, FakeClock(), None)
        before = session.estimate
        assert before is None
        prepared = session.prepare()
        planned = len(passes)
        estimate = session.estimate
        assert estimate is not None
        assert session.captions_only() is estimate
        assert len(passes) == planned  # nothing planned a second time
        fresh = services.cues.captions_only(
            session.plan, session.settings, SEED, context=services.coach.context(session.plan)
        )
        assert [(c.offset_s, c.text) for c in estimate.cues] == [(c.offset_s, c.text) for c in fresh.cues]
        assert {c.text for c in estimate.cues} <= set(prepared.speech) | {c.text for c in estimate.cues if c.beep}
    finally:
        services.close()


def test_the_captions_are_ready_even_when_the_voice_fails(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        session = _session(services, FakeClock(), None)
        session.settings = replace(session.settings, voice_id="no-such-voice-anywhere")
        with pytest.raises(UnknownVoiceError):
            session.prepare()
        assert session.estimate is not None
        assert session.estimate.cues
    finally:
        services.close()
