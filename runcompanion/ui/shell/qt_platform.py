"""Can Qt's platform plugin load? Asked before the application object exists, because Qt's own answer is an abort.

Without ``libxcb-cursor0`` (absent from many minimal Debian and Ubuntu installs) Qt prints "Could not load the
Qt platform plugin xcb", suggests reinstalling the application, and aborts with SIGABRT. Here the plugin is
loaded with ctypes first: when that works (the normal case) the libraries are in memory for Qt anyway, so the
check costs almost nothing; when it fails, ``ldd`` lists every library that does not resolve and each is named
with the Debian package that provides it. Qt-free: nothing here imports PySide6's modules, only finds its files.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# The libraries Qt's xcb plugin and Qt itself load that a minimal system may lack, with their Debian packages.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_DLOPEN_MISSING = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")


@dataclass(frozen=True, slots=True)
class PlatformProblem:
    """What keeps Qt's platform plugin from loading, in words, and the command that mends it."""

    message: str
    fix: str


def platform_plugin(platform: str) -> Path | None:
    """The plugin file Qt would load for ``platform`` (xcb: ``libqxcb.so``), or None when PySide6 has none."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"
        if plugin.exists():
            return plugin
    return None


def _wanted_platform() -> str | None:
    """The platform Qt will try first on Linux, when it is one whose libraries this module checks (xcb)."""
    if not sys.platform.startswith("linux"):
        return None
    requested = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if requested:
        return "xcb" if requested == "xcb" else None
    # Qt 6 prefers Wayland in a Wayland session and falls back to xcb by itself; X11 sessions use xcb.
    if os.environ.get("WAYLAND_DISPLAY") and os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return None
    return "xcb"


def missing_libraries(plugin: Path) -> list[str]:
    """Every library ``plugin`` needs, directly or through another, that the dynamic loader cannot find."""
    # Loaded here: only a failed start needs them, and every start pays for module imports before the window.
    import shutil
    import subprocess

    ldd = shutil.which("ldd")
    if ldd is not None:
        listed = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=30, check=False)
        found = list(dict.fromkeys(_NOT_FOUND.findall(listed.stdout)))
        if found:
            return found
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        named = _DLOPEN_MISSING.search(str(exc))
        return [named.group(1) if named else str(exc)]
    return []


def describe(missing: list[str], platform: str) -> PlatformProblem:
    packages = [DEBIAN_PACKAGES[name] for name in missing if name in DEBIAN_PACKAGES]
    unknown = [name for name in missing if name not in DEBIAN_PACKAGES]
    names = ", ".join(missing)
    noun, verb = ("library", "is") if len(missing) == 1 else ("libraries", "are")
    provided = f" (Debian/Ubuntu package {', '.join(packages)})" if packages and not unknown else ""
    message = f"Qt cannot open a window: the {noun} {names} that its {platform} plugin needs {verb} missing{provided}."
    if packages and not unknown:
        fix = f"sudo apt-get install {' '.join(packages)}"
    else:
        fix = f"Install the package that provides {names} (on Debian/Ubuntu: apt-file search {missing[0]})."
    return PlatformProblem(message, fix)


def platform_problem() -> PlatformProblem | None:
    """None when Qt's platform plugin can load (or is not one this checks); otherwise what is missing."""
    platform = _wanted_platform()
    if platform is None:
        return None
    plugin = platform_plugin(platform)
    if plugin is None:
        return None  # not a PySide6 wheel layout (a distribution's own Qt): let Qt speak for itself
    try:
        # The normal case: it loads, and Qt reuses what is now in memory.
        ctypes.CDLL(str(plugin))
        return None
    except OSError:
        pass
    missing = missing_libraries(plugin)
    return describe(missing, platform) if missing else None
