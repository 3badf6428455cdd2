"""The one background-task helper: results, progress and the end arrive on the main thread; cancel; stale keys."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThread

from nibi_desk.gui.tasks import Cancelled, TaskRunner


def on_main_thread() -> bool:
    return QThread.currentThread() == QCoreApplication.instance().thread()


def test_result_and_progress_arrive_on_the_main_thread(qtbot):
    runner = TaskRunner()
    seen, threads = [], []

    def work():
        threads.append(on_main_thread())
        for i in range(3):
            yield i, 3, f"step {i}"
        return "result"

    task = runner.run(work, on_done=lambda r: seen.append(("done", r, on_main_thread())),
                      on_progress=lambda d, t, label: seen.append(("progress", d, label, on_main_thread())))
    # A direct connection runs in the emitting thread: the task's own signals must be emitted on the main thread
    # (a worker emitting on a task the main thread deletes once it has finished crashed the suite).
    task.finished.connect(lambda: seen.append(("finished", on_main_thread())), Qt.DirectConnection)
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == "finished", timeout=5000)
    assert threads == [False]
    assert seen == [("progress", 0, "step 0", True), ("progress", 1, "step 1", True), ("progress", 2, "step 2", True),
                    ("done", "result", True), ("finished", True)]
    assert task.state == "done" and task.result == "result"
    assert not runner.active


def test_failure_is_delivered_to_on_error(qtbot):
    runner = TaskRunner()
    errors = []

    def work():
        raise ValueError("bad row 7")

    runner.run(work, on_error=errors.append, on_done=lambda r: errors.append("done?"))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert len(errors) == 1 and isinstance(errors[0], ValueError) and str(errors[0]) == "bad row 7"


def test_cancel_stops_a_generator_between_steps(qtbot):
    runner = TaskRunner()
    release, steps, results = threading.Event(), [], []

    def work():
        for i in range(1000):
            steps.append(i)
            yield i, 1000
            release.wait(5)

    task = runner.run(work, on_done=results.append)
    qtbot.waitUntil(lambda: bool(steps), timeout=5000)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: not runner.active, timeout=5000)  # (waitSignal on task_finished crashes PySide 6.11)
    assert task.state == "cancelled" and results == [] and len(steps) < 5


def test_a_later_task_with_the_same_key_supersedes_the_earlier(qtbot):
    runner = TaskRunner()
    gate, results = threading.Event(), []

    def slow():
        gate.wait(5)
        return "old"

    first = runner.run(slow, on_done=results.append, key="search")
    second = runner.run(lambda: "new", on_done=results.append, key="search")
    qtbot.waitUntil(lambda: results == ["new"], timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: not runner.active, timeout=5000)
    assert results == ["new"] and first.cancelled and second.state == "done"


def test_check_raises_when_cancelled():
    runner = TaskRunner(sync=True)
    task = runner.run(lambda: None)
    task.cancel()
    with pytest.raises(Cancelled):
        task.check()


def test_a_closed_runner_delivers_nothing_more(qtbot):
    """The window that asked is gone: a result that arrives after close reaches nobody, and the task still ends."""
    runner = TaskRunner()
    gate, results = threading.Event(), []

    def work(progress):
        gate.wait(5)
        progress(1, 1)
        return "late"

    task = runner.run(work, on_done=results.append, on_error=results.append, cancellable=False,
                      on_progress=lambda *step: results.append(step), progress_kwarg="progress")
    runner.close()
    gate.set()
    qtbot.waitUntil(lambda: not runner.active, timeout=5000)
    assert results == [] and task.state == "cancelled"


def test_many_short_tasks_each_deleted_once_finished(qtbot):
    """Each finished task is deleted on the main thread while its worker may still be returning: never a crash, and
    every task delivers its result once."""
    runner = TaskRunner()
    results, ends = [], []
    for i in range(300):
        task = runner.run(lambda i=i: i, on_done=results.append)
        for _ in range(4):  # several receivers: Qt posts the end to one after another
            task.finished.connect(lambda i=i: ends.append(i))
    qtbot.waitUntil(lambda: len(results) == 300 and not runner.active, timeout=20000)
    assert sorted(results) == list(range(300))
    assert sorted(ends) == sorted(list(range(300)) * 4)


@pytest.mark.parametrize("sync", [False, True], ids=["pool", "inline"])
def test_a_function_reports_through_the_progress_it_is_given(qtbot, sync):
    """``progress_kwarg`` hands a plain function a progress callback; its reports reach on_progress on the main
    thread, in order, before the result."""
    runner = TaskRunner(sync=sync)
    seen, threads = [], []

    def work(rows, progress):
        threads.append(on_main_thread())
        for i in range(rows):
            progress(i + 1, rows, f"row {i + 1}")
        progress(rows, rows)  # the label may be left out
        return rows

    runner.run(work, 3, progress_kwarg="progress", on_done=lambda r: seen.append(("done", r, on_main_thread())),
               on_progress=lambda d, t, label: seen.append((d, t, label, on_main_thread())))
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == "done", timeout=5000)
    assert threads == [sync]
    assert seen == [(1, 3, "row 1", True), (2, 3, "row 2", True), (3, 3, "row 3", True), (3, 3, "", True),
                    ("done", 3, True)]
