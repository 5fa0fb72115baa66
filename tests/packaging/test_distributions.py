"""The sdist and the wheel, built as a packager would from a clean copy of the sources, hold what they must.

The build runs without isolation (the dev extra brings setuptools, wheel and build), so it needs no network and
writes nothing outside the test's folder; the isolated `pip install .` path uses the same setuptools settings.
"""

from __future__ import annotations

import email
import email.message
import importlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from trove_classifiers import classifiers as known_classifiers

REPO = Path(__file__).resolve().parents[2]
# What a clean clone lacks: a developer's virtual environment, caches and earlier build output.
_NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.pyc", "*.egg-info", "build", "dist", ".*_cache", ".hypothesis", "out"
)


def _clean_copy(dest: Path) -> Path:
    if (REPO / ".git").exists():
        # Exactly the tracked and new (not ignored) files, as a fresh clone of this tree would have them.
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            check=True,
            capture_output=True,
        ).stdout.decode()
        for name in filter(None, listed.split("\0")):
            source = REPO / name
            if source.is_file():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest / name)
    else:
        shutil.copytree(REPO, dest, ignore=_NOT_IN_A_CLONE, dirs_exist_ok=True)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(sdist, wheel, the build's whole output); the wheel is built from the unpacked sdist, as `build` does."""
    root = tmp_path_factory.mktemp("dist")
    source = _clean_copy(root / "source")
    out = root / "out"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    # distutils warns "byte-compiling is disabled" when that variable is set: a property of the shell, not of
    # the project. HOME points into the test folder so nothing the build runs can write into the user's home.
    env.update(HOME=str(root / "home"), XDG_CACHE_HOME=str(root / "cache"))
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return sdist, wheel, output


def _tracked(folder: str) -> set[str]:
    return {str(path.relative_to(REPO)) for path in (REPO / folder).rglob("*") if path.is_file() and _shipped(path)}


def _shipped(path: Path) -> bool:
    return "__pycache__" not in path.parts and path.suffix != ".pyc"


def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(archive.read(name))


def test_the_build_prints_no_warning(built: tuple[Path, Path, str]) -> None:
    _, _, output = built
    warnings = [line for line in output.splitlines() if re.search(r"warn", line, re.IGNORECASE)]
    assert warnings == [], "\n".join(warnings)


def test_the_wheel_holds_the_code_resources_migrations_and_licence(built: tuple[Path, Path, str]) -> None:
    _, wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    code = {name for name in _tracked("runcompanion")}
    resources = {"runcompanion/" + name for name in _tracked("resources")}
    missing = sorted((code | resources) - names)
    # A new package folder must be added to [tool.setuptools] packages in pyproject.toml, or its modules are lost.
    assert missing == [], f"not in the wheel: {missing}"
    assert any(n.startswith("runcompanion/storage/migrations/versions/") and n.endswith(".py") for n in names)
    licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(licence) == (REPO / "LICENSE").read_bytes()
    assert b"GNU GENERAL PUBLIC LICENSE" in (REPO / "LICENSE").read_bytes()
    assert not [n for n in names if n.startswith("tests/") or n.endswith(".pyc")]


def test_the_sdist_holds_tests_docs_and_scripts(built: tuple[Path, Path, str]) -> None:
    sdist, _, _ = built
    with tarfile.open(sdist) as archive:
        prefix = archive.getnames()[0].split("/")[0]
        names = {name.removeprefix(prefix + "/") for name in archive.getnames()}
    folders = ("tests", "docs", "scripts", "bench", "resources", "packaging")
    wanted = set().union(*(_tracked(folder) for folder in folders))
    wanted |= {"LICENSE", "README.md", "pyproject.toml", "MANIFEST.in", "main.py", "constraints-dev.txt"}
    assert sorted(wanted - names) == []


def test_the_metadata_is_complete_for_a_package_index(built: tuple[Path, Path, str]) -> None:
    _, wheel, _ = built
    meta = _metadata(wheel)
    assert meta["License-Expression"] == "GPL-3.0-or-later"
    classifiers = meta.get_all("Classifier") or []
    assert sorted(set(classifiers) - known_classifiers) == []
    for family in ("Development Status", "Intended Audience", "Operating System", "Programming Language", "Topic"):
        assert any(c.startswith(family + " ::") for c in classifiers), family
    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Source", "Issues", "Documentation"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())
    assert "pyttsx3>=2.99" in (meta.get_all("Requires-Dist") or [])
    assert meta["Description-Content-Type"] == "text/markdown"


def test_the_long_description_links_only_absolute_addresses_to_files_that_exist(
    built: tuple[Path, Path, str],
) -> None:
    _, wheel, _ = built
    meta = _metadata(wheel)
    description = meta.get_payload()
    assert isinstance(description, str)
    links = re.findall(r"\]\(([^)\s]+)\)", description)
    assert links, "the description should link the documentation"
    assert [link for link in links if not link.startswith("https://")] == []
    # Links into this repository must name a file it has, or they break the day the description is published.
    home = next(e.split(", ", 1)[1] for e in meta.get_all("Project-URL") or [] if e.startswith("Source, "))
    owner_repo = home.removeprefix("https://github.com/")
    for link in links:
        for base in (
            f"{home}/blob/main/",
            f"{home}/tree/main/",
            f"https://raw.githubusercontent.com/{owner_repo}/main/",
        ):
            if link.startswith(base):
                assert (REPO / link.removeprefix(base)).exists(), link


def test_the_window_and_the_command_line_have_their_own_entry_points(built: tuple[Path, Path, str]) -> None:
    _, wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
        text = archive.read(name).decode()
    sections = {
        title: dict(re.findall(r"^(\S+) = (\S+)$", body, re.MULTILINE))
        for title, body in re.findall(r"\[(\w+)\]\n([^\[]*)", text)
    }
    assert set(sections["console_scripts"]) == {"runcompanion"}
    assert set(sections["gui_scripts"]) == {"runcompanion-app"}
    for target in (*sections["console_scripts"].values(), *sections["gui_scripts"].values()):
        module, _, attribute = target.partition(":")
        assert callable(getattr(importlib.import_module(module), attribute)), target
