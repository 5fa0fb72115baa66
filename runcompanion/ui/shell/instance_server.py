"""The window's end of the single-instance channel: a second start on the same data folder asks, over a
local socket, for this window to come to the front (``services.instance_channel`` is the other end).

Started after the first paint, so QtNetwork never delays the first frame. The window holds the data
folder's lock, so a socket file left at the address by a crash is stale and is removed before listening.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from runcompanion.services.instance_channel import REPLY, REQUEST, instance_address

log = logging.getLogger(__name__)


class InstanceServer(QObject):
    """Listens for ``show`` and brings ``window`` to the front. GUI thread only."""

    def __init__(self, window: QWidget, data_dir: Path) -> None:
        super().__init__(window)
        self._window = window
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._address = instance_address(data_dir)

    def listen(self) -> bool:
        """Start listening. False (and a log line) when the address cannot be used: a second start then
        exits with a message instead of raising this window."""
        QLocalServer.removeServer(self._address)
        if not self._server.listen(self._address):
            log.warning("cannot listen for a second start at %s: %s", self._address, self._server.errorString())
            return False
        return True

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while (connection := self._server.nextPendingConnection()) is not None:
            connection.readyRead.connect(lambda c=connection: self._answer(c))
            connection.disconnected.connect(connection.deleteLater)

    def _answer(self, connection: QLocalSocket) -> None:
        if not connection.canReadLine():
            if connection.bytesAvailable() > len(REQUEST):
                connection.abort()  # not our client
            return
        if bytes(connection.readLine().data()) == REQUEST:
            self._bring_to_front()
            connection.write(REPLY)
            connection.flush()
        connection.disconnectFromServer()

    def _bring_to_front(self) -> None:
        window = self._window
        window.setWindowState((window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        window.show()
        window.raise_()
        window.activateWindow()
        log.info("a second start on this data folder: the window was brought to the front")
