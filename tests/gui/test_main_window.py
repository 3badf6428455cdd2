"""The main window and start-up: first run, reopening the last registry, screenshots, language switch, shortcuts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from nibi_desk import datadir
from nibi_desk.cli import cmd_registry
from nibi_desk.gui.app import Application
from nibi_desk.gui.fonts import install_bundled_font
from nibi_desk.gui.i18n import install_translations
from nibi_desk.interaction import HeadlessInteraction


@pytest.fixture
def small_demo(monkeypatch):
    """Make the app's demo builder produce a small demo (same generator, 2 % of the size) to keep tests fast."""
    original = cmd_registry.create_demo_registry

    def small(path, scale=1.0, seed=420682, quiet=False, force=False):
        return original(path, scale=0.02, seed=seed, quiet=True, force=force)

    monkeypatch.setattr(cmd_registry, "create_demo_registry", small)


@pytest.fixture
def controller(qapp, gui_settings):
    install_bundled_font(qapp)
    app = Application(qapp, gui_settings, HeadlessInteraction())
    yield app
    app.close_registry()
    for widget in QApplication.topLevelWidgets():  # dialogs the test opened
        if isinstance(widget, QDialog):
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _when_dialog(qtbot, act, name: str | None = None):
    """Run ``act(dialog)`` on the next modal dialog that opens (start-up dialogs are exec()'d); with ``name``, on
    the next one of that object name (other dialogs, such as progress, may come first)."""
    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and (name is None or dialog.objectName() == name):
            act(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def _wait_for_rows(qtbot, window):
    qtbot.waitUntil(lambda: window.browser.model.rowCount() > 0 and not window.browser.is_busy(), timeout=20000)


def test_first_run_offers_the_demo_and_remembers_it(qtbot, controller, gui_settings, small_demo):
    assert not datadir.demo_registry_path().exists()
    _when_dialog(qtbot, lambda d: d.findChild(object, "choice_demo").click())
    assert controller.start(None)
    window = controller.window
    _wait_for_rows(qtbot, window)
    assert datadir.demo_registry_path().exists()
    assert window.ctx.registry.county == "420682"
    assert gui_settings.get("last_registry") == str(datadir.demo_registry_path())
    assert window.browser.model.rowCount() == window.ctx.registry.read().execute(
        "SELECT count(*) FROM assets WHERE deleted = 0").fetchone()[0]

    # Next start: straight to the last registry, no dialog.
    controller.close_registry()
    assert controller.start(None)
    assert QApplication.activeModalWidget() is None
    assert controller.window.ctx.registry.path == datadir.demo_registry_path()


def test_first_run_creates_a_registry_for_a_county(qtbot, controller, tmp_path):
    target = tmp_path / "mine" / "county.nibi"

    def fill_new_registry(dialog):
        dialog.path.setText(str(target))
        dialog.accept()

    def choose_create(dialog):
        _when_dialog(qtbot, fill_new_registry)
        dialog.findChild(object, "choice_create").click()

    _when_dialog(qtbot, choose_create)
    assert controller.start(None)
    assert target.exists()
    registry = controller.window.ctx.registry
    assert registry.county == "420682" and registry.county_name == "老河口市"
    assert registry.read().execute("SELECT count(*) FROM divisions WHERE level = 'township'").fetchone()[0] == 13


def test_first_run_opens_a_file(qtbot, controller, tmp_path, monkeypatch):
    from nibi_desk.storage.registry import Registry

    existing = tmp_path / "given.nibi"
    Registry.create(existing, "420682").close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(existing), "")))
    _when_dialog(qtbot, lambda d: d.findChild(object, "choice_open").click())
    assert controller.start(None)
    assert controller.window.ctx.registry.path == existing


def test_a_broken_registry_is_refused_with_a_message(controller, tmp_path):
    bad = tmp_path / "bad.nibi"
    bad.write_text("not a registry")
    assert not controller.open_registry(bad)
    kind, title, text = controller.interaction.messages[-1]
    assert kind == "error" and "bad.nibi" in text


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_screenshot_of_the_main_window(qtbot, qapp, controller, small_demo, tmp_path, lang):
    install_translations(qapp, lang)
    controller.open_demo()
    window = controller.window
    _wait_for_rows(qtbot, window)
    qtbot.waitUntil(lambda: window.detail.asset_id is not None or window.browser.current_asset_id() == "",
                    timeout=5000)
    out = tmp_path / f"main-{lang}.png"
    assert window.grab().save(str(out))
    assert out.stat().st_size > 10_000
    print(f"screenshot: {out}")
    title = window.file_menu.title()
    assert (title.startswith("登记库") if lang == "zh_CN" else title == "&Registry")


