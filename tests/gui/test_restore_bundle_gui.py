"""Registry ▸ Backups ▸ From a backup bundle: the dialog checks the bundle, names its office users, and restores it
as a new registry whose chosen office user signs in with the new password."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from nibi_desk.context import Context
from nibi_desk.gui.sync.restore_dialog import RestoreBundleDialog
from nibi_desk.gui.tasks import TaskRunner
from nibi_desk.inspection import users
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import export
from tests.sync_helpers import make, poles


def _backup(tmp_path, with_users=True):
    registry, ctx = make(tmp_path, "office")
    if with_users:
        users.add_user(ctx, "office", "办公室", "office", password="secret-123")
        users.sign_in(ctx, "office", "secret-123")
    poles(ctx, 2)
    kind = "backup" if with_users else "rollup"
    path = export.export_bundle(ctx, tmp_path / f"{kind}.nibx", kind).path
    registry.close()
    return path


def _dialog(qtbot) -> RestoreBundleDialog:
    dialog = RestoreBundleDialog(runner=TaskRunner(sync=True))
    qtbot.addWidget(dialog)
    return dialog


def test_restore_dialog_restores_a_backup_and_sets_the_office_password(qtbot, tmp_path):
    dialog = _dialog(qtbot)
    dialog.bundle_edit.setText(str(_backup(tmp_path)))
    dialog.check_bundle()
    assert dialog.info is not None and dialog.admin_combo.currentData() == "office"
    assert dialog.target_edit.text().endswith("backup-restored.nibi")
    dialog.password_edit.setText("new-pass-1")
    dialog.repeat_edit.setText("new-pass-2")
    dialog.start()
    assert dialog.message.text() and dialog.restored is None  # the passwords differ: nothing written
    dialog.repeat_edit.setText("new-pass-1")
    dialog.start()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.restored is not None
    with Registry.open(dialog.restored) as registry:
        assert registry.read().execute("SELECT count(*) FROM assets").fetchone()[0] == 2
        assert users.sign_in(Context(registry), "office", "new-pass-1").login == "office"


def test_restore_dialog_explains_a_bundle_that_is_not_a_backup(qtbot, tmp_path):
    dialog = _dialog(qtbot)
    dialog.bundle_edit.setText(str(_backup(tmp_path, with_users=False)))
    dialog.check_bundle()
    assert dialog.info is None and "rollup" in dialog.message.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
