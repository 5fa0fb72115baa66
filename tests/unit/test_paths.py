from __future__ import annotations

import stat
from pathlib import Path

import pytest

from runcompanion.core.errors import UserError
from runcompanion.paths import HOME_ENV, resolve_paths, resource_files


def test_data_dir_overrides_everything(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "rc", env={HOME_ENV: "/elsewhere"})
    assert paths.data_dir == tmp_path / "rc" / "data"
    assert paths.cache_dir == tmp_path / "rc" / "cache"
    assert paths.config_dir == tmp_path / "rc" / "config"
    assert paths.database.parent == paths.data_dir


def test_environment_variable_is_used_without_flag(tmp_path: Path) -> None:
    paths = resolve_paths(None, env={HOME_ENV: str(tmp_path)})
    assert paths.data_dir == tmp_path / "data"


def test_relative_override_becomes_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    paths = resolve_paths("here", env={})
    assert paths.data_dir == tmp_path / "here" / "data"


def test_empty_xdg_variables_fall_back_to_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # appdirs answers with a relative folder when XDG_DATA_HOME is set but empty.
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, "")
    paths = resolve_paths(None, env={})
    for folder in (paths.data_dir, paths.cache_dir, paths.config_dir):
        assert folder.is_absolute()
        assert str(folder).startswith(str(tmp_path))
        assert folder.name == "RunCompanion"


def test_xdg_variables_are_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    paths = resolve_paths(None, env={})
    assert paths.data_dir == tmp_path / "xdg-data" / "RunCompanion"


def test_ensure_creates_private_folders(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "rc", env={})
    paths.ensure()
    for folder in (paths.data_dir, paths.cache_dir, paths.config_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_ensure_tightens_an_existing_open_folder(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "rc", env={})
    paths.data_dir.mkdir(parents=True, mode=0o755)
    paths.data_dir.chmod(0o755)
    paths.ensure()
    assert stat.S_IMODE(paths.data_dir.stat().st_mode) == 0o700


def test_unwritable_location_is_a_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    paths = resolve_paths(blocker, env={})
    with pytest.raises(UserError, match="Cannot create the folder"):
        paths.ensure()


def test_shipped_resources_are_found() -> None:
    files = resource_files("sessions", ".toml")
    assert files, "the built-in sessions ship with the package"
    assert all(name.endswith(".toml") and data for name, data in files)
