"""The crash dialog's "Save report…": a zip with the log tail, versions and the exception, and no registry data."""

from __future__ import annotations

import json
import logging
import sys
import zipfile

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from nibi_desk.gui import diagnostics, excepthook
from nibi_desk.gui.interaction import QtInteraction

pytestmark = pytest.mark.qt_no_exception_capture


def test_the_report_holds_versions_exception_and_log_tail_only(tmp_path):
    log = tmp_path / "logs" / "nibi-desk.log"
    log.parent.mkdir()
    log.write_text("old line\n" * 200_000 + "the last line 巡检\n", encoding="utf-8")
    (tmp_path / "logs" / "nibi-desk.log.1").write_text("rotated\n", encoding="utf-8")
    out = diagnostics.write_report(tmp_path / "out" / "report.zip", "Traceback ...\nValueError: boom", log)
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert names == {"README.txt", "versions.json", "exception.txt", "log/nibi-desk.log", "log/nibi-desk.log.1"}
        versions = json.loads(z.read("versions.json"))
        for key in ("NIBI Desk", "Python", "Qt", "PySide6", "SQLite", "OS"):
            assert versions[key]
        assert "ValueError: boom" in z.read("exception.txt").decode()
        tail = z.read("log/nibi-desk.log")
        assert tail.endswith("the last line 巡检\n".encode()) and len(tail) <= diagnostics.LOG_TAIL_BYTES
        assert not [n for n in names if n.endswith((".nibi", ".sqlite", ".jpg", ".ini"))]
    assert not list(out.parent.glob(".*partial"))


def _drive_boxes(clicked: list[str], limit: int = 10):
    """Answer the message boxes as they open: "Save report…" when offered, else OK."""
    def poll():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            save = box.findChild(QPushButton, "saveReport")
            if save is not None:
                clicked.append(box.text())
                save.click()
            else:
                clicked.append(box.text())
                box.button(QMessageBox.Ok).click()
        if len(clicked) < limit:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_an_uncaught_exception_offers_save_report(qtbot, tmp_path, monkeypatch):
    target = tmp_path / "for-it-staff.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    log_file = excepthook.install(QtInteraction(), tmp_path / "logs")
    try:
        logging.getLogger("nibi_desk.test").info("before the crash")
        clicked: list[str] = []
        _drive_boxes(clicked, limit=2)
        try:
            raise RuntimeError("field laptop fell over")
        except RuntimeError:
            excepthook._sys_hook(*sys.exc_info())
        qtbot.waitUntil(lambda: len(clicked) >= 2, timeout=10000)
    finally:
        excepthook.uninstall()
    assert "field laptop fell over" in clicked[0]
    assert str(target) in clicked[1]  # "Saved …: give this file to your county's IT staff"
    with zipfile.ZipFile(target) as z:
        assert "RuntimeError: field laptop fell over" in z.read("exception.txt").decode()
        log_text = z.read("log/nibi-desk.log").decode()
        assert "before the crash" in log_text and "Uncaught exception" in log_text
    assert log_file.parent == tmp_path / "logs"


def test_a_headless_interaction_still_gets_a_plain_error(tmp_path):
    from nibi_desk.interaction import HeadlessInteraction

    interaction = HeadlessInteraction()
    excepthook.install(interaction, tmp_path / "logs")
    try:
        try:
            raise ValueError("no dialog here")
        except ValueError:
            excepthook._sys_hook(*sys.exc_info())
    finally:
        excepthook.uninstall()
    assert interaction.messages[-1][0] == "error" and "no dialog here" in interaction.messages[-1][2]
