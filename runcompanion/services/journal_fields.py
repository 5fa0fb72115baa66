"""Checking the fields of a journal backup one by one, each with a message that says where it is and what
it must be (``runs[3].reflection.effort: must be ...``). Used by ``journal_json_reader``.

Dates lie between the years 1900 and 2199 and numbers within what SQLite stores: the calendar's ends and
64-bit overflow are refused here, in words, before anything downstream could raise ``OverflowError``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import Any, Final, NoReturn, TypeVar

MAX_NAME_CHARS: Final = 200
MAX_ID_CHARS: Final = 200
MAX_SEGMENT_LOG: Final = 10_000
MAX_SECONDS: Final = 366 * 86400.0
MAX_DATETIME_CHARS: Final = 40
EARLIEST_YEAR: Final = 1900
LATEST_YEAR: Final = 2199
"""Dates in a journal lie between these years. The calendar's own ends (year 1, year 9999) cannot take a time
zone's offset or a run's length added to them; a journal has no business there, so they are refused."""
MIN_INT: Final = -(2**63)
MAX_INT: Final = 2**63 - 1
"""SQLite's integers are 64-bit; a larger number in a file is refused rather than overflowing on insert."""


class Problem(Exception):
    """What is wrong with the file, in words; the reader puts the file's name in front."""


_Choice = TypeVar("_Choice", bound=str)


