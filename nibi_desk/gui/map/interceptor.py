"""Keeps the map page off the network: every http, https, ws, wss or ftp request is blocked and counted."""

from __future__ import annotations

import logging
import threading

from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor

log = logging.getLogger(__name__)

BLOCKED_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})


class NetworkBlocker(QWebEngineUrlRequestInterceptor):
    """Installed on the map's profile. ``attempts`` lists the URLs the page tried to reach (tests assert it stays
    empty; a non-empty list means something in the page wants the network)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._lock = threading.Lock()
        self.attempts: list[str] = []

    def interceptRequest(self, info) -> None:  # noqa: N802 (Qt override)
        url = info.requestUrl()
        if url.scheme().lower() in BLOCKED_SCHEMES:
            info.block(True)
            with self._lock:
                self.attempts.append(url.toString())
            log.warning("map page tried to reach the network: %s (blocked)", url.toString())

    @property
    def blocked(self) -> int:
        with self._lock:
            return len(self.attempts)
