"""The registry browser widget: search box and filter bar over a lazy, sortable table of assets."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from nibi_desk.gui.browser.column_chooser import ColumnChooser
from nibi_desk.gui.browser.filter_bar import FilterBar
from nibi_desk.gui.browser.columns import COLUMNS
from nibi_desk.gui.browser.model import AssetTableModel
from nibi_desk.gui.browser.search_box import SearchBox
from nibi_desk.storage.assets import Filters


class RegistryBrowser(QWidget):
    """Browse up to a million assets: every query runs in the background, rows are fetched as they are shown."""

    asset_selected = Signal(str)    # the current row's asset id, "" when there is none
    asset_activated = Signal(str)   # double-click or Enter
    columns_changed = Signal(list)  # visible column keys in display order (for settings)
    context_menu_requested = Signal(str, QPoint)  # asset id under the pointer ("" for none), global position
    _FIRST_ROW = "\0first"  # a pending selection meaning "the first row of the coming result"

    def __init__(self, ctx, visible_columns: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = AssetTableModel(ctx, self)
        self.search_box = SearchBox()
        self.filter_bar = FilterBar(ctx)
        self.result_label = QLabel()
        self.result_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.view = QTableView()
        self._setup_view()
        self.column_chooser = ColumnChooser(self.view, COLUMNS, visible_columns, self.columns_changed.emit, self)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.result_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.view)

        self._last_emitted = ""
        self._restore_id = ""       # the asset selected when the model was reset, selected again if still there
        self._pending_select = ""   # select_asset() asked while a query was running
        self._scroll = "top"        # after the running query: "top" (new search/filter), "selection" (sort)
        self.search_box.search_requested.connect(self._on_search)
        self.filter_bar.filters_changed.connect(self._on_filters)
        self.model.query_started.connect(self._on_query_started)
        self.model.query_finished.connect(self._on_query_finished)
        self.model.query_failed.connect(self._on_query_failed)
        self.model.query_cancelled.connect(self._on_query_cancelled)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._emit_selected())
        self.view.activated.connect(lambda index: self.asset_activated.emit(self.model.asset_id(index.row())))
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.horizontalHeader().sortIndicatorChanged.connect(lambda *_: setattr(self, "_scroll", "selection"))
        self.search_box.down_pressed.connect(self._from_search_to_table)
        self.model.run_query()  # Ctrl+F belongs to the window's Find action (one shortcut, never ambiguous)

    def _setup_view(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectRows)
        view.setSelectionMode(QAbstractItemView.SingleSelection)
        view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setCornerButtonEnabled(False)
        view.setContextMenuPolicy(Qt.CustomContextMenu)
        rows = view.verticalHeader()  # uniform row heights: the view never measures rows, scrolling stays O(1)
        rows.setSectionResizeMode(QHeaderView.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
        rows.hide()
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSortIndicatorClearable(True)  # a third click returns to registry order
        header.setSortIndicator(-1, Qt.AscendingOrder)
        char = max(1, view.fontMetrics().averageCharWidth())
        for i, column in enumerate(COLUMNS):
            header.resizeSection(i, column.width * char)
        view.setSortingEnabled(True)

    # -- public API ----------------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.ShortcutFocusReason)
        self.search_box.selectAll()

    def is_busy(self) -> bool:
        """Whether a search, filter or sort is running in the background."""
        return self.model.busy

    def current_asset_id(self) -> str:
        index = self.view.selectionModel().currentIndex()
        return self.model.asset_id(index.row()) if index.isValid() else ""

    def select_next(self) -> None:
        self._step(1)

    def select_previous(self) -> None:
        self._step(-1)

    def select_asset(self, asset_id: str) -> bool:
        """Select an asset and scroll to it if it is in the current result (again after a running query)."""
        self._pending_select = asset_id if self.model.busy else ""
        row = self.model.row_of(asset_id)
        if row >= 0:
            self._select_row(row)
        return row >= 0

    def clear_selection(self) -> None:
        """No row selected (``asset_selected("")`` follows), e.g. for an asset the current result does not list."""
        self._pending_select = ""
        self.view.selectionModel().clear()

    def refresh(self) -> None:
        self.filter_bar.update_availability()
        self.model.refresh()

    def set_filters(self, filters: Filters) -> None:
        self.filter_bar.set_filters(filters)  # emits filters_changed, which runs the query

    def filters(self) -> Filters:
        return self.filter_bar.filters()

    def visible_columns(self) -> list[str]:
        return self.column_chooser.visible_columns()

    # -- selection -----------------------------------------------------------------------------------------------
    def _first_visible_column(self) -> int:
        header = self.view.horizontalHeader()
        return next((header.logicalIndex(v) for v in range(header.count())
                     if not header.isSectionHidden(header.logicalIndex(v))), 0)

    def _select_row(self, row: int, scroll: bool = True) -> None:
        index = self.model.index(row, self._first_visible_column())
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        if scroll:
            self.view.scrollTo(index, QAbstractItemView.PositionAtCenter)

    def _step(self, delta: int) -> None:
        count = self.model.rowCount()
        if count:
            current = self.view.selectionModel().currentIndex()
            row = (0 if delta > 0 else count - 1) if not current.isValid() else current.row() + delta
            self._select_row(min(max(row, 0), count - 1), scroll=False)
            self.view.scrollTo(self.view.currentIndex(), QAbstractItemView.EnsureVisible)  # no jump to the centre

    def _emit_selected(self) -> None:
        asset_id = self.current_asset_id()
        if asset_id != self._last_emitted:
            self._last_emitted = asset_id
            self.asset_selected.emit(asset_id)

    def _remember_selection(self) -> None:
        self._restore_id = self.current_asset_id()

    # -- queries -------------------------------------------------------------------------------------------------
    def _on_search(self, text: str) -> None:
        self._scroll = "top"
        self.model.set_query(text=text)

    def _on_filters(self, filters: Filters) -> None:
        self._scroll = "top"
        self.model.set_query(filters=filters)

    def _on_query_started(self) -> None:
        self.result_label.setText(self.tr("Searching…"))
        self.view.viewport().setCursor(Qt.BusyCursor)

    def _on_query_finished(self, count: int, elapsed_ms: float) -> None:
        self.view.viewport().unsetCursor()
        self._show_count(count)
        self.result_label.setToolTip(self.tr("The query took %1 ms").replace("%1", f"{elapsed_ms:,.0f}"))
        target = self._pending_select or self._restore_id
        self._pending_select = self._restore_id = ""
        if target == self._FIRST_ROW:
            if count:
                self._select_row(0, scroll=False)
        elif target and target != self.current_asset_id():
            row = self.model.row_of(target)
            if row >= 0:
                self._select_row(row, scroll=False)
        current = self.view.currentIndex()
        if self._scroll == "selection" and current.isValid():
            self.view.scrollTo(current, QAbstractItemView.PositionAtCenter)
        elif self._scroll == "top":
            self.view.scrollToTop()
        self._scroll = "keep"
        self._emit_selected()

    def _on_query_cancelled(self) -> None:
        self.view.viewport().unsetCursor()
        self._pending_select = self._restore_id = ""
        self._show_count(self.model.rowCount())

    def _show_count(self, count: int) -> None:
        text = self.tr("1 asset") if count == 1 else self.tr("%1 assets").replace("%1", f"{count:,}")
        self.result_label.setText(text)

    def _on_query_failed(self, message: str) -> None:
        self.view.viewport().unsetCursor()
        self.result_label.setText(self.tr("Search failed"))
        self.result_label.setToolTip(message)
        self.ctx.interaction.error(self.tr("Search failed"), self.tr("The registry could not be searched."), message)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:  # the search box and filter bar get their own event
            self.model.retranslate()
            if self.model.busy:
                self.result_label.setText(self.tr("Searching…"))
            else:
                self._show_count(self.model.rowCount())
        super().changeEvent(event)

    def _from_search_to_table(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.busy:
            self._pending_select = self._FIRST_ROW  # the search just asked for: its first row
        elif not self.view.currentIndex().isValid():
            self.select_next()

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self._select_row(index.row(), scroll=False)
        asset_id = self.model.asset_id(index.row()) if index.isValid() else ""
        self.context_menu_requested.emit(asset_id, self.view.viewport().mapToGlobal(pos))
