"""The runner's reference pace, which turns the relative intensities of workout files into belt speeds.

Zwift run workouts (.zwo) give each block's intensity as a fraction of one of the runner's race paces: the
``pace`` attribute picks which (0 one mile, 1 5 km, 2 10 km, 3 half marathon, 4 marathon), and ``Power="0.9"``
means 90 % of that pace's speed. RunCompanion asks for one figure, the runner's 5 km pace, and estimates the
others with Riegel's endurance formula, T2 = T1 x (D2 / D1)^1.06 (Riegel, "Athletic records and human
endurance", American Scientist 69, 1981). It is an estimate for a typical runner, so the import message names
the pace it used and the runner can set the speeds by hand.

Pure; any thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

DEFAULT_PACE_S_PER_KM = 360
"""6:00 per km (10 km/h): used when the runner has not said their pace; the import message says so."""
RIEGEL_EXPONENT = 1.06


class PaceZone(IntEnum):
    """The race paces a .zwo ``pace`` attribute names, in Zwift's numbering."""

    MILE = 0
    FIVE_K = 1
    TEN_K = 2
    HALF_MARATHON = 3
    MARATHON = 4

    @property
    def distance_km(self) -> float:
        return _DISTANCES_KM[self]

    @property
    def words(self) -> str:
        return _WORDS[self]


_DISTANCES_KM = {
    PaceZone.MILE: 1.609344,
    PaceZone.FIVE_K: 5.0,
    PaceZone.TEN_K: 10.0,
    PaceZone.HALF_MARATHON: 21.0975,
    PaceZone.MARATHON: 42.195,
}
_WORDS = {
    PaceZone.MILE: "mile pace",
    PaceZone.FIVE_K: "5 km pace",
    PaceZone.TEN_K: "10 km pace",
    PaceZone.HALF_MARATHON: "half-marathon pace",
    PaceZone.MARATHON: "marathon pace",
}


@dataclass(frozen=True, slots=True)
class ReferencePace:
    """The runner's 5 km pace in seconds per km; ``chosen`` is False when it is the default."""

    five_k_s_per_km: float = DEFAULT_PACE_S_PER_KM
    chosen: bool = False

    @classmethod
    def from_setting(cls, seconds_per_km: int) -> ReferencePace:
        if seconds_per_km <= 0:
            return cls()
        return cls(float(seconds_per_km), chosen=True)

    def pace_s_per_km(self, zone: PaceZone) -> float:
        """Seconds per km at ``zone``, by Riegel's formula from the 5 km pace (per-km pace scales by ^0.06)."""
        ratio = zone.distance_km / PaceZone.FIVE_K.distance_km
        return self.five_k_s_per_km * float(ratio ** (RIEGEL_EXPONENT - 1.0))

    def speed_kmh(self, zone: PaceZone) -> float:
        return 3600.0 / self.pace_s_per_km(zone)

    def describe(self) -> str:
        """For the import message: which pace turned the file's intensities into speeds."""
        pace = pace_text(self.five_k_s_per_km)
        if self.chosen:
            return f"speeds come from your 5 km pace, {pace} per km"
        return f"speeds come from a 5 km pace of {pace} per km; set yours in Settings for speeds that fit you"


def pace_text(seconds_per_km: float) -> str:
    """``"5:30"`` for 330 seconds."""
    whole = round(seconds_per_km)
    return f"{whole // 60}:{whole % 60:02d}"
