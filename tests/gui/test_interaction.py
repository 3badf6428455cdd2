"""QtInteraction shows real message boxes (closed here by a timer) and show_error picks titles and details."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from nibi_desk import errors
from nibi_desk.gui.interaction import QtInteraction, call_in_main_thread, show_error
from nibi_desk.interaction import HeadlessInteraction


class BoxCloser:
    """Polls for the modal message box, records what it shows, then presses ``button``."""

    def __init__(self, button=QMessageBox.Ok):
        self.button = button
        self.seen: list[dict] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self):
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.seen.append({"title": box.windowTitle(), "text": box.text(), "details": box.detailedText(),
                              "icon": box.icon(), "parent": box.parentWidget(),
                              "default": box.standardButton(box.defaultButton())})
            box.button(self.button).click()

    def stop(self):
        self.timer.stop()


@pytest.fixture
def closer():
    made = []

    def make(button=QMessageBox.Ok):
        made.append(BoxCloser(button))
        return made[-1]

    yield make
    for c in made:
        c.stop()


@pytest.mark.parametrize("method,icon", [("info", QMessageBox.Information), ("warn", QMessageBox.Warning),
                                         ("error", QMessageBox.Critical)])
def test_messages(qapp, closer, method, icon):
    c = closer()
    getattr(QtInteraction(), method)("标题", "<b>正文</b>")
    assert c.seen == [{"title": "标题", "text": "<b>正文</b>", "details": "", "icon": icon, "parent": None,
                       "default": QMessageBox.Ok}]


def test_error_details_go_to_the_details_area(qapp, closer):
    c = closer()
    QtInteraction().error("Title", "Text", details="Traceback (most recent call last): ...")
    assert c.seen[0]["details"] == "Traceback (most recent call last): ..."


@pytest.mark.parametrize("button,default,expected", [(QMessageBox.Yes, False, True), (QMessageBox.No, True, False)])
def test_confirm_returns_the_answer(qapp, closer, button, default, expected):
    c = closer(button)
    assert QtInteraction().confirm("Delete", "Delete it?", default=default) is expected
    assert c.seen[0]["default"] == (QMessageBox.Yes if default else QMessageBox.No)
    assert c.seen[0]["icon"] == QMessageBox.Question


def test_escape_means_no(qapp, qtbot):
    def press_escape():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, press_escape)
            return
        box.reject()  # what Escape and the title bar's close button do

    QTimer.singleShot(10, press_escape)
    assert QtInteraction().confirm("Delete", "Delete it?", default=True) is False


def test_parent_comes_from_the_provider(qapp, qtbot, closer):
    window = QWidget()
    qtbot.addWidget(window)
    c = closer()
    QtInteraction(parent_provider=lambda: window).info("t", "x")
    assert c.seen[0]["parent"] is window


def test_from_a_worker_thread_the_box_opens_on_the_main_thread(qapp, qtbot, closer):
    c = closer(QMessageBox.Yes)
    answers = []
    worker = threading.Thread(target=lambda: answers.append(QtInteraction().confirm("t", "from a worker")))
    worker.start()
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    worker.join(5)
    assert answers == [True] and c.seen[0]["text"] == "from a worker"


def test_call_in_main_thread_queues_from_workers(qapp, qtbot):
    ran_on = []
    worker = threading.Thread(target=lambda: call_in_main_thread(lambda: ran_on.append(threading.current_thread())))
    worker.start()
    worker.join(5)
    qtbot.waitUntil(lambda: bool(ran_on), timeout=5000)
    assert ran_on == [threading.main_thread()]


def test_show_error_for_a_core_error_has_a_translated_title_and_no_traceback():
    interaction = HeadlessInteraction(stream=open("/dev/null", "w"))
    show_error(interaction, errors.NotFound("No asset {code}", code="X1"))
    kind, title, text = interaction.messages[0]
    assert kind == "error" and title == QCoreApplication.translate("Errors", "Not found")
    assert text == "No asset X1"


class Recorder:
    def __init__(self):
        self.errors = []

    def error(self, title, text, details=""):
        self.errors.append((title, text, details))


def test_show_error_for_a_subclass_uses_the_closest_title():
    recorder = Recorder()
    show_error(recorder, errors.RecordInvalid([errors.Problem("code", "too short")]))
    assert recorder.errors[0][0] == "Invalid record"


def test_show_error_keeps_the_cause_of_a_core_error():
    recorder = Recorder()
    try:
        try:
            raise OSError("disk full")
        except OSError as e:
            raise errors.ImportFailed() from e
    except errors.ImportFailed as e:
        show_error(recorder, e)
    title, text, details = recorder.errors[0]
    assert title == "Import failed" and "OSError: disk full" in details


def test_show_error_for_an_unexpected_exception_has_the_traceback():
    recorder = Recorder()
    try:
        {}["missing"]
    except KeyError as e:
        show_error(recorder, e)
    title, text, details = recorder.errors[0]
    assert title == "Unexpected error"
    assert "KeyError: 'missing'" in text
    assert details.startswith("Traceback") and "test_interaction.py" in details


def test_only_this_module_uses_qmessagebox():
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "nibi_desk"
    users = sorted(str(p.relative_to(package)) for p in package.rglob("*.py") if "QMessageBox" in p.read_text("utf-8"))
    assert users == ["gui/interaction.py"]
