"""The status bar: registry file, county, asset counts, and a progress area for background jobs with cancel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from nibi_desk.storage import assets


class TaskWidget(QWidget):
    """One running job: its label, a progress bar, and a cancel button."""

    def __init__(self, task, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(task.label)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.cancel = QToolButton()
        self.cancel.setText("✕")
        self.cancel.setToolTip(QCoreApplication.translate("StatusBar", "Cancel"))
        self.cancel.setEnabled(task.cancellable)
        self.cancel.clicked.connect(task.cancel)
        for w in (self.label, self.bar, self.cancel):
            layout.addWidget(w)
        task.progress.connect(self.on_progress)

    def on_progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if label:
            self.label.setText(label)


class StatusBar(QStatusBar):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.registry_label = QLabel()
        self.counts_label = QLabel()
        self.addWidget(self.registry_label)
        self.addWidget(self.counts_label)
        self.tasks_area = QWidget()
        self.tasks_layout = QHBoxLayout(self.tasks_area)
        self.tasks_layout.setContentsMargins(0, 0, 0, 0)
        self.addPermanentWidget(self.tasks_area)
        self._task_widgets: dict[int, TaskWidget] = {}
        ctx.tasks.task_started.connect(self.on_task_started)
        ctx.tasks.task_finished.connect(self.on_task_finished)
        ctx.notifier.registry_changed.connect(lambda changed: self.refresh_counts() if changed.touches("assets")
                                              else None)
        self.retranslate()
        self.refresh_counts()

    def retranslate(self) -> None:
        registry = self.ctx.registry
        self.registry_label.setText(
            QCoreApplication.translate("StatusBar", "Registry: {file}  ·  {county} ({code})").format(
                file=registry.path.name, county=registry.county_name, code=registry.county))
        self.registry_label.setToolTip(str(registry.path))
        self.refresh_counts()

    def refresh_counts(self) -> None:
        def counts(registry):
            by_type = assets.counts_by_type(registry.read())
            return sum(by_type.values()), by_type

        self.ctx.tasks.run(counts, self.ctx.registry, key="status-counts", on_done=self._show_counts)

    def _show_counts(self, result) -> None:
        total, by_type = result
        from nibi_desk.domain import asset_types

        names = {code: t.title() for code, t in asset_types.load(self.ctx.registry.read()).items()}
        parts = [f"{names.get(code, code)} {n:,}" for code, n in sorted(by_type.items())]
        self.counts_label.setText(QCoreApplication.translate("StatusBar", "{total} assets").format(total=f"{total:,}") +
                                  (f"  ({', '.join(parts)})" if parts else ""))

    def on_task_started(self, task) -> None:
        if not task.label:  # quick internal queries (counts, search) do not clutter the status bar
            return
        widget = TaskWidget(task)
        self._task_widgets[task.id] = widget
        self.tasks_layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignRight)

    def on_task_finished(self, task) -> None:
        widget = self._task_widgets.pop(task.id, None)
        if widget is not None:
            widget.deleteLater()
