"""Which columns the browser shows, and in what order: the header's context menu and its persistence callback."""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView

from nibi_desk.gui.browser.columns import Column


class ColumnChooser(QObject):
    """A checkable action per column in the header's context menu.

    ``visible_columns`` (keys in display order, e.g. from settings) overrides the columns' default visibility;
    unknown keys are ignored. Every change (shown, hidden, moved) calls ``on_columns_changed(keys)`` with the
    visible keys in display order, so the caller persists them without this module knowing about settings.
    """

    def __init__(self, view: QTableView, columns: Sequence[Column], visible_columns: list[str] | None = None,
                 on_columns_changed: Callable[[list[str]], None] | None = None, parent: QObject | None = None):
        super().__init__(parent or view)
        self.view = view
        self.columns = list(columns)
        self.on_columns_changed = on_columns_changed
        self.header = view.horizontalHeader()
        self.header.setContextMenuPolicy(Qt.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._show_menu)
        self._applying = False
        self.apply(visible_columns)
        self.header.sectionMoved.connect(lambda *_: self._report())

    def _index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def defaults(self) -> list[str]:
        return [c.key for c in self.columns if c.visible]

    def apply(self, visible_columns: list[str] | None) -> None:
        """Show exactly these columns in this order (the defaults for None or when nothing known is left)."""
        known = {c.key for c in self.columns}
        keys = [k for k in dict.fromkeys(visible_columns or []) if k in known] or self.defaults()
        self._applying = True
        try:
            for position, key in enumerate(keys):  # the visible columns first, in the given order
                self.header.moveSection(self.header.visualIndex(self._index(key)), position)
            for i, column in enumerate(self.columns):
                self.header.setSectionHidden(i, column.key not in keys)
        finally:
            self._applying = False

    def visible_columns(self) -> list[str]:
        """Visible column keys in display order."""
        shown = [i for i in range(len(self.columns)) if not self.header.isSectionHidden(i)]
        return [self.columns[i].key for i in sorted(shown, key=self.header.visualIndex)]

    def is_visible(self, key: str) -> bool:
        return not self.header.isSectionHidden(self._index(key))

    def set_visible(self, key: str, visible: bool) -> None:
        if visible == self.is_visible(key):
            return
        if not visible and len(self.visible_columns()) <= 1:
            return  # an empty table would leave no header to bring the columns back with
        self.header.setSectionHidden(self._index(key), not visible)
        self._report()

    def restore_defaults(self) -> None:
        self.apply(None)
        self._report()

    def _report(self) -> None:
        if not self._applying and self.on_columns_changed is not None:
            self.on_columns_changed(self.visible_columns())

    # -- the menu ------------------------------------------------------------------------------------------------
    def build_menu(self, parent=None) -> QMenu:
        """The header's context menu (built each time so that it shows the current state)."""
        menu = QMenu(parent or self.view)
        menu.setTitle(self.tr("Columns"))
        last = len(self.visible_columns()) <= 1
        for column in self.columns:
            action = QAction(column.translated_title(), menu)
            action.setCheckable(True)
            action.setChecked(self.is_visible(column.key))
            action.setEnabled(not (last and action.isChecked()))
            action.setData(column.key)
            action.toggled.connect(lambda on, key=column.key: self.set_visible(key, on))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.tr("Restore default columns"), self.restore_defaults)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        menu = self.build_menu()
        menu.exec(self.header.mapToGlobal(pos))
        menu.deleteLater()
