"""Pages of the import wizard after the sheet: column mapping, type and CRS, the dry-run preview, the import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QButtonGroup, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, \
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QRadioButton, QTableWidget, \
    QTableWidgetItem, QVBoxLayout, QWizardPage

from nibi_desk.errors import field_title
from nibi_desk.interop import ledger, mapping

CRS_KEYS = ("WGS84", "GCJ02", "BD09")
MAX_SHOWN = 2000  # rows listed in the preview table (the counts cover every row)


class LedgerMappingPage(QWizardPage):
    """One line per column of the file: its header, sample values and the field it goes to."""

    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Columns"))
        self.setSubTitle(self.tr("Suggested from the headers; change any column's field, or leave it out."))
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("columnMapping")
        self.table.setHorizontalHeaderLabels([self.tr("Column"), self.tr("Sample values"), self.tr("Field")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.constants = QLineEdit()
        self.constants.setObjectName("constants")
        self.constants.setPlaceholderText(self.tr("FIELD=VALUE; … (the same value on every row)"))
        form = QFormLayout()
        form.addRow(self.tr("Same value for every row:"), self.constants)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        self.combos: list[QComboBox] = []

    def fields(self) -> list[tuple[str, str]]:
        titles = {"village": self.tr("village / community"), "lonlat": self.tr("longitude and latitude")}
        out = [(name, titles.get(name) or field_title(name)) for name in mapping.COMMON]
        for asset_type in self.wiz.types.values():
            for a in asset_type.attributes:
                out.append((f"attrs.{a.key}", f"{a.title()} ({asset_type.title()})"))
        return out

    def initializePage(self) -> None:
        table = self.wiz.table
        suggested = mapping.suggest(table.rows, self.wiz.types, self.wiz.sheet_page.header_row(), table.layout)
        self.wiz.suggested = suggested
        by_column = {col: name for name, col in suggested.columns.items()}
        self.table.setRowCount(len(suggested.headers))
        self.combos = []
        fields = self.fields()
        for col, header in enumerate(suggested.headers):
            self.table.setItem(col, 0, QTableWidgetItem(f"{mapping.column_letter(col)}  {header}"))
            samples = [str(r[col]) for r in table.rows[suggested.header_row:] if col < len(r) and r[col] is not None]
            self.table.setItem(col, 1, QTableWidgetItem(" | ".join(samples[:4])))
            combo = QComboBox()
            combo.addItem(self.tr("(not imported)"), None)
            for name, title in fields:
                combo.addItem(title, name)
            if col in by_column:
                combo.setCurrentIndex(combo.findData(by_column[col]))
            self.table.setCellWidget(col, 2, combo)
            self.combos.append(combo)
        self.table.resizeColumnToContents(0)
        self.constants.setText("; ".join(f"{k.removeprefix('attrs.')}={v}" for k, v in suggested.constants.items()))

    def choices(self) -> tuple[dict[str, str], dict[str, str]]:
        """(FIELD -> column number, FIELD -> constant) as the core's Options take them."""
        assignments: dict[str, str] = {}
        suggested = self.wiz.suggested
        chosen = {combo.currentData(): str(col + 1) for col, combo in enumerate(self.combos) if combo.currentData()}
        for name in set(suggested.columns) | set(chosen):
            assignments[name] = chosen.get(name, "")
        constants = {}
        for part in self.constants.text().replace("；", ";").split(";"):
            key, sep, value = part.partition("=")
            if sep and key.strip():
                constants[key.strip()] = value.strip()
        return assignments, constants


