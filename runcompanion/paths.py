"""The one place that knows where RunCompanion keeps its data, cache and configuration.

appdirs gives the platform's folders. ``--data-dir DIR`` or ``RUNCOMPANION_HOME`` put all three under one
folder instead, which is what tests and portable installs use.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import appdirs

from runcompanion.core.errors import UserError, describe_os_error

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

APP_NAME = "RunCompanion"
HOME_ENV = "RUNCOMPANION_HOME"
DATABASE_NAME = "runcompanion.sqlite3"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data_dir: Path
    cache_dir: Path
    config_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def speech_cache(self) -> Path:
        return self.cache_dir / "speech"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def cue_packs_dir(self) -> Path:
        """Where a runner drops their own cue packs (``*.toml``)."""
        return self.config_dir / "cues"

    @property
    def voices_dir(self) -> Path:
        """Piper voices the runner added (``NAME.onnx`` + ``NAME.onnx.json`` + model card)."""
        return self.config_dir / "voices"

    @property
    def pending_restore(self) -> Path:
        """Names a backup to restore at the next start (the app cannot swap the file it has open)."""
        return self.data_dir / "restore-at-next-start"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "runcompanion.log"

    def ensure(self) -> None:
        """Create the folders, private to the user (0700). Raises ``UserError`` when one cannot be made."""
        for folder in (self.data_dir, self.cache_dir, self.config_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                if os.name == "posix":
                    # Take rights from group and others, never give any back: a folder the runner made
                    # read-only on purpose stays read-only.
                    folder.chmod(folder.stat().st_mode & 0o700)
            except OSError as exc:
                reason = describe_os_error(exc)
                raise UserError(
                    f"Cannot create the folder {folder}: {reason}. Choose another place with --data-dir."
                ) from exc


def _absolute_or_default(candidate: str, default: Path) -> Path:
    # appdirs returns a relative path when an XDG_* variable is set but empty; data written there would
    # land wherever the app happened to be started, so fall back to the home-based default instead.
    path = Path(candidate)
    return path if path.is_absolute() else default


def resolve_paths(data_dir: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> AppPaths:
    """Work out the folders without creating them. ``data_dir`` wins over ``RUNCOMPANION_HOME``."""
    environ = os.environ if env is None else env
    override = os.fspath(data_dir) if data_dir is not None else environ.get(HOME_ENV, "")
    if override:
        base = Path(override).expanduser().absolute()
        return AppPaths(data_dir=base / "data", cache_dir=base / "cache", config_dir=base / "config")

    home = Path.home()
    return AppPaths(
        data_dir=_absolute_or_default(
            appdirs.user_data_dir(APP_NAME, appauthor=False), home / ".local" / "share" / APP_NAME
        ),
        cache_dir=_absolute_or_default(appdirs.user_cache_dir(APP_NAME, appauthor=False), home / ".cache" / APP_NAME),
        config_dir=_absolute_or_default(
            appdirs.user_config_dir(APP_NAME, appauthor=False), home / ".config" / APP_NAME
        ),
    )


def resource(*parts: str) -> Traversable:
    """A file shipped in ``resources/`` (inside the package once installed)."""
    # Loaded here: importlib.resources (with tempfile, zipfile and shutil) cost the window's first frame 7 ms.
    from importlib import resources

    node: Traversable = resources.files("runcompanion.resources")
    for part in parts:
        node = node / part
    return node


def resource_files(folder: str, suffix: str) -> list[tuple[str, bytes]]:
    """Name and content of every shipped ``folder/*suffix`` file, sorted by name."""
    found = [
        (entry.name, entry.read_bytes())
        for entry in resource(folder).iterdir()
        if entry.is_file() and entry.name.endswith(suffix)
    ]
    return sorted(found)
