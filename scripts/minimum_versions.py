"""Install the oldest versions pyproject.toml allows of every runtime dependency, then run scripts/smoke.py.

    .venv/bin/python scripts/minimum_versions.py        (part of `bash scripts/dev.sh test`)

A lower bound is a promise: `pyttsx3>=2.90` was declared for months while only 2.99 worked. This keeps every
bound honest. The environment lives in `.venv-min` and is rebuilt only when the dependency list changes (pip's
own cache holds the wheels); each run then costs the smoke alone, about 20 s. Every runtime dependency must have
a lower bound (`>=`), or this says which one lacks it and fails.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv-min"


def minimum_pins(pyproject: Path) -> list[str]:
    """``name==lowest`` for every runtime dependency that applies to this platform."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = []
    for line in project["dependencies"]:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        lowest = [spec.version for spec in requirement.specifier if spec.operator in (">=", "==", "~=")]
        if not lowest:
            raise SystemExit(f"minimum versions: {requirement.name} has no lower bound in pyproject.toml; add one")
        extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
        pins.append(f"{requirement.name}{extras}=={lowest[0]}")
    return pins


def _canonical(pin: str) -> tuple[str, Version]:
    # Version("6.6") == Version("6.6.0"), and they hash alike: pip lists the second for a pin of the first.
    name, _, version = pin.partition("==")
    return canonicalize_name(name.split("[")[0]), Version(version)


def say(message: str) -> None:
    print(f"minimum versions: {message}", file=sys.stderr, flush=True)


def main() -> int:
    pins = minimum_pins(ROOT / "pyproject.toml")
    stamp = hashlib.sha256("\n".join([*pins, sys.version]).encode()).hexdigest()
    python = VENV / "bin" / "python"
    stamp_file = VENV / ".installed"
    if not python.exists() or not stamp_file.exists() or stamp_file.read_text(encoding="utf-8").strip() != stamp:
        started = time.monotonic()
        say(f"installing {' '.join(pins)} into {VENV.name}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        pinned = subprocess.run(
            [str(python), "-m", "pip", "install", "--progress-bar", "on", *pins], check=False, cwd=ROOT
        )
        if pinned.returncode != 0:
            say("pip could not install these exact versions (it said why above): raise that lower bound")
            return 1
        # The project itself without dependencies, editable: later code changes need no reinstall.
        # Its output is setuptools' note on editable installs: shown only if the install fails.
        editable = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--editable", str(ROOT)],
            check=False,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if editable.returncode != 0:
            say(f"installing the project failed:\n{editable.stdout}{editable.stderr}")
            return 1
        stamp_file.write_text(stamp + "\n", encoding="utf-8")
        say(f"installed in {time.monotonic() - started:.0f} s")
    installed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"], check=True, capture_output=True, text=True
    ).stdout.split()
    have = {_canonical(line) for line in installed}
    wrong = sorted(pin for pin in pins if _canonical(pin) not in have)
    if wrong:
        say(f"these did not install at their minimum: {wrong}")
        return 1
    app = VENV / "bin" / "runcompanion"
    smoke = [sys.executable, str(ROOT / "scripts" / "smoke.py"), "--app", str(app), "--window", "--speak"]
    return subprocess.run(smoke, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
