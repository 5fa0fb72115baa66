from __future__ import annotations

import datetime as dt

from runcompanion.services.overview import streak_weeks

WED = dt.date(2026, 11, 25)  # a Wednesday


def test_weeks_in_a_row_count_back_from_this_week() -> None:
    days = [WED, WED - dt.timedelta(weeks=1), WED - dt.timedelta(weeks=2, days=2)]
    assert streak_weeks(days, WED) == 3


def test_a_week_just_begun_does_not_break_the_streak() -> None:
    assert streak_weeks([WED - dt.timedelta(weeks=1), WED - dt.timedelta(weeks=2)], WED) == 2


def test_a_gap_ends_the_streak() -> None:
    assert streak_weeks([WED, WED - dt.timedelta(weeks=2)], WED) == 1
    assert streak_weeks([], WED) == 0
