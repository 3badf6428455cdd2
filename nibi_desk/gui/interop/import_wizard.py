"""The ledger import wizard: file → sheet and header row → column mapping → type and CRS → preview → import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, \
    QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QWizard, QWizardPage

from nibi_desk.domain import asset_types
from nibi_desk.gui.interaction import show_error
from nibi_desk.interop import ledger, mapping, readers

PREVIEW_ROWS = 60


def load_preview(path: str, sheet: str | None) -> readers.Table:
    """Worker part of the sheet page: the first rows of a sheet (and the workbook's sheet names)."""
    return readers.read_table(path, sheet, limit=PREVIEW_ROWS)


class ImportWizard(QWizard):
    """Each page keeps its choices in widgets; ``options()`` gathers them for the core's plan and apply."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import a ledger"))
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setOption(QWizard.NoBackButtonOnLastPage, True)
        self.types = asset_types.load(ctx.registry.read())
        self.table: readers.Table | None = None      # the preview rows of the chosen sheet
        self.suggested: mapping.Mapping | None = None
        self.plan: ledger.Plan | None = None
        self.result: ledger.Result | None = None
        self.tasks: list = []
        from nibi_desk.gui.interop.import_pages import LedgerApplyPage, LedgerMappingPage, LedgerPreviewPage, \
            LedgerTypePage

        self.file_page, self.sheet_page = LedgerFilePage(self), LedgerSheetPage(self)
        self.mapping_page, self.type_page = LedgerMappingPage(self), LedgerTypePage(self)
        self.preview_page, self.apply_page = LedgerPreviewPage(self), LedgerApplyPage(self)
        for page in (self.file_page, self.sheet_page, self.mapping_page, self.type_page, self.preview_page,
                     self.apply_page):
            self.addPage(page)
        self.setButtonText(QWizard.CommitButton, self.tr("Import"))
        self.resize(900, 620)

    def path(self) -> str:
        return self.file_page.path_edit.text().strip()

    def run(self, fn, *args, **kwargs):
        """Run work through the context's task runner, remembering the task so that closing cancels it."""
        task = self.ctx.tasks.run(fn, *args, **kwargs)
        self.tasks.append(task)
        task.finished.connect(lambda: self.tasks.remove(task) if task in self.tasks else None)
        return task

    def failed(self, error: BaseException) -> None:
        show_error(self.ctx.interaction, error)

    def options(self) -> ledger.Options:
        assignments, constants = self.mapping_page.choices()
        type_code, type_column = self.type_page.type_choice()
        return ledger.Options(
            sheet=self.sheet_page.sheet(), header_row=self.sheet_page.header_row(), type_code=type_code,
            type_column=type_column, assignments=assignments, constants=constants, crs=self.type_page.crs(),
            distance_m=self.type_page.distance(), import_nearby=self.type_page.import_nearby())

    def cancel_tasks(self) -> None:
        for task in list(self.tasks):
            task.cancel()

    def done(self, result: int) -> None:
        self.cancel_tasks()
        super().done(result)


class LedgerFilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Ledger file"))
        self.setSubTitle(self.tr("An Excel workbook (.xlsx, .xls) or a CSV file in UTF-8 or GB18030; OpenCelliD cell "
                                 "exports are recognised."))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("ledgerPath")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.path_edit.textChanged.connect(self._changed)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a ledger"), str(Path(self.path_edit.text()).parent if self.path_edit.text() else ""),
            self.tr("Ledgers (*.xlsx *.xlsm *.xls *.csv *.txt *.tsv);;All files (*)"))
        if path:
            self.path_edit.setText(path)

    def _changed(self) -> None:
        path = Path(self.path_edit.text().strip())
        ok = self._usable(path)
        self.note.setText("" if ok or not self.path_edit.text().strip() else
                          self.tr("Choose an existing .xlsx, .xls or .csv file."))
        self.completeChanged.emit()

    @staticmethod
    def _usable(path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in readers.SUPPORTED

    def isComplete(self) -> bool:
        return self._usable(Path(self.path_edit.text().strip()))


class LedgerSheetPage(QWizardPage):
    """Sheet and header row, with the first rows of the sheet and the header row highlighted."""

    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Sheet and header row"))
        self.setSubTitle(self.tr("Ledgers often have a title or merged group headers above the column headers: "
                                 "choose the row that names the columns. Data starts below it."))
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheet")
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("headerRow")
        self.header_spin.setRange(1, PREVIEW_ROWS)
        self.status = QLabel()
        self.preview = QTableWidget()
        self.preview.setObjectName("sheetPreview")
        self.preview.setEditTriggers(QTableWidget.NoEditTriggers)
        form = QFormLayout()
        form.addRow(self.tr("Sheet:"), self.sheet_combo)
        form.addRow(self.tr("Header row:"), self.header_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        self._loaded_for: tuple | None = None
        self._loading = False
        self.sheet_combo.activated.connect(lambda _i: self._load(self.sheet_combo.currentText()))
        self.header_spin.valueChanged.connect(self._highlight)

    def sheet(self) -> str | None:
        return self.sheet_combo.currentText() or None

    def header_row(self) -> int:
        return self.header_spin.value()

    def initializePage(self) -> None:
        if self._loaded_for is None or self._loaded_for[0] != self.wiz.path():
            self.sheet_combo.clear()
            self._load(None)

    def _load(self, sheet: str | None) -> None:
        self._loading = True
        self.status.setText(self.tr("Reading…"))
        self.completeChanged.emit()
        path = self.wiz.path()
        self.wiz.run(load_preview, path, sheet, on_done=lambda table: self._loaded(path, table),
                     on_error=self._failed, label=self.tr("Reading the ledger"))

    def _failed(self, error: BaseException) -> None:
        self._loading = False
        self.status.setText(self.tr("The file cannot be read."))
        self.wiz.failed(error)

    def _loaded(self, path: str, table: readers.Table) -> None:
        self._loading = False
        self._loaded_for = (path, table.sheet)
        self.wiz.table = table
        if self.sheet_combo.count() != len(table.sheets):
            self.sheet_combo.clear()
            self.sheet_combo.addItems(table.sheets)
        self.sheet_combo.setCurrentText(table.sheet)
        suggested = mapping.suggest(table.rows, self.wiz.types, None, table.layout) if table.rows else None
        self.preview.clear()
        self.preview.setRowCount(len(table.rows))
        self.preview.setColumnCount(table.width)
        self.preview.setHorizontalHeaderLabels([mapping.column_letter(i) for i in range(table.width)])
        for r, row in enumerate(table.rows):
            for c, value in enumerate(row):
                if value is not None:
                    self.preview.setItem(r, c, QTableWidgetItem(str(value)))
        self.header_spin.setValue(suggested.header_row if suggested else 1)
        layout = self.tr("OpenCelliD cell export") if table.layout == "opencellid" else ""
        encoding = table.encoding or ""
        self.status.setText(" · ".join(filter(None, [table.file, table.sheet, layout, encoding])))
        self._highlight()
        self.completeChanged.emit()

    def _highlight(self) -> None:
        header = self.header_spin.value() - 1
        bold = QFont()
        bold.setBold(True)
        for r in range(self.preview.rowCount()):
            for c in range(self.preview.columnCount()):
                item = self.preview.item(r, c)
                if item is None:
                    continue
                item.setFont(bold if r == header else QFont())
                item.setBackground(QBrush(QColor("#fff2cc")) if r == header else QBrush())
                item.setForeground(QBrush(Qt.gray) if r < header else QBrush())

    def isComplete(self) -> bool:
        return not self._loading and self.wiz.table is not None and bool(self.wiz.table.rows)
