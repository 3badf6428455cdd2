"""The browser's search box: a debounced line edit that asks for a search once the user pauses typing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

DEBOUNCE_MS = 300


class SearchBox(QLineEdit):
    """Emits ``search_requested(text)`` 300 ms after the last keystroke, at once on Enter or when cleared.

    The search itself runs in the model's background query; this widget only decides when to ask.
    """

    search_requested = Signal(str)
    down_pressed = Signal()  # the user wants to go on in the results (the browser moves the focus to the table)

    def __init__(self, parent: QWidget | None = None, debounce_ms: int = DEBOUNCE_MS):
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.retranslate()
        self._last = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._on_text_changed)
        self.returnPressed.connect(self.flush)

    def retranslate(self) -> None:
        find = QKeySequence(QKeySequence.StandardKey.Find).toString(QKeySequence.SequenceFormat.NativeText)
        self.setPlaceholderText(self.tr("Search name, code or address (%1)").replace("%1", find))
        self.setToolTip(self.tr("One or two characters search by substring; three or more use the full-text index"))
        self.setAccessibleName(self.tr("Search assets"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self.flush()  # cleared (clear button, Esc, select-all + delete): show everything without waiting
        else:
            self._timer.start()  # restarts: one search per pause in typing

    def flush(self) -> None:
        """Ask for the current text now (if it differs from the last request)."""
        self._timer.stop()
        text = self.text().strip()
        if text != self._last:
            self._last = text
            self.search_requested.emit(text)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if event.key() == Qt.Key.Key_Down:
            self.flush()
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)
