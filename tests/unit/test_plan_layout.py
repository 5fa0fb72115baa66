"""Where runs go on the calendar: enrolment layout, repeating a week, weekly recurrence, and reading input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runcompanion.core.errors import UserError
from runcompanion.core.plan_layout import (
    WEEKDAYS,
    PlacedRun,
    Slot,
    check_due,
    check_start_date,
    layout_enrolment,
    one_year_before,
    parse_date,
    parse_days,
    parse_time,
    parse_weekday,
    repeat_week,
    week_dates,
    weekly_dates,
)

SEVEN = dt.time(7, 0)
D = dt.date


def _dates(slots: list[Slot]) -> list[tuple[int, int, str]]:
    return [(s.week, s.run_number, s.due_at.strftime("%a %Y-%m-%d %H:%M")) for s in slots]


# ------------------------------------------------------------------------------------------ enrolment


def test_a_start_on_a_chosen_day_puts_run_one_on_the_start_date() -> None:
    slots = layout_enrolment(D(2025, 3, 3), ["mon", "wed", "sat"], SEVEN, [3, 3])
    assert _dates(slots) == [
        (1, 1, "Mon 2025-03-03 07:00"),
        (1, 2, "Wed 2025-03-05 07:00"),
        (1, 3, "Sat 2025-03-08 07:00"),
        (2, 1, "Mon 2025-03-10 07:00"),
        (2, 2, "Wed 2025-03-12 07:00"),
        (2, 3, "Sat 2025-03-15 07:00"),
    ]


def test_week_one_is_the_seven_days_from_the_start_in_date_order() -> None:
    # Starting on a Wednesday: run 1 that Wednesday, run 2 on Saturday, run 3 on the Monday after.
    slots = layout_enrolment(D(2025, 3, 5), ["sat", "mon", "wed"], SEVEN, [3, 3])
    assert _dates(slots) == [
        (1, 1, "Wed 2025-03-05 07:00"),
        (1, 2, "Sat 2025-03-08 07:00"),
        (1, 3, "Mon 2025-03-10 07:00"),
        (2, 1, "Wed 2025-03-12 07:00"),
        (2, 2, "Sat 2025-03-15 07:00"),
        (2, 3, "Mon 2025-03-17 07:00"),
    ]


def test_a_start_on_an_unchosen_day_never_puts_a_run_before_it() -> None:
    slots = layout_enrolment(D(2025, 3, 4), ["mon", "wed", "sat"], SEVEN, [3])  # a Tuesday
    assert _dates(slots) == [
        (1, 1, "Wed 2025-03-05 07:00"),
        (1, 2, "Sat 2025-03-08 07:00"),
        (1, 3, "Mon 2025-03-10 07:00"),
    ]


def test_month_and_year_boundaries() -> None:
    slots = layout_enrolment(D(2025, 12, 29), ["mon", "wed", "fri"], dt.time(18, 30), [3, 3])
    assert [s.due_at for s in slots] == [
        dt.datetime(2025, 12, 29, 18, 30),
        dt.datetime(2025, 12, 31, 18, 30),
        dt.datetime(2026, 1, 2, 18, 30),
        dt.datetime(2026, 1, 5, 18, 30),
        dt.datetime(2026, 1, 7, 18, 30),
        dt.datetime(2026, 1, 9, 18, 30),
    ]


def test_a_leap_day_is_an_ordinary_day() -> None:
    slots = layout_enrolment(D(2024, 2, 26), ["mon", "thu"], SEVEN, [2, 2])
    assert [s.due_at.date() for s in slots] == [D(2024, 2, 26), D(2024, 2, 29), D(2024, 3, 4), D(2024, 3, 7)]


@pytest.mark.parametrize(
    "start",
    [D(2025, 3, 24), D(2025, 10, 20), D(2025, 3, 3)],  # across EU DST (30 Mar, 26 Oct) and US DST (9 Mar)
)
def test_local_times_do_not_move_when_the_clocks_change(start: dt.date) -> None:
    slots = layout_enrolment(start, ["mon", "wed", "sat"], SEVEN, [3] * 4)
    assert all(s.due_at.tzinfo is None and s.due_at.time() == SEVEN for s in slots)
    by_run = {(s.week, s.run_number): s.due_at for s in slots}
    for (week, run), due in by_run.items():
        if week > 1:
            assert due - by_run[week - 1, run] == dt.timedelta(days=7)


def test_weeks_may_have_different_numbers_of_runs() -> None:
    slots = layout_enrolment(D(2025, 3, 3), ["mon", "wed", "fri", "sun"], SEVEN, [2, 4, 1])
    assert [(s.week, s.run_number, s.due_at.date()) for s in slots] == [
        (1, 1, D(2025, 3, 3)),
        (1, 2, D(2025, 3, 5)),
        (2, 1, D(2025, 3, 10)),
        (2, 2, D(2025, 3, 12)),
        (2, 3, D(2025, 3, 14)),
        (2, 4, D(2025, 3, 16)),
        (3, 1, D(2025, 3, 17)),
    ]


def test_fewer_days_than_runs_a_week_is_refused() -> None:
    with pytest.raises(UserError, match=r"3 runs a week, so choose at least 3 days \(you chose 2: mon, thu\)"):
        layout_enrolment(D(2025, 3, 3), ["thu", "mon"], SEVEN, [2, 3])


def test_days_are_checked() -> None:
    with pytest.raises(UserError, match='"funday" is not a day of the week'):
        layout_enrolment(D(2025, 3, 3), ["mon", "funday"], SEVEN, [1])
    with pytest.raises(UserError, match="Choose at least one day"):
        layout_enrolment(D(2025, 3, 3), [], SEVEN, [1])
    with pytest.raises(TypeError):
        week_dates(D(2025, 3, 3), "mon")


def test_a_time_with_seconds_or_a_zone_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="whole minutes"):
        layout_enrolment(D(2025, 3, 3), ["mon"], dt.time(7, 0, 30), [1])
    with pytest.raises(ValueError, match="naive"):
        check_due(dt.datetime(2025, 3, 3, 7, 0, tzinfo=dt.UTC))


@given(
    start=st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)),
    days=st.sets(st.sampled_from(WEEKDAYS), min_size=3),
    weeks=st.integers(min_value=1, max_value=12),
)
def test_layout_properties(start: dt.date, days: set[str], weeks: int) -> None:
    slots = layout_enrolment(start, sorted(days), SEVEN, [3] * weeks)
    assert len(slots) == 3 * weeks
    due = [s.due_at for s in slots]
    assert due == sorted(due)
    assert len(set(due)) == len(due)
    for s in slots:
        first_day = start + dt.timedelta(days=7 * (s.week - 1))
        assert first_day <= s.due_at.date() < first_day + dt.timedelta(days=7)
        assert WEEKDAYS[s.due_at.weekday()] in days


# ----------------------------------------------------------------------------------------- repeat week


def _placed(slots: list[Slot]) -> list[PlacedRun]:
    return [PlacedRun(key=i, week=s.week, run_number=s.run_number, due_at=s.due_at) for i, s in enumerate(slots, 1)]


def test_repeating_a_week_moves_later_weeks_on_and_adds_the_week_again() -> None:
    placed = _placed(layout_enrolment(D(2025, 3, 3), ["mon", "wed", "sat"], SEVEN, [3, 3, 3]))
    layout = repeat_week(placed, 2)
    assert layout.moved == (
        (7, dt.datetime(2025, 3, 24, 7, 0)),
        (8, dt.datetime(2025, 3, 26, 7, 0)),
        (9, dt.datetime(2025, 3, 29, 7, 0)),
    )
    assert layout.added == (
        Slot(2, 1, dt.datetime(2025, 3, 17, 7, 0)),
        Slot(2, 2, dt.datetime(2025, 3, 19, 7, 0)),
        Slot(2, 3, dt.datetime(2025, 3, 22, 7, 0)),
    )


def test_repeating_a_week_twice_adds_the_second_copy_after_the_first() -> None:
    placed = _placed(layout_enrolment(D(2025, 3, 3), ["mon", "wed", "sat"], SEVEN, [3, 3]))
    first = repeat_week(placed, 1)
    moved = dict(first.moved)
    after_first = [PlacedRun(p.key, p.week, p.run_number, moved.get(p.key, p.due_at)) for p in placed] + [
        PlacedRun(100 + i, s.week, s.run_number, s.due_at) for i, s in enumerate(first.added)
    ]
    second = repeat_week(after_first, 1)
    assert [s.due_at.date() for s in second.added] == [D(2025, 3, 17), D(2025, 3, 19), D(2025, 3, 22)]
    assert [due.date() for _, due in second.moved] == [D(2025, 3, 24), D(2025, 3, 26), D(2025, 3, 29)]


def test_repeating_the_last_week_moves_nothing() -> None:
    placed = _placed(layout_enrolment(D(2025, 3, 3), ["tue", "thu"], SEVEN, [2, 2]))
    layout = repeat_week(placed, 2)
    assert layout.moved == ()
    assert [s.due_at.date() for s in layout.added] == [D(2025, 3, 18), D(2025, 3, 20)]


def test_repeating_a_week_that_is_not_there_is_refused() -> None:
    placed = _placed(layout_enrolment(D(2025, 3, 3), ["tue", "thu"], SEVEN, [2, 2]))
    with pytest.raises(UserError, match=r"There is no week 3 to repeat \(weeks: 1, 2\)\."):
        repeat_week(placed, 3)


# ---------------------------------------------------------------------------------------------- weekly


def test_weekly_runs_start_on_the_next_such_day() -> None:
    wednesday_noon = dt.datetime(2025, 12, 17, 12, 0)
    assert weekly_dates(wednesday_noon, "mon", SEVEN, 3) == [
        dt.datetime(2025, 12, 22, 7, 0),
        dt.datetime(2025, 12, 29, 7, 0),
        dt.datetime(2026, 1, 5, 7, 0),
    ]


def test_weekly_runs_start_today_only_if_the_time_is_still_ahead() -> None:
    monday = dt.datetime(2025, 3, 3, 6, 0)
    assert weekly_dates(monday, "mon", SEVEN, 1) == [dt.datetime(2025, 3, 3, 7, 0)]
    assert weekly_dates(monday.replace(hour=7), "mon", SEVEN, 1) == [dt.datetime(2025, 3, 3, 7, 0)]
    assert weekly_dates(monday.replace(hour=8), "mon", SEVEN, 1) == [dt.datetime(2025, 3, 10, 7, 0)]


def test_weekly_runs_keep_their_local_time_across_a_clock_change() -> None:
    dates = weekly_dates(dt.datetime(2025, 3, 20, 9, 0), "sun", dt.time(9, 30), 3)  # EU clocks change 30 March
    assert dates == [dt.datetime(2025, 3, d, 9, 30) for d in (23, 30)] + [dt.datetime(2025, 4, 6, 9, 30)]


def test_weekly_counts_and_days_are_checked() -> None:
    now = dt.datetime(2025, 3, 3, 6, 0)
    with pytest.raises(UserError, match="Choose between 1 and 104 weeks; got 0"):
        weekly_dates(now, "mon", SEVEN, 0)
    with pytest.raises(UserError, match="Choose between 1 and 104 weeks; got 105"):
        weekly_dates(now, "mon", SEVEN, 105)
    with pytest.raises(UserError, match='"monday" is not a day of the week'):
        weekly_dates(now, "monday", SEVEN, 1)


# ---------------------------------------------------------------------------------------------- checks


def test_a_start_more_than_a_year_ago_is_refused() -> None:
    today = D(2025, 6, 15)
    check_start_date(D(2024, 6, 15), today)
    check_start_date(today + dt.timedelta(days=700), today)
    with pytest.raises(
        UserError, match=r"^The start date 2024-06-14 is more than a year ago; choose a date from 2024-06-15 on\.$"
    ):
        check_start_date(D(2024, 6, 14), today)
    with pytest.raises(UserError, match="more than two years ahead"):
        check_start_date(D(2027, 7, 1), today)


def test_a_year_before_a_leap_day() -> None:
    assert one_year_before(D(2024, 2, 29)) == D(2023, 2, 28)
    assert one_year_before(D(2025, 3, 1)) == D(2024, 3, 1)


# ------------------------------------------------------------------------------------------------ input


def test_parse_date() -> None:
    assert parse_date("2025-03-30") == D(2025, 3, 30)
    assert parse_date(" 2024-02-29 ") == D(2024, 2, 29)


@pytest.mark.parametrize("text", ["2025-02-30", "2023-02-29", "30/03/2025", "2025-3-30", "tomorrow", "", "2025-03-30x"])
def test_parse_date_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(UserError, match=r"^The start date .* is not a date; write it as YYYY-MM-DD") as caught:
        parse_date(text, "start date")
    assert "\n" not in str(caught.value)


def test_parse_time() -> None:
    assert parse_time("07:30") == dt.time(7, 30)
    assert parse_time("7:05") == dt.time(7, 5)
    assert parse_time("00:00") == dt.time(0, 0)
    assert parse_time("23:59") == dt.time(23, 59)


@pytest.mark.parametrize("text", ["24:00", "7:60", "99:99", "7", "07:30:00", "-1:00", "7.30", "seven", ""])
def test_parse_time_refuses_absurd_times(text: str) -> None:
    with pytest.raises(UserError, match=r"is not a time of day; write it as HH:MM from 00:00 to 23:59\.$"):
        parse_time(text)


def test_parse_days() -> None:
    assert parse_days("sat,mon,wed") == ("mon", "wed", "sat")
    assert parse_days(" Mon , WED,Saturday ") == ("mon", "wed", "sat")
    assert parse_days("sun,sun") == ("sun",)
    assert parse_weekday("Thursday") == "thu"


@pytest.mark.parametrize(
    ("text", "message"), [("mon,funday", '"funday" is not a day'), ("", "at least one day"), (",", "at least one day")]
)
def test_parse_days_refuses_unknown_days(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_days(text)
