"""What Settings, Devices asks for, done off the GUI thread: a Bluetooth scan, and trying the chosen devices."""

from __future__ import annotations

import asyncio
import logging

from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.settings.devices_card import DevicesCard

log = logging.getLogger(__name__)


def wire_devices_card(card: DevicesCard, tasks: TaskRunner) -> None:
    card.scan_requested.connect(lambda: scan_devices(card, tasks))
    card.check_requested.connect(lambda treadmill, heart: check_devices(card, tasks, treadmill, heart))


def scan_devices(card: DevicesCard, tasks: TaskRunner) -> None:
    """Look for treadmills and straps on a worker (bleak's scan takes seconds); no Bluetooth is said in words."""
    from runcompanion.services.devices.bleak_link import BluetoothUnavailable, scan

    def failed(exc: BaseException) -> None:
        log.warning("device scan: %s", exc)
        card.show_problem(str(exc) if isinstance(exc, BluetoothUnavailable) else f"The search failed: {exc}")

    tasks.run(lambda: asyncio.run(scan()), card.show_found, failed)


def check_devices(card: DevicesCard, tasks: TaskRunner, treadmill: str, heart: str) -> None:
    """Connect the chosen devices on a worker, say how each answered, and let them go."""
    from runcompanion.services.devices.device_session import DeviceSession

    def attempt() -> str:
        session = DeviceSession(treadmill, heart)
        try:
            session.connect().result(60)
            return session.describe()
        finally:
            session.close()

    tasks.run(attempt, card.show_state, lambda exc: card.show_problem(f"Could not try the devices: {exc}"))