class LedgerTypePage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Type and coordinates"))
        self.setSubTitle(self.tr("Which kind of asset the rows are, and the coordinate system of the file."))
        self.fixed = QRadioButton(self.tr("Every row is a"))
        self.by_column = QRadioButton(self.tr("The type is in the column"))
        group = QButtonGroup(self)
        group.addButton(self.fixed)
        group.addButton(self.by_column)
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("assetType")
        for code, t in wizard.types.items():
            self.type_combo.addItem(t.title(), code)
        self.column_combo = QComboBox()
        self.column_combo.setObjectName("typeColumn")
        self.crs_combo = QComboBox()
        self.crs_combo.setObjectName("crs")
        for key, title in zip(CRS_KEYS, (self.tr("WGS-84 / CGCS2000 (GPS, national maps)"),
                                         self.tr("GCJ-02 (AMap, Tencent)"), self.tr("BD-09 (Baidu)"))):
            self.crs_combo.addItem(title, key)
        self.distance_spin = QDoubleSpinBox()
        self.distance_spin.setObjectName("duplicateDistance")
        self.distance_spin.setRange(0, 1000)
        self.distance_spin.setValue(20)
        self.distance_spin.setSuffix(" m")
        self.nearby = QCheckBox(self.tr("Import possible duplicates too (several devices on one pole)"))
        self.nearby.setObjectName("importNearby")
        form = QFormLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.fixed)
        row.addWidget(self.type_combo, 1)
        form.addRow(row)
        row = QHBoxLayout()
        row.addWidget(self.by_column)
        row.addWidget(self.column_combo, 1)
        form.addRow(row)
        form.addRow(self.tr("Coordinate system:"), self.crs_combo)
        form.addRow(self.tr("Possible duplicate within:"), self.distance_spin)
        form.addRow(self.nearby)
        self.fixed.setChecked(True)

    def initializePage(self) -> None:
        headers = self.wiz.suggested.headers
        self.column_combo.clear()
        for col, header in enumerate(headers):
            self.column_combo.addItem(f"{mapping.column_letter(col)}  {header}", str(col + 1))
        assignments, _constants = self.wiz.mapping_page.choices()
        type_col = assignments.get("type")
        if type_col:
            self.by_column.setChecked(True)
            self.column_combo.setCurrentIndex(self.column_combo.findData(type_col))

    def type_choice(self) -> tuple[str | None, str | None]:
        if self.fixed.isChecked():
            return self.type_combo.currentData(), None
        return None, self.column_combo.currentData()

    def crs(self) -> str:
        return self.crs_combo.currentData()

    def distance(self) -> float:
        return self.distance_spin.value()

    def import_nearby(self) -> bool:
        return self.nearby.isChecked()