class JsonObject:
    """One JSON object of the file being checked, and where it is (``runs[3].reflection``) for messages."""

    def __init__(self, raw: object, where: str, *, required: Sequence[str] = ()) -> None:
        if not isinstance(raw, dict):
            raise Problem(f"{where}: must be an object {{...}}, got {show_value(raw)}.")
        self.raw: dict[str, Any] = raw
        self.where = where
        for key in required:
            if key not in raw:
                raise Problem(f'{where}: the field "{key}" is missing.')

    def allow(self, *keys: str) -> None:
        for key in self.raw:
            if key not in keys:
                raise Problem(f'{self.where}: unknown field "{one_line(key)[:40]}".')

    def _get(self, key: str, optional: bool) -> Any:
        value = self.raw.get(key)
        if value is None and not optional:
            raise Problem(f"{self.where}.{key}: missing; it is required.")
        return value

    def _wrong(self, key: str, expected: str) -> NoReturn:
        raise Problem(f"{self.where}.{key}: must be {expected}, got {show_value(self.raw.get(key))}.")

    def items(self, key: str, *, optional: bool = False) -> list[JsonObject]:
        return [JsonObject(value, f"{key}[{index}]") for index, value in enumerate(self.array(key, optional=optional))]

    def array(self, key: str, *, optional: bool = False) -> list[Any]:
        value = self._get(key, optional)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(key, "a list [...]")
        return value

    def child(self, key: str, *, optional: bool = False) -> JsonObject | None:
        value = self._get(key, optional)
        return None if value is None else JsonObject(value, f"{self.where}.{key}")

    def text(self, key: str, max_chars: int, *, optional: bool = False) -> str:
        value = self._get(key, optional)
        if value is None:
            return ""
        if not isinstance(value, str):
            self._wrong(key, "text")
        if len(value) > max_chars:
            raise Problem(f"{self.where}.{key}: longer than {max_chars:,} characters ({len(value):,}).")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self._get(key, True)
        if value is not None and not isinstance(value, str):
            self._wrong(key, "text or null")
        return value

    def identifier(self, key: str) -> str:
        value = self.text(key, MAX_ID_CHARS)
        if not value.strip():
            self._wrong(key, "a non-empty id")
        return value

    def optional_identifier(self, key: str) -> str | None:
        return None if self.raw.get(key) is None else self.identifier(key)

    def strings(self, key: str) -> list[str]:
        values = self.array(key, optional=True)
        if not all(isinstance(value, str) for value in values):
            self._wrong(key, "a list of text")
        return values

    def words(self, key: str) -> tuple[str, ...]:
        """A list of non-empty texts without commas (how tags and days are stored)."""
        values = self.strings(key)
        if any(not value or "," in value or len(value) > MAX_ID_CHARS for value in values):
            self._wrong(key, "a list of words without commas")
        return tuple(values)

    def choice(self, key: str, choices: tuple[_Choice, ...]) -> _Choice:
        value = self._get(key, False)
        for choice in choices:
            if value == choice:
                return choice
        self._wrong(key, f"one of {', '.join(choices)}")

    def whole(self, key: str, *, low: int | None = None) -> int | None:
        """An optional whole number (null or missing: None), at least ``low`` when given."""
        value = self._get(key, True)
        if value is None:
            return None
        if type(value) is not int or not (MIN_INT if low is None else low) <= value <= MAX_INT:
            self._wrong(key, "a whole number" if low is None else f"a whole number of at least {low}")
        return value

    def count(self, key: str) -> int:
        """A whole number of at least 0; missing means 0."""
        return self.whole(key, low=0) or 0

    def point(self, key: str, low: int, high: int) -> int | None:
        """An optional point of a scale from ``low`` to ``high``."""
        value = self._get(key, True)
        if value is not None and (type(value) is not int or not low <= value <= high):
            self._wrong(key, f"null or a whole number from {low} to {high}")
        return value

    def number(self, key: str, *, high: float) -> float | None:
        """An optional number from 0 to ``high`` (null or missing: None)."""
        value = self._get(key, True)
        if value is None:
            return None
        # An int is compared as it is: math.isfinite(10**400) raises OverflowError instead of answering.
        fits = (type(value) is int and 0 <= value <= high) or (
            type(value) is float and math.isfinite(value) and 0 <= value <= high
        )
        if not fits:
            self._wrong(key, f"a number from 0 to {high:g}")
        return float(value)

    def seconds(self, key: str) -> float:
        """A required number of seconds, from 0 to a year."""
        value = self.number(key, high=MAX_SECONDS)
        if value is None:
            self._wrong(key, "a number of seconds")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if not isinstance(value, bool):
            self._wrong(key, "true or false")
        return value

    def instant(self, key: str) -> dt.datetime:
        """A required date and time with a UTC offset, as an aware UTC datetime."""
        parsed = self._datetime(key, self._get(key, False))
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self._wrong(key, "a date and time with its UTC offset (2024-05-06T07:30:00+00:00)")
        try:
            instant = parsed.astimezone(dt.UTC)
        except OverflowError:  # an offset that pushes it past year 1 or year 9999
            self._out_of_range(key)
        if not EARLIEST_YEAR <= instant.year <= LATEST_YEAR:
            self._out_of_range(key)
        return instant

    def optional_instant(self, key: str) -> dt.datetime | None:
        return None if self.raw.get(key) is None else self.instant(key)

    def wall_clock(self, key: str) -> dt.datetime:
        """A required local date and time without an offset (when a scheduled run is due)."""
        parsed = self._datetime(key, self._get(key, False))
        if parsed.tzinfo is not None:
            self._wrong(key, "a local date and time without an offset (2024-05-07T07:00:00)")
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            self._out_of_range(key)
        return parsed

    def date(self, key: str) -> dt.date:
        value = self._get(key, False)
        if isinstance(value, str) and len(value) == len("2024-05-06"):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                    self._out_of_range(key)
                return day
        self._wrong(key, "a date like 2024-05-06")

    def clock_time(self, key: str) -> dt.time:
        value = self._get(key, False)
        if isinstance(value, str) and len(value) == len("07:00"):
            try:
                return dt.time.fromisoformat(value)
            except ValueError:
                pass
        self._wrong(key, "a local time like 07:00")

    def _out_of_range(self, key: str) -> NoReturn:
        raise Problem(
            f"{self.where}.{key}: must lie between the years {EARLIEST_YEAR} and {LATEST_YEAR} "
            f"(got {show_value(self.raw.get(key))})."
        )

    def _datetime(self, key: str, value: object) -> dt.datetime:
        if isinstance(value, str) and len(value) <= MAX_DATETIME_CHARS:
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        self._wrong(key, "a date and time in ISO 8601 (2024-05-06T07:30:00+00:00)")


def show_value(value: object) -> str:
    """A short, one-line picture of a JSON value for a message."""
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    shown = one_line(shown)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def one_line(text: str) -> str:
    return " ".join(text.split())
