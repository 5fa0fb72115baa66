"""The device thread: one asyncio event loop that owns every Bluetooth object (bleak's or bumble's).

Bluetooth stacks in Python are asyncio libraries, so they need a loop that keeps running for as long as a device
is connected; the app's one helper for background work (a function in, a result out) does not fit a stream of
notifications. This is the only other thread the device code uses. ``submit`` may be called from any thread and
never blocks; the coroutine's result arrives through a ``concurrent.futures.Future``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class DeviceLoop:
    """Owns the device thread. ``close`` stops the loop and joins the thread (after cancelling what still runs)."""

    def __init__(self, name: str = "devices") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        if pending:
            self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def in_loop_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        """Run ``coroutine`` on the device thread. Safe from any thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def call_soon(self, callback: Callable[[], object]) -> None:
        self._loop.call_soon_threadsafe(callback)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the loop. Must not be called on the device thread."""
        if not self._thread.is_alive():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
