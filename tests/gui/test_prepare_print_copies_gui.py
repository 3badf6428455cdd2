"""Registry ▸ "Prepare photos for printing…": counts the missing print copies of every submitted inspection in the
background, asks through the Interaction port how long making them takes, and makes them when the user agrees; says
so and starts nothing when there are none; starts nothing when the user says no."""

from __future__ import annotations

import io
import time

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from nibi_desk.gui.context import AppContext
from nibi_desk.gui.main_window import MainWindow
from nibi_desk.gui.print_copies import (
    minutes_for,
    prepare_print_copies,
    print_copies_of,
)
from nibi_desk.gui.tasks import TaskRunner
from nibi_desk.interaction import HeadlessInteraction
from nibi_desk.reports import print_copies
from tests.print_copies_fixtures import stamped_copies
from tests.reports_fixtures import photo_county

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_worker_left_behind")]
WAIT = 20000
PREPARING = "Preparing photos for printing"


@pytest.fixture
def county(tmp_path):
    """A county whose submitted inspections have real JPEGs (1600×1200, Pillow) and no print copies yet (made before
    this version, or restored from a backup)."""
    county = photo_county(tmp_path / "county", n_inspections=3)
    yield county
    county.registry.close()  # again after a context closed it: a no-op


@pytest.fixture
def open_window(qtbot, county):
    made = []

    def open_with(answer: bool):
        ctx = AppContext(county.registry, HeadlessInteraction(answer=answer, stream=io.StringIO()), TaskRunner(),
                         None)
        started: list[str] = []
        ctx.tasks.task_started.connect(lambda task: started.append(task.label))
        window = MainWindow(ctx)
        made.append((ctx, window))
        return ctx, window, started

    yield open_with
    for ctx, window in made:
        window.close()
        ctx.tasks.wait(10000)
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        ctx.close()


def all_missing(registry) -> int:
    return len(print_copies.missing(registry, print_copies.submitted(registry.read())))


def asked(ctx) -> list[str]:
    return [text for kind, _title, text in ctx.interaction.messages if kind == "confirm"]


def told(ctx) -> list[str]:
    return [text for kind, _title, text in ctx.interaction.messages if kind == "info"]


def test_the_action_sits_with_the_reports_and_explains_itself(open_window):
    _ctx, window, _started = open_window(True)
    action = window.actions.prepare_print_copies
    menu = [a for a in window.file_menu.actions() if not a.isSeparator()]
    assert menu.index(action) == menu.index(window.actions.report_tags) + 1
    assert action.text() == "Prepare photos for &printing…" and action.isEnabled()
    assert "print copies" in action.statusTip() and "fast" in action.statusTip()


def test_yes_makes_every_missing_print_copy_in_the_background(qtbot, county, open_window):
    missing = all_missing(county.registry)
    assert missing >= 4 and not stamped_copies(county.registry.path)
    ctx, window, started = open_window(True)
    window.actions.prepare_print_copies.trigger()
    assert not asked(ctx)  # counted in the background, not on the GUI thread
    qtbot.waitUntil(lambda: bool(asked(ctx)), timeout=WAIT)
    assert asked(ctx) == [(f"{missing} photos have no print copy yet; making them takes about {minutes_for(missing)} "
                           "minutes in the background (you can keep working, and cancel in the status bar). Start?")]
    assert "Counting photos without a print copy" in started
    qtbot.waitUntil(lambda: all_missing(county.registry) == 0, timeout=WAIT)
    assert len(stamped_copies(county.registry.path)) == missing
    assert PREPARING in started and not told(ctx)
    qtbot.waitUntil(lambda: print_copies_of(ctx).task is None and not ctx.tasks.active, timeout=WAIT)


def test_nothing_missing_says_so_and_starts_nothing(qtbot, county, open_window):
    stats = print_copies.prepare(county.registry, print_copies.submitted(county.registry.read()), workers=0)
    assert stats.made >= 4 and all_missing(county.registry) == 0
    ctx, window, started = open_window(True)
    window.actions.prepare_print_copies.trigger()
    qtbot.waitUntil(lambda: bool(told(ctx)), timeout=WAIT)
    assert told(ctx) == ["All photos of the submitted inspections already have a print copy: printing is fast."]
    qtbot.waitUntil(lambda: not ctx.tasks.active, timeout=WAIT)
    assert not asked(ctx) and PREPARING not in started and print_copies_of(ctx).task is None


