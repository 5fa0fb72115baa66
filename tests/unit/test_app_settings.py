from __future__ import annotations

from runcompanion.core.app_settings import AppSettings, Theme
from runcompanion.core.cue_timeline import CueDensity
from runcompanion.core.units import SpeedUnit


def test_round_trip_through_plain_values() -> None:
    settings = AppSettings(theme=Theme.DARK, units=SpeedUnit.MPH, rate=190, density=CueDensity.REGULAR, muted=True)
    assert AppSettings.from_mapping(settings.to_mapping()) == settings


def test_unknown_and_invalid_values_fall_back_to_defaults() -> None:
    stored = {"theme": "purple", "rate": "fast", "chime": 1, "units": "mph", "future_option": True}
    settings = AppSettings.from_mapping(stored)
    assert settings.theme is Theme.SYSTEM
    assert settings.rate == AppSettings().rate
    assert settings.chime is True  # 1 is not a bool: the default stays
    assert settings.units is SpeedUnit.MPH


def test_out_of_range_numbers_are_clamped() -> None:
    settings = AppSettings.from_mapping({"rate": 5000, "volume": -3, "countdown_s": 99})
    assert (settings.rate, settings.volume, settings.countdown_s) == (320, 0, 30)


def test_plain_values_are_json_friendly() -> None:
    mapping = AppSettings().to_mapping()
    assert mapping["theme"] == "system"
    assert all(isinstance(v, str | int | bool) for v in mapping.values())
