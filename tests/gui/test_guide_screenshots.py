"""The user guide's screenshots (docs/guide/images/*-<lang>.png), produced by the real windows and dialogs.

Normal runs render every screenshot into a temporary folder (so the windows still work and the tree stays clean)
and check that the committed images exist, at the same size, and are all used by the guides. To refresh the
committed images after a change to the interface:

    NIBI_UPDATE_GUIDE_SHOTS=1 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/gui/test_guide_screenshots.py
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from nibi_desk import datadir
from nibi_desk.cli import cmd_registry
from nibi_desk.gui import excepthook
from nibi_desk.gui.app import Application
from nibi_desk.gui.fonts import install_bundled_font
from nibi_desk.gui.i18n import install_translations
from nibi_desk.gui.interaction import QtInteraction

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "guide" / "images"
UPDATE = os.environ.get("NIBI_UPDATE_GUIDE_SHOTS") == "1"
SHOTS = ("first-run", "main-window", "backups", "error-report", "about")
pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def out(tmp_path):
    folder = IMAGES if UPDATE else tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder with the data directory where Linux puts it, so the pictures show ~/.local/share/nibi-desk."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NIBI_DATA_DIR", str(home / ".local" / "share" / "nibi-desk"))
    return home


@pytest.fixture
def small_demo(monkeypatch):
    original = cmd_registry.create_demo_registry

    def small(path, scale=1.0, seed=420682, quiet=False, force=False):
        return original(path, scale=0.02, seed=seed, quiet=True, force=force)

    monkeypatch.setattr(cmd_registry, "create_demo_registry", small)


def _grab_modal(kind, save_to: Path, then) -> list:
    """When a modal ``kind`` opens: save a picture of it, then ``then(widget)`` (which closes it)."""
    done = []

    def poll():
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            QApplication.processEvents()
            done.append(widget.grab().save(str(save_to)))
            then(widget)
        else:
            QTimer.singleShot(30, poll)

    QTimer.singleShot(0, poll)
    return done


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_guide_screenshots(qtbot, qapp, gui_settings, home, small_demo, out, lang):
    from nibi_desk.gui.backups import BackupsDialog
    from nibi_desk.gui.help import AboutDialog
    from nibi_desk.gui.startup import FirstRunDialog
    from nibi_desk.storage import backup

    install_bundled_font(qapp)
    install_translations(qapp, lang)
    interaction = QtInteraction()
    controller = Application(qapp, gui_settings, interaction)
    try:
        # First run: the start-up choice (answered with "demo" after the picture).
        done = _grab_modal(FirstRunDialog, out / f"first-run-{lang}.png",
                           lambda d: d.findChild(object, "choice_demo").click())
        assert controller.start(None) and done == [True]
        window = controller.window
        qtbot.waitUntil(lambda: window.browser.model.rowCount() > 0 and not window.browser.is_busy(), timeout=20000)
        window.browser.select_next()
        qtbot.waitUntil(lambda: window.detail.asset_id is not None, timeout=5000)
        QApplication.processEvents()
        assert window.grab().save(str(out / f"main-window-{lang}.png"))

        # Registry ▸ Backups and restore, with a backup before an import and one made by hand.
        backup.before_import(window.ctx.registry, "ledger")
        backup.backup(window.ctx.registry, "manual")
        done = _grab_modal(BackupsDialog, out / f"backups-{lang}.png", lambda d: d.reject())
        window.actions.backups.trigger()
        assert done == [True]

        # The crash dialog with "Save report…".
        excepthook.install(interaction, datadir.data_dir())
        try:
            done = _grab_modal(QMessageBox, out / f"error-report-{lang}.png",
                               lambda box: box.button(QMessageBox.Ok).click())
            try:
                raise KeyError("asset_grid")
            except KeyError:
                excepthook._sys_hook(*sys.exc_info())
            qtbot.waitUntil(lambda: done == [True], timeout=10000)
        finally:
            excepthook.uninstall()

        # Help ▸ About.
        window.actions.about.trigger()
        about = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible())
        qtbot.waitExposed(about)
        assert about.grab().save(str(out / f"about-{lang}.png"))
        about.reject()
    finally:
        controller.close_registry()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog):
                widget.deleteLater()

    for name in SHOTS:
        made = QImage(str(out / f"{name}-{lang}.png"))
        assert not made.isNull(), name
        committed = QImage(str(IMAGES / f"{name}-{lang}.png"))
        assert not committed.isNull(), f"docs/guide/images/{name}-{lang}.png is missing: set NIBI_UPDATE_GUIDE_SHOTS=1"
        assert committed.size() == made.size(), f"{name}-{lang}.png is out of date: set NIBI_UPDATE_GUIDE_SHOTS=1"


def test_every_committed_screenshot_is_used_and_every_used_one_is_produced():
    used = set()
    for lang in ("zh_CN", "en"):
        text = (ROOT / "docs" / "guide" / lang / "index.md").read_text(encoding="utf-8")
        used |= set(re.findall(r"\.\./images/([\w.-]+\.png)", text))
    produced = {f"{name}-{lang}.png" for name in SHOTS for lang in ("zh_CN", "en")}
    committed = {p.name for p in IMAGES.glob("*.png")}
    assert used == produced == committed