def test_language_switch_changes_visible_text(qtbot, qapp, controller, small_demo):
    install_translations(qapp, "zh_CN")
    controller.open_demo()
    window = controller.window
    _wait_for_rows(qtbot, window)
    zh = (window.file_menu.title(), window.actions.new_asset.text(), window.statusBar().registry_label.text())
    assert "登记库" in zh[0] and "新建设施" in zh[1] and "登记库" in zh[2]
    install_translations(qapp, "en")
    qtbot.waitUntil(lambda: window.file_menu.title() == "&Registry", timeout=3000)
    assert window.actions.new_asset.text() == "&New asset…"
    assert window.statusBar().registry_label.text().startswith("Registry:")
    header = window.browser.model.headerData(1, __import__("PySide6.QtCore").QtCore.Qt.Horizontal)
    assert header == "Name"


def test_frequent_actions_have_shortcuts_and_thin_slots(qtbot, controller, small_demo):
    controller.open_demo()
    window = controller.window
    _wait_for_rows(qtbot, window)
    a = window.actions
    assert a.find.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert a.new_asset.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert a.edit_asset.shortcut().toString() == "Ctrl+E"
    assert a.next_asset.shortcut().toString() == "Ctrl+J" and a.previous_asset.shortcut().toString() == "Ctrl+K"
    assert a.start_inspection.shortcut().toString() == "Ctrl+I"
    shortcuts = [x.shortcut().toString() for x in a if not x.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts)), "two actions share a shortcut"

    window.browser.view.setFocus()
    a.next_asset.trigger()
    qtbot.waitUntil(lambda: window.browser.current_asset_id() != "", timeout=3000)
    first = window.browser.current_asset_id()
    a.next_asset.trigger()
    qtbot.waitUntil(lambda: window.browser.current_asset_id() not in ("", first), timeout=3000)
    a.previous_asset.trigger()
    qtbot.waitUntil(lambda: window.browser.current_asset_id() == first, timeout=3000)
    qtbot.waitUntil(lambda: window.detail.asset_id == first, timeout=5000)

    a.edit_asset.trigger()
    from nibi_desk.gui.asset_editor import AssetEditor

    qtbot.waitUntil(lambda: any(isinstance(w, AssetEditor) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=3000)
    for w in QApplication.topLevelWidgets():
        if isinstance(w, AssetEditor):
            w.reject()


def test_nibi_desk_screenshot_command(tmp_path):
    """The documented `nibi-desk --db … --lang … --screenshot FILE.png` renders and exits 0 in a real process."""
    from nibi_desk.demo import generate
    from nibi_desk.storage.registry import Registry

    db = tmp_path / "r.nibi"
    registry = Registry.create(db, "420682")
    generate(registry, scale=0.01)
    registry.close()
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NIBI_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-m", "nibi_desk.gui.app", "--db", str(db), "--lang", "en",
                           "--screenshot", str(out), "--settings", str(tmp_path / "s.ini")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out.exists() and out.stat().st_size > 10_000


def test_opening_a_registry_with_users_asks_to_sign_in(qtbot, qapp, gui_settings, small_demo):
    """The demo has users: the app asks who is working before anything can change (answers decline the draft)."""
    controller = Application(qapp, gui_settings, HeadlessInteraction(answer=False), ask_sign_in=True)

    def sign_in(dialog):
        dialog.findChild(object, "login").setText("zhangwei")
        dialog.findChild(object, "password").setText("demo1234")
        dialog.try_sign_in()

    try:
        _when_dialog(qtbot, sign_in, name="signInDialog")
        controller.open_demo()
        qtbot.waitUntil(lambda: controller.ctx.user is not None, timeout=20000)
        assert controller.ctx.user.login == "zhangwei" and controller.ctx.user.role == "inspector"
    finally:
        controller.close_registry()


def test_map_dock_opens_on_demand_and_follows_the_table(qtbot, controller, small_demo):
    controller.open_demo()
    window = controller.window
    _wait_for_rows(qtbot, window)
    assert getattr(window, "map", None) is None  # start-up does not pay for QtWebEngine
    window.actions.show_map.trigger()
    dock = window.map
    with qtbot.waitSignal(dock.page_loaded, timeout=60000):
        pass
    window.actions.next_asset.trigger()
    qtbot.waitUntil(lambda: window.browser.current_asset_id() != "", timeout=5000)
    chosen = window.browser.current_asset_id()
    # Selecting on the map selects in the table and the detail dock.
    dock.asset_selected.emit(chosen)
    qtbot.waitUntil(lambda: window.detail.asset_id == chosen, timeout=5000)
    assert window.actions.show_map.trigger() is None and window.map is dock  # one dock, reused
