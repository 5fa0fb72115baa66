"""Settings, Devices: choose, remember, forget; treadmill control only after the first-use consent; no Bluetooth
said in words. And the run screen's figures line."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCharts import QChartView
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import AppSettings
from runcompanion.core.devices import HeartRateReading, TreadmillReading
from runcompanion.core.units import SpeedUnit
from runcompanion.services.devices.bleak_link import BluetoothUnavailable, FoundDevice, scan
from runcompanion.services.journal_service import ChartPoint
from runcompanion.storage.run_figures_repository import RunFiguresRecord, SegmentFiguresRecord
from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.journal.chart_values import ChartData
from runcompanion.ui.journal.charts import JournalCharts
from runcompanion.ui.journal.device_facts import device_facts, running_points
from runcompanion.ui.run.devices import live_line
from runcompanion.ui.settings.devices_actions import wire_devices_card
from runcompanion.ui.settings.devices_card import CONSENT_TEXT, DevicesCard
from runcompanion.ui.settings.settings_page import SettingsPage


class Answers:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: object, _title: str, text: str) -> bool:
        self.asked.append(text)
        return self.answer


def _card(qtbot: QtBot, answer: bool) -> tuple[DevicesCard, Answers]:
    answers = Answers(answer)
    card = DevicesCard(ask=answers)
    qtbot.addWidget(card)
    card.show_settings(AppSettings())
    return card, answers


def test_control_stays_off_when_the_runner_says_no(qtbot: QtBot) -> None:
    card, answers = _card(qtbot, answer=False)
    card.control.setChecked(True)
    assert answers.asked == [CONSENT_TEXT]
    assert not card.control.isChecked()
    applied = card.apply(AppSettings())
    assert applied.belt_control is False
    assert applied.belt_control_agreed is False


def test_control_on_after_consent_and_asked_only_once(qtbot: QtBot) -> None:
    card, answers = _card(qtbot, answer=True)
    with qtbot.wait_signal(card.changed):
        card.control.setChecked(True)
    applied = card.apply(AppSettings())
    assert applied.belt_control is True
    assert applied.belt_control_agreed is True
    card.control.setChecked(False)
    card.control.setChecked(True)
    assert len(answers.asked) == 1
    assert "never goes above the maximum speed and incline" in CONSENT_TEXT


def test_choose_remember_and_forget(qtbot: QtBot) -> None:
    card, _answers = _card(qtbot, answer=True)
    card.show_found(
        [
            FoundDevice("AA:01", "Gym treadmill", "treadmill", -60),
            FoundDevice("AA:02", "Chest strap", "heart rate", -50),
        ]
    )
    assert "Gym treadmill (treadmill)" in card.status.text()
    card.treadmill.setCurrentIndex(card.treadmill.findText("Gym treadmill (AA:01)"))
    card.heart.setCurrentIndex(card.heart.findText("Simulated heart-rate strap"))
    settings = card.apply(AppSettings())
    assert (settings.treadmill, settings.treadmill_name) == ("AA:01", "Gym treadmill")
    assert settings.heart_rate_monitor == "simulated"
    # remembered across a restart (a new card showing the stored settings, no scan)
    again, _ = _card(qtbot, answer=True)
    again.show_settings(settings)
    assert again.treadmill.currentText() == "Gym treadmill (remembered)"
    assert "Chosen: Gym treadmill (remembered), Simulated heart-rate strap" in again.status.text()
    again.forget_treadmill.click()
    assert again.apply(settings).treadmill == ""


def test_no_bluetooth_is_said_in_words_and_nothing_else_changes(qtbot: QtBot) -> None:
    card, _answers = _card(qtbot, answer=True)
    card.treadmill.setCurrentIndex(1)  # the simulated treadmill stays chosen

    async def no_adapter(_seconds: float) -> dict[str, tuple[Any, Any]]:
        raise FileNotFoundError(2, "No such file or directory")

    card.scan.click()
    assert not card.scan.isEnabled()
    with pytest.raises(BluetoothUnavailable) as caught:
        asyncio.run(scan(1.0, no_adapter))
    card.show_problem(str(caught.value))
    assert card.scan.isEnabled()
    assert card.status.text().startswith("Bluetooth is not available on this computer")
    assert "simulated treadmill" in card.status.text()
    assert card.apply(AppSettings()).treadmill == "simulated"


def test_settings_page_carries_the_device_choices(qtbot: QtBot) -> None:
    page = SettingsPage("/tmp/data")
    qtbot.addWidget(page)
    page.show_settings(AppSettings(treadmill="simulated", max_speed_kmh=11))
    with qtbot.wait_signal(page.changed) as signal:
        page.devices.max_incline.setValue(4)
    (settings,) = signal.args
    assert settings.treadmill == "simulated"
    assert settings.max_speed_kmh == 11
    assert settings.max_incline_pct == 4


def test_the_figures_line() -> None:
    belt = TreadmillReading(0.0, 8.5, 2.0, 1234.0, 300)
    heart = HeartRateReading(0.0, 142)
    assert live_line(belt, heart, 1234.0, AppSettings()) == "Belt 8.5 km/h  ·  2.0 %  ·  1.23 km  ·  ♥ 142"
    assert live_line(belt, None, 1609.344, AppSettings(units=SpeedUnit.MPH)) == "Belt 5.3 mph  ·  2.0 %  ·  1.00 mi"
    assert live_line(None, heart, None, AppSettings()) == "♥ 142"


def test_the_journal_detail_shows_what_the_devices_measured() -> None:
    measured = RunFiguresRecord(
        7,
        1523.4,
        141,
        168,
        185,
        (60.0, 120.0, 0.0, 30.0, 0.0),
        "Simulated treadmill",
        (SegmentFiguresRecord(0, 300.0, 4.5, 0.0), SegmentFiguresRecord(1, 1223.4, 9.8, None)),
    )
    assert device_facts(measured) == [
        "Measured: 1.52 km on the belt, heart rate 141 average, 168 highest",
        "Heart-rate zones: 1 1:00 · 2 2:00 · 4 0:30",
        "Belt by segment: 1: 4.5 km/h 0.0 % · 2: 9.8 km/h",
    ]
    assert device_facts(None) == []


def _point(run_id: int, day: int, elapsed_s: float) -> ChartPoint:
    return ChartPoint(run_id, dt.date(2026, 11, day), 7, "s", (), (), elapsed_s, None, None, None)


def _measured(run_id: int, distance_m: float | None, bpm: int | None) -> RunFiguresRecord:
    return RunFiguresRecord(run_id, distance_m, bpm, bpm, None, None, "Simulated treadmill", ())


def test_pace_and_heart_rate_over_time(qtbot: QtBot) -> None:
    points = [_point(1, 2, 1800.0), _point(2, 4, 1500.0), _point(3, 6, 1200.0), _point(4, 8, 600.0)]
    measured = {1: _measured(1, 5000.0, 150), 2: _measured(2, 5000.0, None), 4: _measured(4, 50.0, 130)}
    rows = running_points(points, measured)
    assert rows == [
        (dt.datetime(2026, 11, 2, 7), 6.0, 150),  # 30 min for 5 km
        (dt.datetime(2026, 11, 4, 7), 5.0, None),
        (dt.datetime(2026, 11, 8, 7), None, 130),  # 50 m is no pace
    ]
    charts = JournalCharts(ChartData([], [], [], [], [], running=rows))
    qtbot.addWidget(charts)
    assert isinstance(charts.running, QChartView)
    names = [series.name() for series in charts.running.chart().series()]
    assert names == ["Pace (min/km)", "Average heart rate"]
    few = JournalCharts(ChartData([], [], [], [], [], running=rows[:1]))
    qtbot.addWidget(few)
    assert not isinstance(few.running, QChartView)
    assert "after two runs" in few.running.text()


def test_trying_the_simulated_pair_says_how_each_answered(qtbot: QtBot) -> None:
    card, _answers = _card(qtbot, answer=True)
    tasks = TaskRunner(card)
    wire_devices_card(card, tasks)
    card.treadmill.setCurrentIndex(card.treadmill.findText("Simulated treadmill"))
    card.check.click()
    assert not card.check.isEnabled()
    qtbot.waitUntil(card.check.isEnabled, timeout=60_000)
    assert card.status.text() == (
        "Simulated treadmill: connected, 0.5-20 km/h, incline 0 to 15 %. Simulated heart-rate strap: connected."
    )
