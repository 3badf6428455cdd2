"""The export dialog: format, filters (type, township, current view), file; runs as a task with progress and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, \
    QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget

from nibi_desk.domain import asset_types
from nibi_desk.gui.interaction import show_error
from nibi_desk.interop import export
from nibi_desk.storage import divisions
from nibi_desk.storage.assets import Filters

SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "geojson": ".geojson", "kml": ".kml", "gpkg": ".gpkg"}


class ExportDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None, filters: Filters | None = None,
                 bbox: tuple[float, float, float, float] | None = None):
        super().__init__(parent)
        self.ctx, self.bbox, self.task, self.result = ctx, bbox, None, None
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export assets"))
        filters = filters or Filters()
        conn = ctx.registry.read()

        self.format_combo = QComboBox()
        self.format_combo.setObjectName("format")
        for key, title in (("xlsx", self.tr("Excel workbook (.xlsx), one sheet per type")),
                           ("csv", self.tr("CSV (.csv, UTF-8 for Excel)")),
                           ("geojson", self.tr("GeoJSON (.geojson)")),
                           ("kml", self.tr("KML for desktop globes (.kml)")),
                           ("gpkg", self.tr("GeoPackage for QGIS (.gpkg)"))):
            self.format_combo.addItem(title, key)
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("type")
        self.type_combo.addItem(self.tr("All types"), None)
        for code, t in asset_types.load(conn).items():
            self.type_combo.addItem(t.title(), code)
        if filters.types and len(filters.types) == 1:
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(filters.types[0])))
        self.township_combo = QComboBox()
        self.township_combo.setObjectName("township")
        self.township_combo.addItem(self.tr("All townships"), None)
        for township in divisions.townships(conn, ctx.registry.county):
            self.township_combo.addItem(township["name"], township["code"])
        if filters.township:
            self.township_combo.setCurrentIndex(
                max(0, self.township_combo.findData(filters.township[:9] + "000")))
        self.base_filters = filters
        self.view_check = QCheckBox(self.tr("Only the current map view"))
        self.view_check.setObjectName("currentView")
        self.view_check.setEnabled(bbox is not None)
        self.view_check.setChecked(bbox is not None)
        self.srs_combo = QComboBox()
        self.srs_combo.setObjectName("srs")
        self.srs_combo.addItem(self.tr("EPSG:4326 (WGS 84)"), 4326)
        self.srs_combo.addItem(self.tr("EPSG:4490 (CGCS2000)"), 4490)
        self.path_edit = QLineEdit(str(Path.home() / f"nibi-{ctx.registry.county}.xlsx"))
        self.path_edit.setObjectName("path")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.AcceptRole)
        self.stop_button = self.buttons.addButton(self.tr("Stop"), QDialogButtonBox.ActionRole)
        self.stop_button.setEnabled(False)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.stop_button.clicked.connect(self.stop)

        form = QFormLayout()
        form.addRow(self.tr("Format:"), self.format_combo)
        form.addRow(self.tr("Type:"), self.type_combo)
        form.addRow(self.tr("Township:"), self.township_combo)
        form.addRow("", self.view_check)
        form.addRow(self.tr("Spatial reference:"), self.srs_combo)
        form.addRow(self.tr("File:"), path_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self._format_changed()
        self.resize(560, 320)

    def fmt(self) -> str:
        return self.format_combo.currentData()

    def _format_changed(self) -> None:
        self.srs_combo.setEnabled(self.fmt() == "gpkg")
        path = Path(self.path_edit.text().strip() or "nibi")
        self.path_edit.setText(str(path.with_suffix(SUFFIXES[self.fmt()])))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Export to"), self.path_edit.text(),
                                                    f"*{SUFFIXES[self.fmt()]}")
        if path:
            self.path_edit.setText(path)

    def selection(self) -> export.Selection:
        type_code = self.type_combo.currentData()
        filters = Filters(types=(type_code,) if type_code else None, township=self.township_combo.currentData(),
                          status=self.base_filters.status, operator=self.base_filters.operator)
        return export.Selection(filters, self.bbox if self.view_check.isChecked() else None)

    def start(self) -> None:
        path = self.path_edit.text().strip()
        if not path:
            return
        self.result = None
        self._busy(True)
        self.status.setText(self.tr("Exporting…"))
        self.task = self.ctx.tasks.run(export.export_steps, self.ctx.registry, self.fmt(), path, self.selection(),
                                       self.srs_combo.currentData(), on_done=self._done, on_error=self._failed,
                                       on_progress=self._progress, label=self.tr("Exporting assets"))
        self.task.finished.connect(self._finished)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.progress.setRange(0, 0 if busy else 1)

    def _progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, result: export.Exported) -> None:
        self.result = result
        text = self.tr("Exported {count} assets to {path}").format(count=result.count, path=result.path)
        if result.without_location:
            text += "\n" + self.tr("{n} assets without a location are not in the file.").format(
                n=result.without_location)
        self.status.setText(text)
        self._busy(False)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("Nothing was exported."))
        self._busy(False)
        show_error(self.ctx.interaction, error)

    def _finished(self) -> None:
        if self.result is None and self.task is not None and self.task.state == "cancelled":
            self.status.setText(self.tr("Stopped: no file was written."))
        self.task = None
        self._busy(False)

    def done(self, result: int) -> None:
        self.stop()
        super().done(result)
