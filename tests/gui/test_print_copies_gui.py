"""Print copies made in the background when photos arrive in the GUI: after an inspection is submitted and after a
return bundle is imported in the wizard, the copies its reports place exist without anyone printing; closing the
context stops a running job between photos and leaves no worker process and no half-written file."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication  # noqa: E402

from nibi_desk import i18n  # noqa: E402
from nibi_desk.gui.context import AppContext  # noqa: E402
from nibi_desk.gui.inspection import windows_of  # noqa: E402
from nibi_desk.gui.print_copies import prepare_print_copies, print_copies_of  # noqa: E402
from nibi_desk.gui.sync import open_import_bundle  # noqa: E402
from nibi_desk.gui.tasks import TaskRunner  # noqa: E402
from nibi_desk.inspection import evidence, submission, users  # noqa: E402
from nibi_desk.interaction import HeadlessInteraction  # noqa: E402
from nibi_desk.photos.store import PhotoStore  # noqa: E402
from nibi_desk.reports import print_copies  # noqa: E402
from tests.gui.test_inspection_gui import (  # noqa: E402
    draw_signature,
    make_ctx,
    open_window,
    shortcut,
)
from tests.inspection_fixtures import PASSWORD, cheap_hasher, passing_answers, world  # noqa: E402,F401
from tests.photos_helpers import DATETIME_ORIGINAL, gps_block, make_jpeg  # noqa: E402
from tests.print_copies_fixtures import return_bundle, stamped_copies  # noqa: E402
from tests.reports_fixtures import photo_county, picture  # noqa: E402

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_worker_left_behind")]
WAIT = 20000


def labels_of(ctx) -> list[str]:
    started: list[str] = []
    ctx.tasks.task_started.connect(lambda task: started.append(task.label))
    return started


def test_submitting_an_inspection_makes_its_print_copies(qtbot, world, tmp_path):  # noqa: F811
    ctx = make_ctx(world, "zhang")
    started = labels_of(ctx)
    try:
        window = open_window(qtbot, ctx, world.pole)
        inspection_id = window.inspection_id
        window.saver.enabled = False
        window.close()
        qtbot.waitUntil(lambda: windows_of(ctx).find(inspection_id) is None, timeout=WAIT)
        from nibi_desk.inspection import inspections

        inspections.save_answers(ctx, inspection_id, passing_answers(window.form_model))
        needs = [f.key for f in window.form_model.fields if f.needs_photo] + [None]
        for n, item in enumerate(needs):
            path = tmp_path / f"p{n}.jpg"
            make_jpeg(path, image=picture((1600, 1200)), gps=gps_block(32.39, 111.68),
                      exif_ifd={DATETIME_ORIGINAL: time.strftime("%Y:%m:%d %H:%M:%S")})
            submission.attach_photo(ctx, inspection_id, evidence.store_file(world.registry.path, path), item=item)
        wanted = print_copies.missing(world.registry, [inspection_id])
        assert len(wanted) == len(needs) and not stamped_copies(world.registry.path)

        window = open_window(qtbot, ctx, world.pole)
        draw_signature(qtbot, window)
        with qtbot.waitSignal(window.submitted, timeout=WAIT):
            shortcut(window, "Ctrl+S").activated.emit()
        qtbot.waitUntil(lambda: not print_copies.missing(world.registry, [inspection_id]), timeout=WAIT)
        assert stamped_copies(world.registry.path) == sorted(job.target for job in wanted)
        assert "Preparing photos for printing" in started
        qtbot.waitUntil(lambda: not ctx.tasks.active, timeout=WAIT)
    finally:
        for window in list(windows_of(ctx).windows.values()):
            window.saver.enabled = False
            window.close()
        ctx.tasks.wait(10000)
        QApplication.processEvents()
        ctx.registry.writer.listeners.remove(ctx._listener)
        ctx.tasks.close()


def test_importing_a_return_bundle_in_the_wizard_makes_its_print_copies(qtbot, tmp_path, cheap_hasher):  # noqa
    office, bundle, inspection_id = return_bundle(tmp_path)
    ctx = AppContext(office.registry, HeadlessInteraction(answer=True), TaskRunner(), settings=None)
    started = labels_of(ctx)
    try:
        users.sign_in(ctx, "office", PASSWORD)
        wizard = open_import_bundle(ctx, None, bundle)
        qtbot.addWidget(wizard)
        wizard.next()
        qtbot.waitUntil(lambda: wizard.plan is not None, timeout=WAIT)
        wizard.next()
        qtbot.waitUntil(lambda: wizard.apply_page.isComplete(), timeout=WAIT)
        wanted = print_copies.placed(office.registry.read(), print_copies.cache_for(office.registry.path),
                                     [inspection_id])
        assert len(wanted) >= 2
        qtbot.waitUntil(lambda: not print_copies.missing(office.registry, [inspection_id]), timeout=WAIT)
        assert stamped_copies(office.registry.path) == sorted(job.target for job in wanted)
        assert "Preparing photos for printing" in started
        wizard.accept()
    finally:
        ctx.close()


def test_closing_the_context_stops_a_running_job(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(print_copies, "MIN_POOL_JOBS", 1)
    monkeypatch.setattr(print_copies, "PER_WORKER", 1)
    i18n.set_language("zh_CN")
    county = photo_county(tmp_path / "county")
    ctx = AppContext(county.registry, HeadlessInteraction(answer=True), TaskRunner(), settings=None)
    ids = print_copies.submitted(county.registry.read())
    total = len(print_copies.missing(county.registry, ids))
    progress = []
    prepare_print_copies(ctx, ids)
    task = print_copies_of(ctx).task
    task.progress.connect(lambda done, total, label: progress.append(done))
    qtbot.waitUntil(lambda: bool(progress) and progress[-1] >= 1, timeout=WAIT)
    start = time.monotonic()
    ctx.close()  # cancels between photos, shuts the workers down, waits
    assert time.monotonic() - start < 10 and task.state == "cancelled"
    left = len(print_copies.missing(county.registry, ids))
    assert 0 < left < total
    assert not [p for p in PhotoStore.for_registry(county.registry.path).root.rglob("*.part")]
