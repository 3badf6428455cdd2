"""The preferences dialog: the registered pages in a list on the left, the current page on the right, OK/Cancel/Apply.

Pages come from ``pref_pages.PAGES``. Apply validates every page first; the first problem is shown under the pages
(a "fieldError" label, not a message box) and that page is selected, and nothing is saved.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QStackedWidget,
                               QVBoxLayout, QWidget)

from nibi_desk.gui.pref_pages import PAGES, PreferencesPage
from nibi_desk.gui.settings import Settings


class PreferencesDialog(QDialog):
    applied = Signal()  # after every page saved its values

    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 pages: list[type[PreferencesPage]] | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("preferencesDialog")
        self.pages: list[PreferencesPage] = [cls() for cls in (PAGES if pages is None else pages)]

        self.list = QListWidget()
        self.list.setMaximumWidth(180)
        self.stack = QStackedWidget()
        for page in self.pages:
            self.list.addItem(page.title)
            self.stack.addWidget(page)
        self.list.currentRowChanged.connect(self.stack.setCurrentIndex)

        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Apply)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.Apply).clicked.connect(self.apply)

        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.load()
        self.list.setCurrentRow(0)
        self.retranslate()
        self.resize(640, 400)

    def page(self, cls: type[PreferencesPage]) -> PreferencesPage:
        """The instance of a page class (tests, and opening the dialog at a given page)."""
        return next(p for p in self.pages if isinstance(p, cls))

    def show_page(self, cls: type[PreferencesPage]) -> None:
        self.list.setCurrentRow(self.pages.index(self.page(cls)))

    def load(self) -> None:
        for page in self.pages:
            page.load(self.settings)

    def apply(self) -> bool:
        """Validate then save every page; False (and the problem shown) when a page refuses."""
        for index, page in enumerate(self.pages):
            problem = page.validate()
            if problem:
                self.list.setCurrentRow(index)
                self.error.setText(self.tr("{page}: {problem}").format(page=page.title, problem=problem))
                self.error.show()
                return False
        self.error.hide()
        for page in self.pages:
            page.save(self.settings)
        self.settings.sync()
        self.applied.emit()
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Preferences"))
        for row, page in enumerate(self.pages):
            self.list.item(row).setText(page.title)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
