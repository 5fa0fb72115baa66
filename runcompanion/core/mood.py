"""The mood and effort scales of the journal, with a label in plain words for every point.

- Feeling Scale (Hardy and Rejeski, 1989): -5 very bad ... 0 neutral ... +5 very good. The original anchors
  the odd points (+5 very good, +3 good, +1 fairly good, 0 neutral, and their mirrors); the even points get
  words in between, so a slider can say what each position means.
- Felt Arousal Scale (Svebak and Murgatroyd, 1985): 1 low arousal ... 6 high arousal.
- Perceived effort, Borg CR10: 0 rest ... 10 maximal.

Mood lift is feeling after minus feeling before: the number the journal's charts and insights are about.
Pure; any thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


class OutOfScaleError(ValueError):
    """A value that is not a point of its scale. The screens offer only valid points, so this is a bug there;
    an import reports it to the person instead, naming the file."""


@dataclass(frozen=True, slots=True)
class Scale:
    """A scale of whole points from ``low`` to ``high``, each with a short label."""

    name: str
    low: int
    high: int
    labels: tuple[str, ...]
    """One label per point, from ``low`` up to ``high``."""

    def __post_init__(self) -> None:
        if len(self.labels) != self.high - self.low + 1:
            raise ValueError(f"{self.name}: {len(self.labels)} labels for {self.high - self.low + 1} points")

    @property
    def points(self) -> range:
        """Every point of the scale, lowest first."""
        return range(self.low, self.high + 1)

    def contains(self, value: object) -> bool:
        """Whether ``value`` is a point of the scale: a whole number (not a bool, not a float) in range."""
        return type(value) is int and self.low <= value <= self.high

    def check(self, value: int, what: str) -> int:
        """``value`` if it is a point of the scale; ``OutOfScaleError`` naming ``what`` otherwise."""
        if not self.contains(value):
            raise OutOfScaleError(
                f"{what} must be a whole number from {self.low} to {self.high} on the {self.name}; got {value!r}"
            )
        return value

    def check_optional(self, value: int | None, what: str) -> int | None:
        """Like ``check``, but None (not answered) passes."""
        return None if value is None else self.check(value, what)

    def label(self, value: int) -> str:
        """The plain words for one point: ``FEELING.label(3) == "Good"``."""
        return self.labels[self.check(value, "the value") - self.low]


FEELING: Final = Scale(
    name="Feeling Scale",
    low=-5,
    high=5,
    labels=(
        "Very bad",
        "Really bad",
        "Bad",
        "Pretty bad",
        "Fairly bad",
        "Neutral",
        "Fairly good",
        "Pretty good",
        "Good",
        "Really good",
        "Very good",
    ),
)

AROUSAL: Final = Scale(
    name="Felt Arousal Scale",
    low=1,
    high=6,
    labels=("Low arousal", "Calm", "Mildly alert", "Alert", "Keyed up", "High arousal"),
)

EFFORT: Final = Scale(
    name="CR10 effort scale",
    low=0,
    high=10,
    labels=(
        "Rest",
        "Very easy",
        "Easy",
        "Moderate",
        "Somewhat hard",
        "Hard",
        "Harder",
        "Very hard",
        "Very, very hard",
        "Extremely hard",
        "Maximal",
    ),
)

MAX_LIFT: Final = FEELING.high - FEELING.low
"""The largest possible change on the Feeling Scale, either way (10)."""


def lift(feeling_before: int | None, feeling_after: int | None) -> int | None:
    """Feeling after minus feeling before; None unless both were given."""
    if feeling_before is None or feeling_after is None:
        return None
    return FEELING.check(feeling_after, "feeling after") - FEELING.check(feeling_before, "feeling before")


def signed(value: int) -> str:
    """A point or a lift with its sign, as the journal shows them: ``"+2"``, ``"0"``, ``"-1"``."""
    return f"{value:+d}" if value else "0"


def feeling_text(value: int) -> str:
    """``"+3 (Good)"``: a Feeling Scale point with its words."""
    return f"{signed(value)} ({FEELING.label(value)})"
