"""What the report menu items do: ask the few choices, generate in a background task, preview the result."""

from __future__ import annotations

import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QInputDialog,
                               QLineEdit, QProgressDialog, QRadioButton)

from nibi_desk.gui.reports.preview import PreviewDialog



def report_options(ctx):
    """ReportOptions from the user's settings (issuing unit, header, document number prefix)."""
    from nibi_desk.reports.furniture import ReportOptions

    settings = getattr(ctx, "settings", None)

    def get(name: str, default: str) -> str:
        try:
            return settings.get(name) if settings is not None else default
        except Exception:  # an unknown option in an older settings file: use the default
            return default

    return ReportOptions(issuing_unit=get("report_issuing_unit", ""), header=get("report_header", ""),
                         doc_prefix=get("report_doc_prefix", "NIBI") or "NIBI",
                         author=getattr(getattr(ctx, "user", None), "display_name", "") or "")


def _temp_pdf(stem: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="nibi-report-"))
    return folder / f"{stem}.pdf"


def generate_then_preview(ctx, parent, title: str, make: Callable[[Path, Callable, Callable], object],
                          stem: str = "report", on_preview: Callable[[PreviewDialog], None] | None = None):
    """Run ``make(path, progress, cancelled)`` in the background with a progress dialog (Cancel stops it between
    documents), then show the PDF. Returns the task."""
    path = _temp_pdf(stem)
    cancel = threading.Event()
    dialog = QProgressDialog(QCoreApplication.translate("Reports", "Generating {title}…").format(title=title),
                             QCoreApplication.translate("Reports", "Cancel"), 0, 0, parent)
    dialog.setMinimumDuration(400)
    dialog.canceled.connect(cancel.set)

    def show_progress(done: int, total: int, label: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"{title}\n{label}")

    def work(progress):  # progress() is the task runner's: it reaches show_progress on the main thread
        return make(path, progress, cancel.is_set)

    def done(_result):
        dialog.reset()
        preview = PreviewDialog(path, title, parent, suggested_name=f"{stem}.pdf")
        if on_preview is not None:
            on_preview(preview)
        else:
            preview.show()

    def failed(error):
        dialog.reset()
        from nibi_desk.reports.furniture import ReportCancelled

        if isinstance(error, ReportCancelled):
            return
        message = error.message() if hasattr(error, "message") else str(error)
        ctx.interaction.error(QCoreApplication.translate("Reports", "The document cannot be made"), message)

    return ctx.tasks.run(work, on_done=done, on_error=failed, on_progress=show_progress, progress_kwarg="progress",
                         label=title)


def open_report_for_inspection(ctx, parent, inspection_id: str, on_preview=None):
    from nibi_desk.reports.inspection import write_inspection_report

    options = report_options(ctx)
    return generate_then_preview(ctx, parent, QCoreApplication.translate("Reports", "Inspection report"),
                                 lambda path, progress, cancelled: write_inspection_report(
                                     ctx.registry, inspection_id, path, options), "inspection", on_preview)


def open_notice(ctx, parent, defect_id: str, on_preview=None):
    from nibi_desk.reports.notice import write_closure, write_notice

    options = report_options(ctx)
    status = ctx.registry.read().execute("SELECT status FROM defects WHERE id = ?", (defect_id,)).fetchone()
    if status and status[0] == "closed":
        return generate_then_preview(ctx, parent, QCoreApplication.translate("Reports", "Rectification closure record"),
                                     lambda path, progress, cancelled: write_closure(ctx.registry, defect_id, path,
                                                                                     options), "closure", on_preview)
    return generate_then_preview(ctx, parent, QCoreApplication.translate("Reports", "Rectification notice"),
                                 lambda path, progress, cancelled: write_notice(ctx.registry, defect_id, path,
                                                                                options), "notice", on_preview)


def open_summary(ctx, parent, period: str | None = None, on_preview=None):
    from nibi_desk.reports.summary import write_summary

    if period is None:
        year = date.today().year
        choices = [str(year), f"{year}-H{1 if date.today().month <= 6 else 2}",
                   f"{year}-Q{(date.today().month - 1) // 3 + 1}", date.today().strftime("%Y-%m"), str(year - 1)]
        period, ok = QInputDialog.getItem(
            parent, QCoreApplication.translate("Reports", "Period summary"),
            QCoreApplication.translate("Reports", "Period (2026, 2026-H2, 2026-Q3, 2026-05):"), choices, 0, True)
        if not ok or not period.strip():
            return None
    options = report_options(ctx)
    return generate_then_preview(ctx, parent, QCoreApplication.translate("Reports", "Period summary"),
                                 lambda path, progress, cancelled: write_summary(ctx.registry, period.strip(), path,
                                                                                 options), f"summary-{period}",
                                 on_preview)


