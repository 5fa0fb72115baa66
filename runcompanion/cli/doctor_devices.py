"""``doctor``'s Bluetooth line: is there an adapter for a real treadmill or strap, and is the simulated pair there.

Bluetooth is optional, so its absence is reported in words but is not a problem: runs, speech and the journal
need none of it, and the simulated treadmill runs on bumble's virtual link without an adapter.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import sys
from pathlib import Path

from runcompanion.cli.doctor_check import Check

SYS_BLUETOOTH = Path("/sys/class/bluetooth")


def _simulator() -> str:
    try:
        return f"the simulated treadmill is available (bumble {importlib.metadata.version('bumble')})"
    except importlib.metadata.PackageNotFoundError:
        return "the simulated treadmill is not installed (pip install bumble)"


def _adapters(root: Path = SYS_BLUETOOTH) -> list[str]:
    return sorted(p.name for p in root.glob("hci*")) if root.is_dir() else []


def check_bluetooth(root: Path = SYS_BLUETOOTH, platform: str = sys.platform) -> Check:
    """On Linux the kernel lists its adapters; elsewhere a one-second scan asks the system's stack."""
    if platform.startswith("linux"):
        adapters = _adapters(root)
        if adapters:
            detail = f"adapter {', '.join(adapters)}; {_simulator()}"
        else:
            detail = f"no adapter on this computer (optional: only real treadmills and straps need one); {_simulator()}"
        return Check("Bluetooth", True, detail)
    from runcompanion.services.devices.bleak_link import BluetoothUnavailable, scan

    try:
        found = asyncio.run(scan(1.0))
    except BluetoothUnavailable as exc:
        return Check("Bluetooth", True, f"{exc} {_simulator()}")
    return Check("Bluetooth", True, f"working, {len(found)} treadmill(s) or strap(s) in range; {_simulator()}")
