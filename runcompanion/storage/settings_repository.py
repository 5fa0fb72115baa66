"""Settings: one JSON value per key. What the keys mean is the settings service's business, not storage's."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert

from runcompanion.storage.database import Database
from runcompanion.storage.models import SettingRow, require_aware, utc_now
from runcompanion.storage.records import JsonValue

_Default = TypeVar("_Default")


class SettingsRepository:
    """Reads and writes settings as plain JSON values (no records: a setting is just its value).

    Threads: every method is one transaction of its own. Call it from one thread at a time; the app calls it
    from its storage worker thread, never from the GUI thread.
    """

    def __init__(self, database: Database, *, now: Callable[[], dt.datetime] = utc_now) -> None:
        """``now`` gives the current aware time for ``updated_at`` (a fixed clock in tests)."""
        self._database = database
        self._now = now

    def get(self, key: str, default: _Default | None = None) -> JsonValue | _Default:
        """The value stored under ``key``, or ``default`` when nothing is."""
        with self._database.transaction(write=False) as session:
            value_json = session.scalar(select(SettingRow.value_json).where(SettingRow.key == key))
        if value_json is None:
            return default
        value: JsonValue = json.loads(value_json)
        return value

    def set(self, key: str, value: object) -> None:
        """Store ``value`` under ``key``, replacing what was there.

        ``value`` must survive JSON (typed ``object`` because a ``list[str]`` is not a ``list[JsonValue]`` to
        mypy); anything else raises TypeError, NaN and infinity raise ValueError.
        """
        if not key:
            raise ValueError("a setting needs a non-empty key")
        # allow_nan=False: NaN and infinity are not JSON, and would not read back in other tools.
        value_json = json.dumps(value, ensure_ascii=False, allow_nan=False)
        updated_at = require_aware(self._now(), "the repository clock")
        upsert = insert(SettingRow).values(key=key, value_json=value_json, updated_at=updated_at)
        upsert = upsert.on_conflict_do_update(
            index_elements=[SettingRow.key],
            set_={"value_json": upsert.excluded.value_json, "updated_at": upsert.excluded.updated_at},
        )
        with self._database.transaction() as session:
            session.execute(upsert)

    def all(self) -> dict[str, JsonValue]:
        """Every stored setting, by key."""
        with self._database.transaction(write=False) as session:
            rows = session.execute(select(SettingRow.key, SettingRow.value_json).order_by(SettingRow.key)).all()
        settings: dict[str, JsonValue] = {key: json.loads(value_json) for key, value_json in rows}
        return settings
