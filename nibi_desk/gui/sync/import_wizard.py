"""The bundle import wizard: file → check and dry-run preview (counts, conflicts, refusals, trust) → import.

Checking and previewing run as a task (progress, cancel); nothing is written before the last page. A bundle from an
unknown or revoked device can be imported only when an office user ticks "trust this one bundle" and gives a reason.

The preview is shown as soon as the records are checked; the photos go on being staged and checked beside it (a
progress line under the summary). Import may be pressed meanwhile: the import's transaction waits for them and a bad
photo undoes it (:func:`nibi_desk.sync.apply.apply`). A photo found bad before Import is pressed makes the bundle
refused on the page, and Import stays off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar, \
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QWizard, QWizardPage

from nibi_desk.gui.interaction import show_error
from nibi_desk.gui.print_copies import prepare_imported
from nibi_desk.sync import apply
from nibi_desk.sync.format import SUFFIX

OUTCOMES = ("new", "updated", "unchanged", "conflict", "refused")


class BundleImportWizard(QWizard):
    def __init__(self, ctx, parent: QWidget | None = None, path: str | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.bundle = None
        self.plan = None       # the dry run
        self.result = None     # what the import did
        self.tasks: list = []
        self.setObjectName("bundleImportWizard")
        self.setWindowTitle(self.tr("Import a bundle"))
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setOption(QWizard.NoBackButtonOnLastPage, True)
        self.file_page, self.preview_page = BundleFilePage(self), BundlePreviewPage(self)
        self.apply_page = BundleApplyPage(self)
        for page in (self.file_page, self.preview_page, self.apply_page):
            self.addPage(page)
        self.setButtonText(QWizard.CommitButton, self.tr("Import"))
        if path:
            self.file_page.path_edit.setText(str(path))
        self.resize(900, 620)

    def run(self, fn, *args, **kwargs):
        task = self.ctx.tasks.run(fn, *args, **kwargs)
        self.tasks.append(task)
        task.finished.connect(lambda: self.tasks.remove(task) if task in self.tasks else None)
        return task

    def failed(self, error: BaseException) -> None:
        show_error(self.ctx.interaction, error)

    def close_bundle(self) -> None:
        if self.bundle is not None:
            self.bundle.close()
            self.bundle = None

    def done(self, result: int) -> None:
        for task in list(self.tasks):
            if task.cancellable:  # not the import: once it runs it ends (and reports) as it ends
                task.cancel()
        if self.bundle is not None and not self.apply_page.running:
            self.bundle.stop_files()  # the files' check ends at once (an import under way waits for them)
        self.ctx.tasks.wait_for(list(self.tasks), 10000)  # not the print copies of the import, which go on
        if not self.apply_page.running:
            self.close_bundle()
        # else an import still under way keeps its staged photos: it closes the bundle when it ends (_end), since
        # removing them now would undo it or, after its commit, leave photos out of the store
        super().done(result)


class BundleFilePage(QWizardPage):
    def __init__(self, wizard: BundleImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Bundle file"))
        self.setSubTitle(self.tr("A .nibx bundle from an inspector, the county office or the city. It is checked "
                                 "completely before anything is imported."))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("bundlePath")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addStretch(1)
        self.path_edit.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Choose a bundle"), "",
                                                    self.tr("NIBI bundles (*.nibx);;All files (*)"))
        if path:
            self.path_edit.setText(path)

    def path(self) -> Path:
        return Path(self.path_edit.text().strip())

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and self.path().is_file()


def check_and_preview(ctx, path: Path, cancel: threading.Event, progress: Callable[[int, int, str], None]):
    """Worker: open (every check but the files', which go on beside the preview) and dry-run; returns
    (bundle, plan). ``progress`` is the task runner's (it reaches the page on the main thread)."""
    bundle = apply.open_for_import(ctx, path, cancel=cancel.is_set, progress=progress, files_later=True)
    try:
        return bundle, apply.preview(ctx, bundle)
    except BaseException:
        bundle.close()
        raise


def check_files(bundle, progress: Callable[[int, int, str], None]) -> None:
    """Worker: wait until the bundle's files are staged and checked, reporting bytes done; raises what is wrong."""
    total = sum(item["size"] for item in bundle.manifest["files"] if not item["path"].startswith("records/"))
    bundle.wait_files(lambda done: progress(done, total, ""))


class BundlePreviewPage(QWizardPage):
    def __init__(self, wizard: BundleImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Preview"))
        self.setSubTitle(self.tr("What the import would do. Nothing has been written yet."))
        self.setCommitPage(True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.counts = QTableWidget(0, 1 + len(OUTCOMES))
        self.counts.setObjectName("counts")
        self.counts.setHorizontalHeaderLabels([self.tr("Records"), self.tr("New"), self.tr("Updated"),
                                               self.tr("Unchanged"), self.tr("Conflicting"), self.tr("Refused")])
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.details = QTableWidget(0, 4)
        self.details.setObjectName("details")
        self.details.setHorizontalHeaderLabels([self.tr("Outcome"), self.tr("Records"), self.tr("Record"),
                                                self.tr("Fields or reason")])
        self.details.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.trust_check = QCheckBox(self.tr("Trust this one bundle (office; recorded in the audit log)"))
        self.trust_check.setObjectName("trustOnce")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("trustReason")
        self.reason_edit.setPlaceholderText(self.tr("why this bundle is trusted"))
        self.cancel_button = QPushButton(self.tr("Stop checking"))
        self.cancel_button.clicked.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.counts, 1)
        layout.addWidget(self.details, 2)
        layout.addWidget(self.trust_check)
        layout.addWidget(self.reason_edit)
        self.trust_check.toggled.connect(self.completeChanged)
        self.reason_edit.textChanged.connect(self.completeChanged)
        self.files = QLabel()
        self.files.setObjectName("filesCheck")
        layout.insertWidget(1, self.files)
        self._cancel_event = threading.Event()
        self.files_error: BaseException | None = None

    def initializePage(self) -> None:
        self.wiz.close_bundle()
        self.wiz.plan = None
        self.files_error = None
        self.files.setVisible(False)
        self.counts.setRowCount(0)
        self.details.setRowCount(0)
        self.trust_check.setVisible(False)
        self.reason_edit.setVisible(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.cancel_button.setVisible(True)
        self.summary.setText(self.tr("Checking the bundle: signature, hashes, sizes and every record…"))
        self._cancel_event = threading.Event()
        self.wiz.run(check_and_preview, self.wiz.ctx, self.wiz.file_page.path(), self._cancel_event,
                     on_progress=self._on_progress, progress_kwarg="progress", on_done=self._done,
                     on_error=self._failed, label=self.tr("Check a bundle"))

    def _cancel(self) -> None:
        self._cancel_event.set()

    def _on_progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, error: BaseException) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.summary.setText(self.tr("The bundle was refused; nothing was imported.") + "\n" + str(error))
        self.wiz.failed(error)
        self.completeChanged.emit()

    def _done(self, result) -> None:
        bundle, plan = result
        self.wiz.close_bundle()
        self.wiz.bundle, self.wiz.plan = bundle, plan
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.show_plan(plan)
        self.files.setText(self.tr("Checking the photos and other files…"))
        self.files.setVisible(True)
        self.wiz.run(check_files, bundle, on_progress=self._on_files_progress, progress_kwarg="progress",
                     on_done=self._files_checked,
                     on_error=lambda error, b=bundle: self._files_failed(b, error),
                     label=self.tr("Check the bundle's files"), cancellable=False)
        self.completeChanged.emit()

    def _on_files_progress(self, done: int, total: int, _label: str) -> None:
        self.files.setText(self.tr("Checking the photos and other files: {0} of {1} MB…").format(
            round(done / 1e6), max(1, round(total / 1e6))))

    def _files_checked(self, _result) -> None:
        self.files.setText(self.tr("Every file of the bundle is checked."))

    def _files_failed(self, bundle, error: BaseException) -> None:
        from nibi_desk.sync.reader import BundleCancelled

        if bundle is not self.wiz.bundle or isinstance(error, BundleCancelled):
            return  # the wizard moved on (closed, went back, imported): nothing to say here
        self.files_error = error
        self.files.setText(self.tr("The bundle was refused; nothing was imported.") + "\n" + str(error))
        self.wiz.failed(error)
        self.completeChanged.emit()

    def show_plan(self, plan) -> None:
        sender = plan.sender
        t = plan.totals()
        lines = [self.tr("From {0} (device {1}), a {2} bundle.").format(sender["name"], sender["device"], plan.kind),
                 self.tr("{0} new, {1} updated, {2} unchanged, {3} conflicting, {4} refused.").format(
                     t["new"], t["updated"], t["unchanged"], t["conflict"], t["refused"])]
        if plan.already:
            lines.append(self.tr("This bundle was imported before ({0}).").format(plan.already["at"]))
        lines += plan.warnings
        untrusted = plan.trust not in ("enrolled", "self")
        if untrusted:
            lines.append(self.tr("The sending device is not trusted here ({0}). Enroll it, or trust this one "
                                 "bundle.").format(plan.trust))
        self.summary.setText("\n".join(lines))
        self.trust_check.setVisible(untrusted)
        self.reason_edit.setVisible(untrusted)
        counts = plan.counts()
        self.counts.setRowCount(len(counts))
        for row, (table, c) in enumerate(sorted(counts.items())):
            self.counts.setItem(row, 0, QTableWidgetItem(table))
            for col, outcome in enumerate(OUTCOMES, start=1):
                self.counts.setItem(row, col, QTableWidgetItem(str(c.get(outcome, 0))))
        shown = [i for i in plan.items if i.outcome in ("conflict", "refused", "updated")][:2000]
        self.details.setRowCount(len(shown))
        titles = {"conflict": self.tr("conflict"), "refused": self.tr("refused"), "updated": self.tr("updated")}
        for row, item in enumerate(shown):
            self.details.setItem(row, 0, QTableWidgetItem(titles[item.outcome]))
            self.details.setItem(row, 1, QTableWidgetItem(item.table))
            self.details.setItem(row, 2, QTableWidgetItem(item.label or item.id))
            self.details.setItem(row, 3, QTableWidgetItem(item.reason_text() or ", ".join(item.fields)))

    def isComplete(self) -> bool:
        plan = self.wiz.plan
        if plan is None or self.files_error is not None:
            return False
        if plan.trust in ("enrolled", "self"):
            return True
        return self.trust_check.isChecked() and bool(self.reason_edit.text().strip())


class BundleApplyPage(QWizardPage):
    def __init__(self, wizard: BundleImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Import"))
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.conflicts_button = QPushButton(self.tr("Show conflicts…"))
        self.conflicts_button.setObjectName("showConflicts")
        self.conflicts_button.setVisible(False)
        self.conflicts_button.clicked.connect(self._conflicts)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.conflicts_button)
        layout.addStretch(1)
        self._finished = False
        self.running = False

    def initializePage(self) -> None:
        self._finished = False
        self.running = True
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(self.tr("Importing in one transaction…"))
        preview = self.wiz.preview_page
        trust = self.wiz.plan.trust not in ("enrolled", "self") and preview.trust_check.isChecked()
        self.wiz.run(apply.apply, self.wiz.ctx, self.wiz.bundle, trust, preview.reason_edit.text().strip() or None,
                     on_done=self._done, on_error=self._failed, label=self.tr("Import a bundle"), cancellable=False)

    def _done(self, plan) -> None:
        self.wiz.result = plan
        t = plan.totals()
        self.status.setText(self.tr("Imported: {0} new, {1} updated, {2} conflicting, {3} refused.").format(
            t["new"], t["updated"], t["conflict"], t["refused"]))
        self.conflicts_button.setVisible(t["conflict"] > 0)
        self._end()
        prepare_imported(self.wiz.ctx, plan)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("Nothing was imported."))
        self.wiz.failed(error)
        self._end()

    def _end(self) -> None:
        self.progress.setVisible(False)
        self._finished = True
        self.running = False
        self.wiz.close_bundle()
        self.completeChanged.emit()

    def _conflicts(self) -> None:
        from nibi_desk.gui.sync import open_conflicts

        open_conflicts(self.wiz.ctx, self.wiz.parentWidget())

    def isComplete(self) -> bool:
        return self._finished


__all__ = ["BundleImportWizard", "SUFFIX"]