class LedgerPreviewPage(QWizardPage):
    """The dry run: what would happen to every row, and how to import."""

    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Preview"))
        self.setSubTitle(self.tr("Nothing has been written yet. Rows with errors and possible duplicates are listed "
                                 "with their reasons."))
        self.setCommitPage(True)
        self.progress = QProgressBar()
        self.counts = QLabel()
        self.counts.setObjectName("previewCounts")
        self.counts.setWordWrap(True)
        self.rows = QTableWidget(0, 5)
        self.rows.setObjectName("previewRows")
        self.rows.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Outcome"), self.tr("Code"), self.tr("Name"),
                                             self.tr("Reasons")])
        self.rows.horizontalHeader().setSectionResizeMode(4, QHeaderView.Stretch)
        self.rows.setEditTriggers(QTableWidget.NoEditTriggers)
        self.all_or_nothing = QRadioButton(self.tr("All or nothing: import only if no row has an error"))
        self.all_or_nothing.setObjectName("allOrNothing")
        self.valid_only = QRadioButton(self.tr("Import the valid rows; write the others to an error workbook:"))
        self.valid_only.setObjectName("validOnly")
        self.all_or_nothing.setChecked(True)
        self.errors_path = QLineEdit()
        self.errors_path.setObjectName("errorsPath")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.valid_only)
        row.addWidget(self.errors_path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.counts)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.all_or_nothing)
        layout.addLayout(row)
        for button in (self.all_or_nothing, self.valid_only):
            button.toggled.connect(self.completeChanged)
        self.errors_path.textChanged.connect(self.completeChanged)

    def outcome_title(self, outcome: str) -> str:
        return {"new": self.tr("new"), "update": self.tr("update"), "unchanged": self.tr("unchanged"),
                "duplicate": self.tr("possible duplicate"), "error": self.tr("error")}[outcome]

    def initializePage(self) -> None:
        self.wiz.plan = None
        self.rows.setRowCount(0)
        self.counts.setText(self.tr("Checking every row…"))
        self.progress.setRange(0, 0)
        path = self.wiz.path()
        if not self.errors_path.text():
            self.errors_path.setText(str(ledger_error_path(path)))
        self.wiz.run(ledger.plan_steps, self.wiz.ctx.registry, path, self.wiz.options(), on_done=self._planned,
                     on_error=self._failed, on_progress=self._progress, label=self.tr("Checking the ledger"))
        self.completeChanged.emit()

    def _progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, error: BaseException) -> None:
        self.progress.setRange(0, 1)
        self.counts.setText(self.tr("The ledger cannot be imported as chosen; go back and change the choices."))
        self.wiz.failed(error)

    def _planned(self, plan: ledger.Plan) -> None:
        self.wiz.plan = plan
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        c = plan.counts()
        self.counts.setText(self.tr("{new} new, {update} to update, {unchanged} unchanged, {duplicate} possible "
                                    "duplicates, {error} with errors, {blank} blank rows").format(**c))
        shown = [r for r in plan.rows if r.outcome != "new" or r.findings][:MAX_SHOWN]
        self.rows.setRowCount(len(shown))
        for i, r in enumerate(shown):
            detail = "; ".join(r.reasons() + [str(f) for f in r.findings]
                               + [f"{field_title(k)}: {v[0]} → {v[1]}" for k, v in r.changes.items()])
            for col, value in enumerate((str(r.row), self.outcome_title(r.outcome), r.code or "", r.name or "",
                                         detail)):
                self.rows.setItem(i, col, QTableWidgetItem(value))
        self.rows.resizeColumnsToContents()
        self.completeChanged.emit()

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Error workbook"), self.errors_path.text(),
                                                    self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"))
        if path:
            self.errors_path.setText(path)

    def mode(self) -> str:
        return "valid-only" if self.valid_only.isChecked() else "all-or-nothing"

    def isComplete(self) -> bool:
        plan = self.wiz.plan
        if plan is None:
            return False
        c = plan.counts()
        if not (c["new"] or c["update"]):
            return False
        if self.mode() == "all-or-nothing":
            return c["error"] == 0
        return bool(self.errors_path.text().strip()) or not (c["error"] or c["duplicate"])


def ledger_error_path(path: str) -> Path:
    p = Path(path)
    return p.with_name(f"{p.stem}-errors.xlsx")


class LedgerApplyPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Import"))
        self.progress = QProgressBar()
        self.result = QLabel()
        self.result.setObjectName("importResult")
        self.result.setWordWrap(True)
        self.cancel = QPushButton(self.tr("Stop"))
        self.cancel.clicked.connect(self.wiz.cancel_tasks)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.cancel)
        layout.addStretch(1)
        self._done = self._failed_already = False

    def initializePage(self) -> None:
        self._done = self._failed_already = False
        self.wiz.result = None
        self.result.setText(self.tr("Importing…"))
        preview = self.wiz.preview_page
        errors = preview.errors_path.text().strip() if preview.mode() == "valid-only" else None
        plan = self.wiz.plan
        task = self.wiz.run(ledger.apply_steps, self.wiz.ctx.registry, plan, preview.mode(),
                            errors if (errors and plan.counts()["error"] + plan.counts()["duplicate"]) else None,
                            on_done=self._applied, on_error=self._failed, on_progress=self._progress,
                            label=self.tr("Importing the ledger"))
        task.finished.connect(self._finished)

    def _progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _applied(self, result: ledger.Result) -> None:
        self.wiz.result = result
        text = self.tr("Imported {inserted} new and updated {updated} assets; {unchanged} unchanged, {refused} not "
                       "imported.").format(**result.as_json())
        if result.errors_file:
            text += "\n" + self.tr("Rows not imported, with reasons: {path}").format(path=result.errors_file)
        self.result.setText(text)
        self._finished()

    def _failed(self, error: BaseException) -> None:
        self._failed_already = True
        self.result.setText(self.tr("Nothing was imported."))
        self.wiz.failed(error)
        self._finished()

    def _finished(self) -> None:
        if self.wiz.result is None and not self._failed_already:
            self.result.setText(self.tr("Stopped: nothing was imported."))
        self._done = True
        self.cancel.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._done