def open_tags(ctx, parent, asset_ids, layout: str | None = None, on_preview=None):
    from nibi_desk.i18n import _
    from nibi_desk.reports.tags import DEFAULT_LAYOUT, LAYOUTS, write_tags

    ids = list(asset_ids)
    if layout is None:
        titles = [_(l.title) for l in LAYOUTS.values()]
        keys = list(LAYOUTS)
        chosen, ok = QInputDialog.getItem(parent, QCoreApplication.translate("Reports", "Asset tags"),
                                          QCoreApplication.translate("Reports", "Label sheet:"), titles,
                                          keys.index(DEFAULT_LAYOUT), False)
        if not ok:
            return None
        layout = keys[titles.index(chosen)]
    options = report_options(ctx)

    def make(path, progress, cancelled):
        return write_tags(ctx.registry, path, ids, layout=layout, options=options,
                          progress=lambda n: progress(n, len(ids), ""), cancelled=cancelled)

    return generate_then_preview(ctx, parent, QCoreApplication.translate("Reports", "Asset tags"), make, "tags",
                                 on_preview)


class BatchDialog(QDialog):
    """Choose the inspections (plan, township, period) and one PDF or one file each."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Reports", "Batch of inspection reports"))
        conn = ctx.registry.read()
        self.plan = QComboBox(self)
        self.plan.addItem(QCoreApplication.translate("Reports", "Any plan"), None)
        for row in conn.execute("SELECT id, name FROM plans WHERE deleted = 0 ORDER BY start_date DESC"):
            self.plan.addItem(row[1], row[0])
        self.township = QComboBox(self)
        self.township.addItem(QCoreApplication.translate("Reports", "Any township"), None)
        for row in conn.execute("SELECT code, name FROM divisions WHERE level = 'township' AND county = ? "
                                "ORDER BY code", (ctx.registry.county,)):
            self.township.addItem(row[1], row[0])
        self.start = QLineEdit(self)
        self.start.setPlaceholderText("YYYY-MM-DD")
        self.end = QLineEdit(self)
        self.end.setPlaceholderText("YYYY-MM-DD")
        self.one_file = QRadioButton(QCoreApplication.translate("Reports", "One PDF with a bookmark per asset"), self)
        self.one_file.setChecked(True)
        self.separate = QRadioButton(QCoreApplication.translate("Reports", "One PDF per inspection, in a folder"), self)
        form = QFormLayout(self)
        form.addRow(QCoreApplication.translate("Reports", "Plan"), self.plan)
        form.addRow(QCoreApplication.translate("Reports", "Township"), self.township)
        form.addRow(QCoreApplication.translate("Reports", "Submitted from"), self.start)
        form.addRow(QCoreApplication.translate("Reports", "Submitted to"), self.end)
        form.addRow(self.one_file)
        form.addRow(self.separate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def selection(self) -> dict:
        return {"plan": self.plan.currentData(), "township": self.township.currentData(),
                "start": self.start.text().strip() or None, "end": self.end.text().strip() or None}


def open_batch_reports(ctx, parent, selection: dict | None = None, separate: bool | None = None,
                       folder: str | None = None, on_preview=None):
    from nibi_desk.reports import batch

    if selection is None:
        dialog = BatchDialog(ctx, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        selection, separate = dialog.selection(), dialog.separate.isChecked()
    try:
        rows = batch.select(ctx.registry, **selection)
    except Exception as e:  # nothing matches: say so instead of making an empty file
        ctx.interaction.error(QCoreApplication.translate("Reports", "The document cannot be made"),
                              e.message() if hasattr(e, "message") else str(e))
        return None
    options = report_options(ctx)
    if separate:
        folder = folder or QFileDialog.getExistingDirectory(
            parent, QCoreApplication.translate("Reports", "Folder for the reports"))
        if not folder:
            return None

        def make_files(path, progress, cancelled):
            return batch.write_batch(ctx.registry, folder, rows, options, True, progress, cancelled)

        def done(result):
            written = QCoreApplication.translate("Reports", "{n} files in {folder}")
            ctx.interaction.info(QCoreApplication.translate("Reports", "Reports written"),
                                 written.format(n=len(result.files), folder=folder))

        cancel = threading.Event()
        title = QCoreApplication.translate("Reports", "Batch of inspection reports")
        dialog = QProgressDialog(QCoreApplication.translate("Reports", "Generating {title}…").format(title=title),
                                 QCoreApplication.translate("Reports", "Cancel"), 0, len(rows), parent)
        dialog.canceled.connect(cancel.set)
        return ctx.tasks.run(lambda progress: make_files(None, progress, cancel.is_set),
                             on_done=lambda r: (dialog.reset(), done(r)), label=title,
                             on_progress=lambda d, t, label: dialog.setValue(d), progress_kwarg="progress")
    return generate_then_preview(ctx, parent, QCoreApplication.translate("Reports", "Batch of inspection reports"),
                                 lambda path, progress, cancelled: batch.write_batch(
                                     ctx.registry, path, rows, options, False, progress, cancelled),
                                 "inspections", on_preview)
