"""What a cue text sounds like when said aloud: units, abbreviations, years, times and symbols in words.

Every speech engine gets the text through ``spoken()``, so a cue can be written the way it reads on screen
("8.5 km/h · 2% incline", "hold it for 1:30") and is said the way a person would say it ("8.5 kilometres per
hour, 2 percent incline", "hold it for a minute and a half"). Engines read plain numbers well on their own
(espeak-ng and Piper's espeak-based phonemiser both say "8.5" as "eight point five"), so numbers stay digits
except where the usual reading differs from the spoken custom: years ("2024" as "twenty twenty-four", where
espeak says "two thousand and twenty-four") and clock-style durations. Captions keep the written form.

Rules apply in a fixed order (times, then ranges, decades, years, units) because each one consumes text that a
later rule would misread: "1:30" must not become "1" and "30", and "1990s" is a decade, not 1990 seconds.
A four-digit number followed by a unit ("2024 m") is a quantity, not a year.
"""

from __future__ import annotations

import re

__all__ = ["number_words", "spoken", "year_words"]

_ONES = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
    *("thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

# Unit symbols written after a number, with the singular and plural spoken forms. Longest first, so
# "km/h" wins over "km" and "mph" over "m".
_UNITS: tuple[tuple[str, str, str], ...] = (
    ("km/h", "kilometre per hour", "kilometres per hour"),
    ("kph", "kilometre per hour", "kilometres per hour"),
    ("mph", "mile per hour", "miles per hour"),
    ("bpm", "beat per minute", "beats per minute"),
    ("min/km", "minute per kilometre", "minutes per kilometre"),
    ("min/mi", "minute per mile", "minutes per mile"),
    ("kcal", "kilocalorie", "kilocalories"),
    ("km", "kilometre", "kilometres"),
    ("mi", "mile", "miles"),
    ("kg", "kilogram", "kilograms"),
    ("lbs", "pound", "pounds"),
    ("lb", "pound", "pounds"),
    ("mins", "minute", "minutes"),
    ("min", "minute", "minutes"),
    ("secs", "second", "seconds"),
    ("sec", "second", "seconds"),
    ("hrs", "hour", "hours"),
    ("hr", "hour", "hours"),
    ("h", "hour", "hours"),
    ("s", "second", "seconds"),
    ("m", "metre", "metres"),
    ("°C", "degree Celsius", "degrees Celsius"),
    ("°F", "degree Fahrenheit", "degrees Fahrenheit"),
    ("°", "degree", "degrees"),
    ("%", "percent", "percent"),
)
_NUMBER = r"\d+(?:\.\d+)?"
_UNIT_RE = re.compile(
    rf"(?<![\w.])({_NUMBER})\s?(" + "|".join(re.escape(symbol) for symbol, _, _ in _UNITS) + r")(?![\w/])"
)
_UNIT_WORDS = {symbol: (one, many) for symbol, one, many in _UNITS}

# Written abbreviations and how they are said. Matched as whole words, case-sensitive where case matters.
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\be\.g\.", "for example"),
    (r"\bi\.e\.", "that is"),
    (r"\betc\.", "and so on"),
    (r"\bet al\.", "and colleagues"),
    (r"\bapprox\.", "about"),
    (r"\bvs\.?(?=\s)", "versus"),
    (r"\bDr\.(?=\s)", "Doctor"),
    (r"\bno\.(?=\s*\d)", "number"),
    (r"\bHR\b", "heart rate"),
    (r"\bRPE\b", "effort"),
)

# Separators that only structure what is on screen: said as a short pause.
_PAUSE_SYMBOLS = re.compile(r"\s*[·•|]\s*")
_DASH_PAUSE = re.compile(r"\s+[—–-]\s+")
_RANGE = re.compile(r"(?<=\d)\s?[–—-]\s?(?=\d)")
_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+)(?![\d,])")
# A clock time ("7:30 pm") is left alone: engines say it well ("seven thirty p m").
_TIME = re.compile(r"(?<![\d:.])(?:(\d{1,2}):)?(\d{1,2}):([0-5]\d)(?![\d:])(?!\s?[aApP]\.?[mM]\b)")
_DECADE = re.compile(r"(?<![\d.,:])(1[89]\d0|20\d0)s\b")
# A four-digit number is a year unless a unit follows it ("2024 m" is a distance).
_YEAR = re.compile(
    r"(?<![\d.,:])(1[89]\d\d|20\d\d)(?!\d|[.,:]\d|\s?(?:"
    + "|".join(re.escape(word) for unit in _UNITS for word in unit)
    + r")(?![\w/]))"
)
_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("&", " and "),
    ("≈", " about "),
    ("~", " about "),
    ("×", " times "),
    ("+", " plus "),
    ("→", " to "),
    ("=", " equals "),
    ("…", "."),
)
_SPACES = re.compile(r"[ \t]+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")
_DOUBLE_COMMA = re.compile(r",\s*,")


