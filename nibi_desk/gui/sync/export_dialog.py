"""The bundle export dialog: kind, recipient (a delta since the last bundle sent there, or full), dispatch scope
(plan or township, optional basemap), file; runs as a task with progress and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, \
    QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget

from nibi_desk.gui.interaction import show_error
from nibi_desk.inspection import plans as plan_rows
from nibi_desk.storage import divisions
from nibi_desk.sync import export, peers


class BundleExportDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.task, self.result = ctx, None, None
        self.setObjectName("bundleExportDialog")
        self.setWindowTitle(self.tr("Export a bundle"))
        conn = ctx.registry.read()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind")
        for key, title in (("dispatch", self.tr("Dispatch: a plan or township for an inspector")),
                           ("return", self.tr("Return: inspection results for the office")),
                           ("rollup", self.tr("Rollup: the whole county for the city")),
                           ("backup", self.tr("Backup: everything, to restore later"))):
            self.kind_combo.addItem(title, key)
        self.peer_combo = QComboBox()
        self.peer_combo.setObjectName("recipient")
        self.peer_combo.addItem(self.tr("Anyone (full bundle)"), None)
        for d in peers.list_devices(conn, include_revoked=False):
            self.peer_combo.addItem(d["name"], d["device"])
        self.full_check = QCheckBox(self.tr("Everything, not only what changed since the last bundle sent there"))
        self.full_check.setObjectName("full")
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("plan")
        self.plan_combo.addItem(self.tr("(no plan)"), None)
        for p in plan_rows.list_plans(conn):
            self.plan_combo.addItem(p["name"], p["id"])
        self.township_combo = QComboBox()
        self.township_combo.setObjectName("township")
        self.township_combo.addItem(self.tr("(no township)"), None)
        for t in divisions.townships(conn, ctx.registry.county):
            self.township_combo.addItem(t["name"], t["code"])
        self.basemap_edit = QLineEdit()
        self.basemap_edit.setObjectName("basemap")
        self.basemap_edit.setPlaceholderText(self.tr("optional MBTiles file"))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("bundlePath")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Kind:"), self.kind_combo)
        form.addRow(self.tr("For device:"), self.peer_combo)
        form.addRow("", self.full_check)
        form.addRow(self.tr("Plan:"), self.plan_combo)
        form.addRow(self.tr("Township:"), self.township_combo)
        form.addRow(self.tr("Basemap:"), self.basemap_edit)
        form.addRow(self.tr("File:"), row)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel export"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.export_button, QDialogButtonBox.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        ctx.tasks.task_finished.connect(self._finished)  # on the main thread, whatever the task's outcome
        self.resize(620, 360)

    def kind(self) -> str:
        return self.kind_combo.currentData()

    def _kind_changed(self) -> None:
        dispatch = self.kind() == "dispatch"
        for widget in (self.plan_combo, self.township_combo, self.basemap_edit):
            widget.setEnabled(dispatch)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the bundle"), self.path_edit.text(),
                                                    self.tr("NIBI bundles (*.nibx)"))
        if path:
            self.path_edit.setText(path)

    def options(self) -> dict:
        dispatch = self.kind() == "dispatch"
        plan = self.plan_combo.currentData() if dispatch else None
        basemap = self.basemap_edit.text().strip() if dispatch else ""
        return {"to": self.peer_combo.currentData(), "full": self.full_check.isChecked(),
                "plans": (plan,) if plan else (), "township": self.township_combo.currentData() if dispatch else None,
                "basemap": Path(basemap) if basemap else None}

    def start(self) -> None:
        path = self.path_edit.text().strip()
        if not path:
            self.status.setText(self.tr("Choose the file to write."))
            return
        self.result = None
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Writing the bundle…"))
        self.task = self.ctx.tasks.run(export.iter_export, self.ctx, Path(path), self.kind(), **self.options(),
                                       on_done=self._done, on_error=self._failed, on_progress=self._progress,
                                       label=self.tr("Export a bundle"))

    def _progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, result) -> None:
        self.result = result
        records = sum(v for k, v in result.counts.items() if k != "photo_files")
        self.status.setText(self.tr("Wrote {0}: {1} records, {2} photos, {3} bytes.").format(
            result.path.name, records, result.counts.get("photo_files", 0), result.size)
            + ("" if result.since is None else " " + self.tr("Only changes since the last bundle sent there.")))

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("The export failed; no bundle was written."))
        show_error(self.ctx.interaction, error)

    def _finished(self, task) -> None:
        if task is not self.task:
            return
        if task.state == "cancelled":
            self.status.setText(self.tr("Cancelled; no bundle was written."))
        self.task = None
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def done(self, result: int) -> None:
        self.cancel()
        try:
            self.ctx.tasks.task_finished.disconnect(self._finished)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
