"""The registry browser's lazy table model: row keys from a background query, rows fetched by page on demand."""

from __future__ import annotations

import logging
import threading
import time
from array import array
from collections import OrderedDict

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont

from nibi_desk import i18n
from nibi_desk.domain import asset_types
from nibi_desk.domain.assets import STATUSES
from nibi_desk.gui.browser.columns import COLUMN_KEYS, COLUMNS, stamp_time
from nibi_desk.gui.tasks import Cancelled
from nibi_desk.storage import assets as store
from nibi_desk.storage.assets import Filters

log = logging.getLogger(__name__)
ASSET_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_DISPLAY, _TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
_ALIGNMENT, _FONT = Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_HORIZONTAL = Qt.Orientation.Horizontal
_ALIGNMENTS = tuple((Qt.AlignmentFlag.AlignRight if c.numeric else Qt.AlignmentFlag.AlignLeft)
                    | Qt.AlignmentFlag.AlignVCenter for c in COLUMNS)


class AssetTableModel(QAbstractTableModel):
    """Holds only the ordered row keys (``seq``) of the current query; a small LRU cache holds fetched pages."""

    query_started = Signal()
    query_finished = Signal(int, float)  # row count, milliseconds the background query took
    query_failed = Signal(str)
    query_cancelled = Signal()  # the running query was cancelled from outside; the previous result stays

    def __init__(self, ctx, parent=None, *, page_size: int = 200, max_pages: int = 50, query_key: str = "browser-query",
                 refresh_delay_ms: int = 150):
        super().__init__(parent)
        self.ctx = ctx
        self.page_size, self.max_pages, self.query_key = page_size, max_pages, query_key
        self.text, self.filters, self.sort_key, self.descending = "", Filters(), "seq", False
        self.pages_fetched = 0  # how many pages were read from the registry (tests check the model stays lazy)
        self.busy = False
        self._keys = array("q")
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._generation = 0
        self._stop: threading.Event | None = None
        self._types = asset_types.load(ctx.registry.read())
        self._struck_font = QFont()
        self._struck_font.setStrikeOut(True)
        self._deleted_colour = QColor(Qt.GlobalColor.gray)
        # Coalesces bursts of commits (an import commits every few thousand rows) into one refresh.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(refresh_delay_ms)
        self._refresh_timer.timeout.connect(self.refresh)
        ctx.notifier.registry_changed.connect(self._on_registry_changed)

    # -- Qt model interface --------------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=_DISPLAY):
        # Called several times per visible cell and paint: module constants, no forgiving enum lookups (Qt.X).
        row = index.row()
        if row < 0:
            return None
        if role == _DISPLAY:
            return self._row(row)[3][index.column()]
        if role == _ALIGNMENT:
            return _ALIGNMENTS[index.column()]
        if role == _FONT or role == _FOREGROUND:
            if not self._row(row)[2]:
                return None
            return self._struck_font if role == _FONT else self._deleted_colour  # deleted since the last query
        if role == _TOOLTIP:
            text = self._row(row)[3][index.column()]
            return text if len(text) > 20 else None
        if role == ASSET_ID_ROLE:
            return self._row(row)[1]
        return None

    def headerData(self, section, orientation, role=_DISPLAY):
        if role == _DISPLAY and orientation == _HORIZONTAL and 0 <= section < len(COLUMNS):
            return COLUMNS[section].translated_title()
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort if 0 <= column < len(COLUMNS) else "seq"
        descending = order == Qt.SortOrder.DescendingOrder and key != "seq"
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.run_query()

    # -- rows ----------------------------------------------------------------------------------------------------
    def _row(self, row: int) -> tuple:
        """(seq, asset id, deleted, display texts) of a row, fetching its page if it is not cached."""
        number, offset = divmod(row, self.page_size)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return page[offset]

    def _fetch(self, number: int) -> list[tuple]:
        seqs = self._keys[number * self.page_size:(number + 1) * self.page_size]
        rows = {r["seq"]: r for r in store.rows_by_seq(self.ctx.registry.read(), seqs)}
        blank = ("",) * len(COLUMNS)
        page = [(s, rows[s]["id"], rows[s]["deleted"], self._display(rows[s])) if s in rows else (s, "", 1, blank)
                for s in seqs]
        self.pages_fetched += 1
        self._pages[number] = page
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return page

    def _display(self, r: dict) -> tuple[str, ...]:
        asset_type = self._types.get(r["type"])
        values = {
            "type": asset_type.title() if asset_type else r["type"],
            "status": i18n._(STATUSES.get(r["status"], r["status"])),
            "lon": "" if r["lon"] is None else f"{r['lon']:.6f}",
            "lat": "" if r["lat"] is None else f"{r['lat']:.6f}",
            "updated": stamp_time(r["hlc"]),
        }
        return tuple(values[k] if k in values else ("" if r.get(k) is None else str(r[k])) for k in COLUMN_KEYS)

    @property
    def row_keys(self) -> array:
        """The current result's row keys (seq), in display order. Read-only: replaced, never mutated."""
        return self._keys

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def asset_id(self, row: int) -> str:
        return self._row(row)[1] if 0 <= row < len(self._keys) else ""

    def row_of(self, asset_id: str) -> int:
        """The row of an asset in the current result, or -1."""
        seq = store.seq_of(self.ctx.registry.read(), asset_id) if asset_id else None
        try:
            return -1 if seq is None else self._keys.index(seq)
        except ValueError:
            return -1

    def retranslate(self) -> None:
        """After a language switch: titles, and the type and status names already on fetched pages."""
        self.invalidate()
        self.headerDataChanged.emit(_HORIZONTAL, 0, len(COLUMNS) - 1)

    def invalidate(self) -> None:
        """Forget cached pages (rows changed); visible rows are fetched again at the next paint."""
        self._pages.clear()
        if self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, len(COLUMNS) - 1))

    # -- the background key query --------------------------------------------------------------------------------
    def set_query(self, text: str | None = None, filters: Filters | None = None) -> None:
        changed = False
        if text is not None and text.strip() != self.text:
            self.text, changed = text.strip(), True
        if filters is not None and filters != self.filters:
            self.filters, changed = filters, True
        if changed:
            self.run_query()

    def refresh(self) -> None:
        """Run the current query again; rows that stay keep their selection and the scroll position is kept."""
        self._refresh_timer.stop()
        self.run_query(keep_layout=True)

    def run_query(self, keep_layout: bool = False) -> None:
        self._generation += 1
        generation = self._generation
        if self._stop is not None:
            self._stop.set()  # interrupts the superseded query inside SQLite (the runner drops its result too)
        stop = self._stop = threading.Event()
        registry, args = self.ctx.registry, (self.text, self.filters, self.sort_key, self.descending)
        task_holder: list = []  # the runner's Task, for a cancel from outside (the status bar's cancel button)

        def cancelled() -> bool:
            return stop.is_set() or bool(task_holder and task_holder[0].cancelled)

        def query():
            started = time.perf_counter()
            keys = store.matching_seqs(registry.read(), *args, cancelled=cancelled)  # this pool thread's conn
            if keys is None:
                raise Cancelled()
            return generation, keys, (time.perf_counter() - started) * 1000, keep_layout

        self.busy = True
        self.query_started.emit()
        if not keep_layout and not self._keys and self.sort_key == "seq":
            self._run_preview(generation, registry, args, cancelled)
        # No label: the status bar lists only labelled (long) jobs, and the browser shows its own busy state.
        task = self.ctx.tasks.run(query, on_done=self._on_keys, on_error=lambda e: self._on_error(generation, e),
                                  key=self.query_key)
        task_holder.append(task)
        task.finished.connect(lambda: self._on_task_finished(generation, task.state))
        if task.state == "cancelled":  # finished before the connection (or run inline by a synchronous runner)
            self._on_task_finished(generation, task.state)

    def _run_preview(self, generation: int, registry, args: tuple, cancelled) -> None:
        """The first page alone, in registry order (it stops after a page), while the whole list is computed: an
        empty table (the first start on a million assets) shows rows at once. Submitted first: pool order."""
        def first_page():
            keys = store.matching_seqs(registry.read(), *args, cancelled=cancelled, limit=self.page_size)
            if keys is None:
                raise Cancelled()
            return keys

        def show(keys) -> None:
            if shiboken6.isValid(self) and generation == self._generation and self.busy and not self._keys and keys:
                self.beginResetModel()
                self._keys, self._pages = keys, OrderedDict()
                self.endResetModel()

        self.ctx.tasks.run(first_page, on_done=show, on_error=lambda e: None, key=self.query_key + "-preview")

    def _on_task_finished(self, generation: int, state: str) -> None:
        if not shiboken6.isValid(self):
            return  # the browser was closed while its query ran (its task is cancelled as it closes)
        if state == "cancelled" and generation == self._generation and self.busy:
            self.busy = False  # cancelled by the user, not superseded: the previous result stays
            self.query_cancelled.emit()

    def _on_keys(self, result) -> None:
        generation, keys, elapsed_ms, keep_layout = result
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # superseded, or the browser was closed meanwhile
        self.busy = False
        if keys == self._keys:
            self.invalidate()
        elif keep_layout:
            self._swap_keeping_layout(keys)
        else:
            self.beginResetModel()
            self._keys, self._pages = keys, OrderedDict()
            self.endResetModel()
        self.query_finished.emit(len(keys), elapsed_ms)

    def _swap_keeping_layout(self, keys: array) -> None:
        """Replace the keys but move persistent indexes (selection, current row) with their assets."""
        self.layoutAboutToBeChanged.emit()
        old_indexes = self.persistentIndexList()
        new_rows: dict[int, int] = {}
        for seq in {self._keys[i.row()] for i in old_indexes if 0 <= i.row() < len(self._keys)}:
            try:
                new_rows[seq] = keys.index(seq)
            except ValueError:
                new_rows[seq] = -1
        rows = [new_rows.get(self._keys[i.row()], -1) if 0 <= i.row() < len(self._keys) else -1 for i in old_indexes]
        self._keys, self._pages = keys, OrderedDict()
        new_indexes = [self.index(row, i.column()) if row >= 0 else QModelIndex() for row, i in zip(rows, old_indexes)]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def _on_error(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.busy = False
        log.error("registry query failed", exc_info=error)
        self.query_failed.emit(str(error))

    def _on_registry_changed(self, changed) -> None:
        if changed.touches("assets"):
            self.invalidate()
            self._refresh_timer.start()
