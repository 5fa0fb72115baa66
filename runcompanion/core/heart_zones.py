"""Heart-rate zones: five bands of the maximum heart rate, from the runner's own figure or estimated from age.

The estimate is Tanaka, Monahan and Seals (J Am Coll Cardiol, 2001): 208 - 0.7 x age, which fitted a
meta-analysis of 351 studies better than the older 220 - age; it is an average with a spread of about ten beats
either way, so a measured maximum, when the runner has one, always wins. The bands (50-60-70-80-90-100 %) are the
common five-zone scheme of percent of maximum; they describe a run, they do not prescribe one.
"""

from __future__ import annotations

ZONE_FLOORS = (0.5, 0.6, 0.7, 0.8, 0.9)
ZONE_COUNT = len(ZONE_FLOORS)
MIN_AGE = 10
MAX_AGE = 100


def max_heart_rate(setting_bpm: int = 0, age: int = 0) -> int | None:
    """The runner's maximum: their own figure if set (non-zero), else the estimate from age, else None."""
    if setting_bpm > 0:
        return setting_bpm
    if MIN_AGE <= age <= MAX_AGE:
        return round(208 - 0.7 * age)
    return None


def zone_of(bpm: float, maximum: int) -> int | None:
    """Zone 1-5, or None below the first zone's floor."""
    zone = None
    for index, floor in enumerate(ZONE_FLOORS, start=1):
        if bpm >= floor * maximum:
            zone = index
    return zone
