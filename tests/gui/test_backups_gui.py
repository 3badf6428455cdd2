"""Data safety in the GUI: a backup on open, restore from Registry ▸ Backups, one window per registry (two processes)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nibi_desk import i18n
from nibi_desk.commands.assets import add_asset
from nibi_desk.context import Context
from nibi_desk.gui.app import Application
from nibi_desk.gui.backups import BackupsDialog
from nibi_desk.interaction import HeadlessInteraction
from nibi_desk.storage import backup
from nibi_desk.storage.lock import read_holder
from nibi_desk.storage.registry import Registry

ROOT = Path(__file__).resolve().parents[2]
CAMERA = {"type": "camera", "name": "人民路口枪机", "code": "42068200001320000001", "lon": 111.675, "lat": 32.385,
          "division": "420682001", "attrs": {"class": "A"}}


@pytest.fixture
def controller(qapp, gui_settings):
    app = Application(qapp, gui_settings, HeadlessInteraction(answer=True))
    yield app
    app.close_registry()
    QApplication.sendPostedEvents(None, 0)


@pytest.fixture
def registry_file(tmp_path):
    path = tmp_path / "office" / "county.nibi"
    Registry.create(path, "420682").close()
    return path


def assets_in(ctx) -> int:
    return ctx.registry.read().execute("SELECT count(*) FROM assets").fetchone()[0]


def test_opening_makes_a_backup_and_holds_the_lock(controller, registry_file):
    assert controller.open_registry(registry_file)
    [made] = backup.list_backups(registry_file)
    assert made.reason == "open"
    assert read_holder(registry_file)["pid"] == os.getpid() and controller.lock.held
    controller.close_registry()
    assert not controller.lock and not Path(str(registry_file) + ".lock").exists()
    assert controller.open_registry(registry_file)  # unchanged since: no second backup
    assert len(backup.list_backups(registry_file)) == 1


def test_restore_from_the_backups_dialog_returns_the_earlier_state(qtbot, controller, registry_file):
    assert controller.open_registry(registry_file)
    ctx = controller.ctx
    add_asset(Context(ctx.registry), CAMERA)
    assert assets_in(ctx) == 1

    dialog = BackupsDialog(ctx, controller.window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.backups[0].reason == "open"
    dialog.restore_requested.connect(controller.restore_backup)
    dialog.table.selectRow(0)
    dialog.restore_selected()  # HeadlessInteraction answers the confirmation with yes

    assert controller.ctx is not ctx and controller.window is not None
    assert assets_in(controller.ctx) == 0, "the registry is back as it was when it was opened"
    assert controller.lock.held and read_holder(registry_file)["pid"] == os.getpid()
    reasons = [b.reason for b in backup.list_backups(registry_file)]
    assert reasons == ["open", "before-restore", "open"]  # newest first: the reopen, the state replaced, the first
    undo = next(b for b in backup.list_backups(registry_file) if b.reason == "before-restore")
    assert controller.restore_backup(undo.path)  # and the restore can be undone
    assert assets_in(controller.ctx) == 1


def test_back_up_now_adds_a_row(qtbot, controller, registry_file):
    assert controller.open_registry(registry_file)
    dialog = BackupsDialog(controller.ctx, controller.window)
    qtbot.addWidget(dialog)
    dialog.backup_now.click()
    assert dialog.table.rowCount() == 2 and dialog.backups[0].reason == "manual"
    assert dialog.table.item(0, 1).text() in ("Backed up by hand", "手动备份")


def test_the_registry_menu_opens_the_backups_dialog(qtbot, controller, registry_file):
    assert controller.open_registry(registry_file)
    seen = []

    def close_dialog():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, BackupsDialog):
            seen.append(dialog.table.rowCount())
            dialog.reject()
        else:
            QTimer.singleShot(20, close_dialog)

    QTimer.singleShot(0, close_dialog)
    controller.window.actions.backups.trigger()
    assert seen == [1]
    assert controller.window.actions.backups in controller.window.file_menu.actions()


def test_a_second_window_on_the_same_registry_is_refused(qtbot, controller, registry_file, tmp_path):
    """Two real processes: a running `nibi-desk --db X`, then this one opening X."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    first = subprocess.Popen([sys.executable, "-m", "nibi_desk.gui.app", "--db", str(registry_file), "--lang", "en",
                              "--settings", str(tmp_path / "first.ini")], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while read_holder(registry_file).get("pid") != first.pid:
            assert first.poll() is None, first.stderr.read()[-2000:]
            assert time.monotonic() < deadline, "the first window never took the registry"
            time.sleep(0.1)
        i18n.set_language("en")
        assert not controller.open_registry(registry_file)
        kind, title, text = controller.interaction.messages[-1]
        assert kind == "error" and title == "Cannot open the registry"
        assert f"process {first.pid}" in text and "already open in NIBI Desk" in text and "county.nibi" in text
        assert controller.window is None and controller.lock is None
    finally:
        first.kill()
        first.wait(10)
    assert controller.open_registry(registry_file), "a crashed first window leaves no lock behind"
