"""Picking a position on the main window's map for another window (the asset editor, an inspection window).

One pick at a time. The window that asks steps aside: it is hidden, so a window-modal editor no longer blocks the
map and a large inspection window no longer covers it. The map comes forward in pick mode, saying what the position
is for, with a Cancel button. A click on the map hands the point (WGS-84) to the window, which comes back; Esc,
Cancel, the map's pick button, another map tool or closing the map cancel, and the window comes back unchanged.
"""

from __future__ import annotations

from typing import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class MapPicker(QObject):
    """``open_map()`` returns the map dock (created on first use). ``finished(picked)`` after every pick."""

    started = Signal()
    finished = Signal(bool)

    def __init__(self, open_map: Callable[[], object], parent: QObject | None = None):
        super().__init__(parent)
        self._open_map = open_map
        self._dock = None
        self._owner: QWidget | None = None
        self._on_picked: Callable[[float, float], None] | None = None

    @property
    def active(self) -> bool:
        return self._owner is not None

    def owner(self) -> QWidget | None:
        return self._owner

    def start(self, owner: QWidget, prompt: str, on_picked: Callable[[float, float], None]) -> None:
        """Hide ``owner``, put the map in pick mode with ``prompt``; ``on_picked(lon, lat)`` if a point is picked.
        A pick already under way (for another window) is cancelled first."""
        self.cancel()
        dock = self._open_map()
        if dock is not self._dock:
            dock.location_picked.connect(self._picked)
            dock.pick_cancelled.connect(self._cancelled)
            self._dock = dock
        self._owner, self._on_picked = owner, on_picked
        owner.hide()
        dock.start_pick(prompt)
        self.started.emit()

    def cancel(self) -> None:
        """End the pick under way without a point (the window that asked comes back)."""
        if self._owner is None:
            return
        if self._dock is not None and shiboken6.isValid(self._dock) and self._dock.mode() == "pick":
            self._dock.set_mode("browse")  # says pick_cancelled, which ends the session
        if self._owner is not None:
            self._finish(None)

    def _picked(self, lon: float, lat: float) -> None:
        if self._owner is not None:
            self._finish((lon, lat))

    def _cancelled(self) -> None:
        if self._owner is not None:
            self._finish(None)

    def _finish(self, point: tuple[float, float] | None) -> None:
        owner, on_picked = self._owner, self._on_picked
        self._owner = self._on_picked = None
        if owner is None or not shiboken6.isValid(owner):
            return
        try:
            if point is not None:
                on_picked(*point)
        finally:  # whatever happens, the window does not stay hidden
            owner.show()
            owner.raise_()
            owner.activateWindow()
            self.finished.emit(point is not None)
