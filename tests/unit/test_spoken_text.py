"""The spoken-text normaliser: a table of written cue texts and what every engine is given to say."""

from __future__ import annotations

import pytest

from runcompanion.core.spoken_text import number_words, spoken, year_words

CASES = [
    # units
    ("Settle at 8.5 km/h.", "Settle at 8.5 kilometres per hour."),
    ("Now 10km/h for a minute.", "Now 10 kilometres per hour for a minute."),
    ("Ease to 1 km/h less.", "Ease to 1 kilometre per hour less."),
    ("8.0 km/h", "8 kilometres per hour"),
    ("Hold 5.5 mph.", "Hold 5.5 miles per hour."),
    ("Incline 2%.", "Incline 2 percent."),
    ("Last 400 m!", "Last 400 metres!"),
    ("Run 5 km today", "Run 5 kilometres today"),
    ("1 km to go", "1 kilometre to go"),
    ("3 min easy", "3 minutes easy"),
    ("30 s of walking", "30 seconds of walking"),
    ("Heart near 150 bpm", "Heart near 150 beats per minute"),
    ("a 6 min/km pace", "a 6 minutes per kilometre pace"),
    ("It is 20°C outside", "It is 20 degrees Celsius outside"),
    # symbols and separators
    ("Walk · 5.0 km/h · 1%", "Walk, 5 kilometres per hour, 1 percent"),
    ("Breathe in • breathe out", "Breathe in, breathe out"),
    ("Rest & recover", "Rest and recover"),
    ("Easy — you are doing fine", "Easy, you are doing fine"),
    ("~3 minutes", "about 3 minutes"),
    ("5-6 km/h", "5 to 6 kilometres per hour"),
    ("4–5 times a week", "4 to 5 times a week"),
    ("10,000 steps", "10000 steps"),
    # abbreviations
    ("Relax your hands, e.g. loose fists.", "Relax your hands, for example loose fists."),
    ("Jemni et al. found", "Jemni and colleagues found"),
    ("Keep your HR low", "Keep your heart rate low"),
    ("approx. 2 minutes", "about 2 minutes"),
    # years and decades
    ("A 2023 review of 100 studies", "A twenty twenty-three review of 100 studies"),
    ("In 2024, runners", "In twenty twenty-four, runners"),
    ("since 2000", "since two thousand"),
    ("a 2005 study", "a two thousand and five study"),
    ("in 1999", "in nineteen ninety-nine"),
    ("by 1900", "by nineteen hundred"),
    ("in 2010", "in twenty ten"),
    ("since the 1990s", "since the nineteen nineties"),
    ("2024 m climbed", "2024 metres climbed"),
    # times
    ("Hold it for 1:30.", "Hold it for a minute and a half."),
    ("2:00 to go", "two minutes to go"),
    ("2:30 left", "two and a half minutes left"),
    ("0:45 more", "forty-five seconds more"),
    ("0:30 more", "half a minute more"),
    ("1:15 of walking", "a minute and fifteen seconds of walking"),
    ("1:00:00 of running", "an hour of running"),
    ("1:30:00 total", "an hour and a half total"),
    ("1:05:20 total", "an hour, five minutes and twenty seconds total"),
    ("Meet at 7:30 pm", "Meet at 7:30 pm"),
    # left alone
    ("Three, two, one.", "Three, two, one."),
    ("You can always slow down.", "You can always slow down."),
    ("Notice your breath.", "Notice your breath."),
    ("Step 3 of 8", "Step 3 of 8"),
]


@pytest.mark.parametrize(("written", "said"), CASES)
def test_spoken_form(written: str, said: str) -> None:
    assert spoken(written) == said


@pytest.mark.parametrize(("written", "_said"), CASES)
def test_spoken_is_idempotent_and_never_says_the_dot(written: str, _said: str) -> None:
    once = spoken(written)
    assert spoken(once) == once
    assert "·" not in once


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "zero"), (7, "seven"), (13, "thirteen"), (40, "forty"), (42, "forty-two"), (100, "one hundred"),
     (215, "two hundred and fifteen"), (1000, "one thousand"), (1005, "one thousand and five"),
     (2024, "two thousand and twenty-four"), (9999, "nine thousand nine hundred and ninety-nine")],
)  # fmt: skip
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


def test_number_words_refuses_what_it_cannot_say() -> None:
    with pytest.raises(ValueError, match="0-9999"):
        number_words(10000)


@pytest.mark.parametrize(
    ("year", "words"),
    [(2024, "twenty twenty-four"), (2000, "two thousand"), (2009, "two thousand and nine"),
     (2010, "twenty ten"), (1905, "nineteen oh five"), (1800, "eighteen hundred")],
)  # fmt: skip
def test_year_words(year: int, words: str) -> None:
    assert year_words(year) == words
