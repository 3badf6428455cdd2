"""Registry ▸ Backups and restore: the registry's rolling backups, "Back up now", and restore (by the application)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from nibi_desk.storage import backup

REASONS = {
    "open": QT_TRANSLATE_NOOP("Backups", "Opened"),
    "before-ledger": QT_TRANSLATE_NOOP("Backups", "Before a ledger import"),
    "before-bundle": QT_TRANSLATE_NOOP("Backups", "Before a bundle import"),
    "before-restore": QT_TRANSLATE_NOOP("Backups", "Before a restore"),
    "manual": QT_TRANSLATE_NOOP("Backups", "Backed up by hand"),
}


def _short(path: Path) -> str:
    """A path under the home folder as ~/…, as people recognise it (POSIX)."""
    if os.name == "nt":
        return str(path)
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def reason_text(reason: str) -> str:
    return QCoreApplication.translate("Backups", REASONS[reason]) if reason in REASONS else reason


class BackupsDialog(QDialog):
    """Lists the backups newest first. Restoring is the application's job (it closes and reopens the registry):
    the dialog asks for confirmation and emits ``restore_requested(path)``."""

    restore_requested = Signal(str)
    restore_bundle_requested = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("backupsDialog")
        self.resize(720, 420)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backupsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.backup_now = QPushButton()
        self.backup_now.setObjectName("backupNow")
        self.restore = QPushButton()
        self.restore.setObjectName("restoreBackup")
        self.buttons.addButton(self.backup_now, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.restore, QDialogButtonBox.ButtonRole.ActionRole)
        self.from_bundle = QPushButton()
        self.from_bundle.setObjectName("restoreBundle")
        self.buttons.addButton(self.from_bundle, QDialogButtonBox.ButtonRole.ActionRole)
        self.from_bundle.clicked.connect(self._restore_bundle)
        self.buttons.rejected.connect(self.reject)
        self.backup_now.clicked.connect(self.make_backup)
        self.restore.clicked.connect(self.restore_selected)
        self.table.itemSelectionChanged.connect(self._update_enabled)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.backups: list[backup.BackupInfo] = []
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Backups of {name}").format(name=self.ctx.registry.path.name))
        text = self.tr("NIBI Desk backs up this registry when you open it and before every import, and keeps the newest {n} in {folder}. Restoring puts the chosen backup in place of the registry; the current state is backed up first, so a restore can be undone. Photos are never removed, so they need no restore.")  # noqa: E501
        self.intro.setText(text.format(n=backup.DEFAULT_KEEP, folder=_short(backup.backup_dir(self.ctx.registry))))
        self.table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Reason"), self.tr("Size")])
        self.backup_now.setText(self.tr("Back up &now"))
        self.restore.setText(self.tr("&Restore…"))
        self.from_bundle.setText(self.tr("From a backup &bundle…"))
        self.from_bundle.setToolTip(self.tr("Restore a backup bundle (.nibx) made elsewhere as a new registry"))

    def refresh(self) -> None:
        self.backups = backup.list_backups(self.ctx.registry)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            when = QDateTime.fromSecsSinceEpoch(int(info.created.timestamp())).toLocalTime()
            cells = (when.toString("yyyy-MM-dd HH:mm:ss"), reason_text(info.reason),
                     f"{info.size / 1_048_576:.1f} MB")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnToContents(0)
        if self.backups:
            self.table.selectRow(0)
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.restore.setEnabled(self.selected() is not None)

    def selected(self) -> backup.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def make_backup(self) -> None:
        try:
            backup.backup(self.ctx.registry, "manual")
        except Exception as e:  # shown, not fatal
            from nibi_desk.gui.interaction import show_error

            show_error(self.ctx.interaction, e)
        self.refresh()

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        when = self.table.item(self.table.currentRow(), 0).text()
        if not self.ctx.interaction.confirm(
                self.tr("Restore backup"),
                self.tr("Replace the registry with the backup of {when} ({reason})? Changes made since then are set aside in a new backup, from which they can be restored again.")  # noqa: E501
                .format(when=when, reason=reason_text(info.reason))):
            return
        self.accept()
        self.restore_requested.emit(str(info.path))

    def _restore_bundle(self) -> None:
        self.accept()
        self.restore_bundle_requested.emit()