def test_no_starts_nothing(qtbot, county, open_window):
    missing = all_missing(county.registry)
    ctx, window, started = open_window(False)
    window.actions.prepare_print_copies.trigger()
    qtbot.waitUntil(lambda: bool(asked(ctx)), timeout=WAIT)
    qtbot.waitUntil(lambda: not ctx.tasks.active, timeout=WAIT)
    qtbot.wait(200)
    assert PREPARING not in started and print_copies_of(ctx).task is None
    assert all_missing(county.registry) == missing and not stamped_copies(county.registry.path)


def test_the_estimate_is_rounded_up_with_one_core_left_for_the_desk():
    assert minutes_for(1, cpus=8) == 1
    assert minutes_for(1200, cpus=2) == 1             # 60 s on one worker
    assert minutes_for(1201, cpus=2) == 2
    assert minutes_for(12_000, cpus=5) == 3           # 600 s / 4 workers = 2.5 min
    assert minutes_for(2400, cpus=1) == minutes_for(2400, cpus=2) == 2   # one core: still one worker
    assert minutes_for(0, cpus=4) == 0


def counted(registry):
    from nibi_desk.gui import print_copies as gui_print_copies

    steps = gui_print_copies.count_missing(registry)
    progress = []
    try:
        while True:
            progress.append(next(steps))
    except StopIteration as stop:
        return stop.value, progress


def test_the_count_counts_a_copy_once_across_chunks(county, monkeypatch):
    from nibi_desk.gui import print_copies as gui_print_copies

    monkeypatch.setattr(gui_print_copies, "COUNT_CHUNK", 1)
    (ids, count), progress = counted(county.registry)
    submitted = print_copies.submitted(county.registry.read())
    assert ids == submitted
    assert count == all_missing(county.registry)
    assert progress[0] == (0, len(ids)) and progress[-1] == (len(ids), len(ids)) and len(progress) == len(ids) + 1


def test_the_count_hands_on_only_the_inspections_that_lack_a_copy(county, monkeypatch):
    """Making the copies then looks through those inspections only, not through every one again."""
    from nibi_desk.gui import print_copies as gui_print_copies

    monkeypatch.setattr(gui_print_copies, "COUNT_CHUNK", 1)
    submitted = print_copies.submitted(county.registry.read())
    print_copies.prepare(county.registry, submitted[:1], workers=0)
    (ids, count), _progress = counted(county.registry)
    assert ids == submitted[1:]
    assert count == all_missing(county.registry) > 0
    print_copies.prepare(county.registry, ids, workers=0)
    assert counted(county.registry)[0] == ([], 0)


class FinishingRunner(TaskRunner):
    """Returns from ``run`` only once the task has finished in its worker: what a busy GUI thread sees when a small
    job ends before the caller of ``run`` gets the task back."""

    def run(self, fn, *args, **kwargs):
        task = super().run(fn, *args, **kwargs)
        assert self.wait_for([task], 10000)
        time.sleep(0.05)  # past the task's last signal
        return task


@pytest.mark.parametrize("runner", [FinishingRunner, lambda: TaskRunner(sync=True)], ids=["ended-first", "inline"])
def test_a_job_that_ends_before_run_returns_lets_the_next_one_start(qtbot, county, runner):
    ctx = AppContext(county.registry, HeadlessInteraction(answer=True, stream=io.StringIO()), runner(), None)
    try:
        ids = print_copies.submitted(county.registry.read())
        first, rest = ids[:1], ids[1:]
        assert print_copies.missing(county.registry, first) and print_copies.missing(county.registry, rest)
        prepare_print_copies(ctx, first)
        qtbot.waitUntil(lambda: print_copies_of(ctx).task is None, timeout=WAIT)
        assert not print_copies.missing(county.registry, first)
        prepare_print_copies(ctx, rest)
        qtbot.waitUntil(lambda: all_missing(county.registry) == 0 and print_copies_of(ctx).task is None,
                        timeout=WAIT)
        qtbot.waitUntil(lambda: not ctx.tasks.active, timeout=WAIT)
    finally:
        ctx.close()