def number_words(n: int) -> str:
    """An integer from 0 to 9999 in words: 42 -> "forty-two", 1005 -> "one thousand and five"."""
    if not 0 <= n <= 9999:
        raise ValueError(f"number_words covers 0-9999, not {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    head = f"{_ONES[thousands]} thousand"
    if not rest:
        return head
    return f"{head} and {number_words(rest)}" if rest < 100 else f"{head} {number_words(rest)}"


def year_words(year: int) -> str:
    """A year the way people say it: 2024 -> "twenty twenty-four", 1999 -> "nineteen ninety-nine",
    2000 -> "two thousand", 2005 -> "two thousand and five", 1900 -> "nineteen hundred"."""
    century, rest = divmod(year, 100)
    if year % 1000 < 10 and century % 10 == 0:
        return number_words(year)  # 2000-2009: "two thousand and five"
    if rest == 0:
        return f"{number_words(century)} hundred"
    if rest < 10:
        return f"{number_words(century)} oh {_ONES[rest]}"
    return f"{number_words(century)} {number_words(rest)}"


def _amount(n: int, one: str, many: str) -> str:
    article = "an" if one == "hour" else "a"
    return f"{article} {one}" if n == 1 else f"{number_words(n)} {many}"


def _duration_words(hours: int, minutes: int, seconds: int) -> str:
    """1:30 -> "a minute and a half"; 2:30 -> "two and a half minutes"; 0:45 -> "forty-five seconds"."""
    if hours == 0 and seconds == 30 and minutes > 0:
        return "a minute and a half" if minutes == 1 else f"{number_words(minutes)} and a half minutes"
    if hours == 0 and minutes == 0 and seconds == 30:
        return "half a minute"
    if hours > 0 and minutes == 30 and seconds == 0:
        return "an hour and a half" if hours == 1 else f"{number_words(hours)} and a half hours"
    units = ((hours, "hour", "hours"), (minutes, "minute", "minutes"), (seconds, "second", "seconds"))
    parts = [_amount(value, one, many) for value, one, many in units if value]
    if not parts:
        return "zero seconds"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _time(match: re.Match[str]) -> str:
    hours = int(match.group(1) or 0)
    return _duration_words(hours, int(match.group(2)), int(match.group(3)))


def _unit(match: re.Match[str]) -> str:
    number, symbol = match.group(1), match.group(2)
    one, many = _UNIT_WORDS[symbol]
    if number.endswith(".0"):
        number = number[:-2]  # "8.0 km/h" is said "eight kilometres per hour"
    return f"{number} {one if number == '1' else many}"


def _year(match: re.Match[str]) -> str:
    return year_words(int(match.group(1)))


def _decade(match: re.Match[str]) -> str:
    words = year_words(int(match.group(1)))
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def spoken(text: str) -> str:
    """``text`` as it should be said. Pure and idempotent: ``spoken(spoken(t)) == spoken(t)``."""
    out = _PAUSE_SYMBOLS.sub(", ", text)
    out = _DASH_PAUSE.sub(", ", out)
    out = _THOUSANDS.sub(lambda m: m.group(1).replace(",", ""), out)
    out = _TIME.sub(_time, out)
    out = _RANGE.sub(" to ", out)
    out = _DECADE.sub(_decade, out)
    out = _YEAR.sub(_year, out)
    out = _UNIT_RE.sub(_unit, out)
    for pattern, words in _ABBREVIATIONS:
        out = re.sub(pattern, words, out)
    for symbol, words in _SYMBOLS:
        out = out.replace(symbol, words)
    out = _SPACES.sub(" ", out)
    out = _SPACE_BEFORE_PUNCT.sub(r"\1", out)
    out = _DOUBLE_COMMA.sub(",", out)
    return out.strip().strip(",").strip()
