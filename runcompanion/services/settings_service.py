"""Reads and writes the runner's preferences."""

from __future__ import annotations

from runcompanion.core.app_settings import AppSettings
from runcompanion.storage.settings_repository import SettingsRepository


class SettingsService:
    """Any single thread at a time; reads and writes are one small transaction each."""

    def __init__(self, repository: SettingsRepository) -> None:
        self._repository = repository

    def load(self) -> AppSettings:
        return AppSettings.from_mapping(self._repository.all())

    def save(self, settings: AppSettings) -> AppSettings:
        """Store every field that differs from what is stored and return the clamped settings."""
        clamped = settings.clamped()
        stored = self._repository.all()
        for key, value in clamped.to_mapping().items():
            if stored.get(key) != value:
                self._repository.set(key, value)
        return clamped
