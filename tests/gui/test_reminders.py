from __future__ import annotations

import datetime as dt

from runcompanion.ui.plan.reminders import reminders_due

DUE = dt.datetime(2026, 11, 23, 18, 0)
RUNS = [(7, "c25k-w1-r1", "Couch to 5K · Week 1 · Run 1", DUE)]


def test_a_reminder_comes_the_chosen_minutes_before() -> None:
    assert reminders_due(RUNS, DUE - dt.timedelta(minutes=16), 15, set()) == []
    soon = reminders_due(RUNS, DUE - dt.timedelta(minutes=15), 15, set())
    assert [r.key for r in soon] == [(7, "soon")]
    assert "18:00" in soon[0].text


def test_at_the_due_time_it_says_it_is_time_once() -> None:
    said = {(7, "soon")}
    due = reminders_due(RUNS, DUE + dt.timedelta(minutes=1), 15, said)
    assert [r.key for r in due] == [(7, "due")]
    said.add(due[0].key)
    assert reminders_due(RUNS, DUE + dt.timedelta(minutes=2), 15, said) == []


def test_no_early_reminder_when_set_to_zero_and_none_long_after() -> None:
    assert reminders_due(RUNS, DUE - dt.timedelta(minutes=5), 0, set()) == []
    assert reminders_due(RUNS, DUE + dt.timedelta(minutes=31), 15, set()) == []
