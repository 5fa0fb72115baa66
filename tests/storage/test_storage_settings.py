"""SettingsRepository: JSON values by key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from runcompanion.storage.database import Database
from runcompanion.storage.models import SettingRow
from runcompanion.storage.settings_repository import SettingsRepository


@pytest.fixture
def settings(database: Database, clock: Callable[[], dt.datetime]) -> SettingsRepository:
    return SettingsRepository(database, now=clock)


def test_a_missing_key_gives_the_default(settings: SettingsRepository) -> None:
    assert settings.get("volume") is None
    assert settings.get("volume", 0.8) == 0.8
    assert settings.all() == {}


@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, 170, 0.75, "", "km/h", "Løp, ikke gå", [1, "two", None], {"voice": {"rate": 170}}],
)
def test_json_values_round_trip(settings: SettingsRepository, value: object) -> None:
    settings.set("key", value)
    stored = settings.get("key", "absent")
    assert stored == value
    assert type(stored) is type(value)


def test_set_replaces_and_stamps_the_time(database: Database, settings: SettingsRepository) -> None:
    settings.set("units", "km")
    settings.set("units", "mi")
    settings.set("theme", "dark")

    assert settings.get("units") == "mi"
    assert settings.all() == {"theme": "dark", "units": "mi"}
    with database.transaction(write=False) as session:
        stamps = {key: stamp for key, stamp in session.execute(select(SettingRow.key, SettingRow.updated_at))}
    assert stamps["units"] == dt.datetime(2024, 5, 6, 7, 30, 1, tzinfo=dt.UTC)  # the clock's second reading


def test_values_survive_reopening(
    db_path: object, settings: SettingsRepository, reopen: Callable[[], Database]
) -> None:
    settings.set("cue_density", "calm")
    assert SettingsRepository(reopen()).get("cue_density") == "calm"


@pytest.mark.parametrize(
    ("value", "error"), [({1, 2}, TypeError), (float("nan"), ValueError), (float("inf"), ValueError)]
)
def test_values_that_are_not_json_are_refused(
    settings: SettingsRepository, value: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        settings.set("bad", value)
    assert settings.all() == {}


def test_an_empty_key_is_refused(settings: SettingsRepository) -> None:
    with pytest.raises(ValueError, match="key"):
        settings.set("", 1)
