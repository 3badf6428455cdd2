"""Restore a backup bundle (.nibx) as a new registry: on a new laptop, after a disk failure, from the archive.

The bundle is checked completely as soon as it is chosen (signature, hashes, schemas) and the dialog names the
county and the office users it holds; password hashes never travel, so one office user gets a new password here
(nibi_desk/sync/restore.py). The restore runs as a background task; errors stay in the dialog, next to the fields.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from nibi_desk.errors import NibiError
from nibi_desk.gui.tasks import TaskRunner
from nibi_desk.sync import restore


class RestoreBundleDialog(QDialog):
    """After accept(), ``restored`` is the new registry's path."""

    def __init__(self, parent: QWidget | None = None, runner: TaskRunner | None = None):
        super().__init__(parent)
        self.setObjectName("restoreBundleDialog")
        self.setWindowTitle(self.tr("Restore a backup bundle"))
        self.runner = runner or TaskRunner(parent=self)
        self.info: restore.BackupInfo | None = None
        self.restored: Path | None = None
        self.bundle_edit, self.target_edit = QLineEdit(), QLineEdit()
        self.bundle_edit.setObjectName("bundlePath")
        self.target_edit.setObjectName("targetPath")
        self.bundle_edit.editingFinished.connect(self.check_bundle)
        self.about = QLabel()
        self.about.setObjectName("about")
        self.about.setWordWrap(True)
        self.admin_combo = QComboBox()
        self.admin_combo.setObjectName("admin")
        self.password_edit, self.repeat_edit = QLineEdit(), QLineEdit()
        for edit, name in ((self.password_edit, "password"), (self.repeat_edit, "repeat")):
            edit.setObjectName(name)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        form = QFormLayout()
        form.addRow(self.tr("Backup bundle:"), self._with_browse(self.bundle_edit, self._browse_bundle))
        form.addRow("", self.about)
        form.addRow(self.tr("New registry file:"), self._with_browse(self.target_edit, self._browse_target))
        form.addRow(self.tr("Office user:"), self.admin_combo)
        form.addRow(self.tr("Their new password:"), self.password_edit)
        form.addRow(self.tr("Repeat the password:"), self.repeat_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Restore"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        intro = QLabel(self.tr("A backup bundle restores into a new registry file; nothing existing is replaced. "
                               "Passwords are not in backups: choose an office user and give them a new password."))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._update_users()

    def _with_browse(self, edit: QLineEdit, slot) -> QHBoxLayout:
        row = QHBoxLayout()
        button = QPushButton(self.tr("Browse…"))
        button.clicked.connect(slot)
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    def _browse_bundle(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Backup bundle"), "", self.tr("NIBI bundles (*.nibx)"))
        if name:
            self.bundle_edit.setText(name)
            self.check_bundle()

    def _browse_target(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("New registry file"), self.target_edit.text(),
                                              self.tr("NIBI registries (*.nibi)"))
        if name:
            self.target_edit.setText(name if name.endswith(".nibi") else name + ".nibi")

    # -- checking the bundle -----------------------------------------------------------------------------------------
    def check_bundle(self) -> None:
        text = self.bundle_edit.text().strip()
        self.info = None
        self._update_users()
        if not text:
            return
        self.about.setText(self.tr("Checking the bundle…"))
        self._busy(True)
        self.runner.run(restore.probe, Path(text), on_done=self._probed, on_error=self._failed,
                        key="restore-probe", label=self.tr("Checking the bundle"))

    def _probed(self, info: restore.BackupInfo) -> None:
        self._busy(False)
        self.info = info
        self.message.clear()
        self.about.setText(self.tr("County {county}, made {created} by {sender}.").format(
            county=info.county, created=info.created.replace("T", " ")[:16], sender=info.sender))
        if not self.target_edit.text().strip():
            bundle = Path(self.bundle_edit.text().strip())
            self.target_edit.setText(str(bundle.with_name(f"{bundle.stem}-restored.nibi")))
        self._update_users()

    def _update_users(self) -> None:
        self.admin_combo.clear()
        logins = self.info.office_logins if self.info else ()
        for login in logins:
            self.admin_combo.addItem(login, login)
        if self.info is not None and not logins:
            self.admin_combo.addItem(self.tr("(the backup has no users)"), None)
        for widget in (self.admin_combo, self.password_edit, self.repeat_edit):
            widget.setEnabled(bool(logins))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.info is not None)

    # -- restoring ---------------------------------------------------------------------------------------------------
    def start(self) -> None:
        if self.info is None:
            return
        target = Path(self.target_edit.text().strip())
        admin = self.admin_combo.currentData()
        if not self.target_edit.text().strip():
            self.message.setText(self.tr("Choose where the new registry goes."))
            return
        if admin and self.password_edit.text() != self.repeat_edit.text():
            self.message.setText(self.tr("The two passwords differ."))
            return
        self.message.clear()
        self._busy(True)
        self.runner.run(restore.restore, Path(self.bundle_edit.text().strip()), target, admin=admin,
                        password=self.password_edit.text() if admin else None, on_done=lambda _plan: self._done(target),
                        on_error=self._failed, key="restore", label=self.tr("Restoring the backup"),
                        cancellable=False)

    def _done(self, target: Path) -> None:
        self._busy(False)
        self.restored = target
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        if not isinstance(error, NibiError):
            raise error
        self.message.setText(error.message())
        if self.info is None:
            self.about.clear()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for widget in (self.bundle_edit, self.target_edit, self.buttons):
            widget.setEnabled(not busy)
        if not busy:  # Restore needs a checked bundle
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.info is not None)

    def reject(self) -> None:
        if self.progress.isVisible() and self.restored is None and self.info is not None:
            return  # a restore is being written: it finishes (or is undone) by itself, never half-way
        self.runner.cancel_all()
        super().reject()
