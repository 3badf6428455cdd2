"""The map's QWebEnginePage: stays on nibi:// and reports what the page's Content-Security-Policy refused."""

from __future__ import annotations

import logging
from collections import deque

from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

from nibi_desk.gui.map.scheme import SCHEME

log = logging.getLogger(__name__)


def _level(level) -> int:
    return int(level.value) if hasattr(level, "value") else int(level)


class MapPage(QWebEnginePage):
    """Counts what the page's security policy refused (Chromium says so on the console) and keeps the page on
    nibi://: a click on a link to anywhere else is ignored, never followed."""

    def __init__(self, profile: QWebEngineProfile, parent=None):
        super().__init__(profile, parent)
        self.refused: list[str] = []
        self.console: deque[tuple[int, str]] = deque(maxlen=200)
        self.allowed_schemes = {SCHEME.decode(), "qrc", "data", "about"}

    def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:  # noqa: N802
        self.console.append((_level(level), message))
        if "Content Security Policy" in message or "Refused to" in message:
            self.refused.append(message)
            log.warning("map page: %s", message)
        elif _level(level) >= 2:
            log.warning("map page error (%s:%s): %s", source, line, message)

    def acceptNavigationRequest(self, url: QUrl, nav_type, is_main_frame: bool) -> bool:  # noqa: N802
        return url.scheme() in self.allowed_schemes
