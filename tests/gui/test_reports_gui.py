"""Reports in the GUI: generated in a (synchronous) task, previewed with QPdfView, printed to a PDF printer, saved."""

from __future__ import annotations

import pytest
from PySide6.QtPrintSupport import QPrinter

from nibi_desk.gui.context import AppContext
from nibi_desk.gui.reports import (open_batch_reports, open_notice, open_report_for_inspection, open_summary,
                                   open_tags)
from nibi_desk.gui.tasks import TaskRunner
from nibi_desk.interaction import HeadlessInteraction
from tests.reports_fixtures import make_county

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    c = make_county(tmp_path_factory.mktemp("gui-county"), n_inspections=4, photos=1, size=(400, 300))
    yield c
    c.registry.close()


@pytest.fixture
def ctx(county):
    context = AppContext(county.registry, HeadlessInteraction(), TaskRunner(sync=True), settings=None)
    yield context
    county.registry.writer.listeners.remove(context._listener)


def test_preview_print_and_save(ctx, county, qtbot, tmp_path):
    shown = []
    open_report_for_inspection(ctx, None, county.camera_inspection, on_preview=shown.append)
    assert shown, "the preview opened after the task finished"
    preview = shown[0]
    qtbot.addWidget(preview)
    assert preview.document.pageCount() >= 2
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.print_to(printer) == preview.document.pageCount()
    assert (tmp_path / "printed.pdf").stat().st_size > 0
    saved = preview.save_to(tmp_path / "copy")
    assert saved.suffix == ".pdf" and saved.read_bytes() == preview.path.read_bytes()


def test_summary_notice_and_tags_open(ctx, county, qtbot):
    shown = []
    open_summary(ctx, None, "2026", on_preview=shown.append)
    open_notice(ctx, None, county.defects[0], on_preview=shown.append)
    open_notice(ctx, None, county.closed_defect, on_preview=shown.append)
    code = county.registry.read().execute("SELECT code FROM assets WHERE code IS NOT NULL LIMIT 1").fetchone()[0]
    open_tags(ctx, None, [code], layout="3x7", on_preview=shown.append)
    assert len(shown) == 4 and all(p.document.pageCount() >= 1 for p in shown)
    for preview in shown:
        qtbot.addWidget(preview)


def test_batch_as_one_file_and_as_separate_files_reports_its_progress(county, qtbot, tmp_path):
    """On the thread pool: each report's progress reaches the main thread through the task runner, then the one
    PDF is previewed, or the separate files are written and announced."""
    ctx = AppContext(county.registry, HeadlessInteraction(), TaskRunner(), settings=None)
    progress: list[tuple[int, int]] = []
    ctx.tasks.task_started.connect(
        lambda task: task.progress.connect(lambda done, total, _label: progress.append((done, total))))
    try:
        shown = []
        open_batch_reports(ctx, None, {}, separate=False, on_preview=shown.append)
        qtbot.waitUntil(lambda: bool(shown), timeout=60000)
        qtbot.addWidget(shown[0])
        assert shown[0].document.pageCount() >= 4
        assert progress and progress[-1] == (4, 4)
        progress.clear()
        folder = tmp_path / "separate"
        folder.mkdir()
        open_batch_reports(ctx, None, {}, separate=True, folder=str(folder))
        qtbot.waitUntil(lambda: any(kind == "info" for kind, *_ in ctx.interaction.messages), timeout=60000)
        assert len(list(folder.glob("*.pdf"))) == 4
        assert progress and progress[-1] == (4, 4)
    finally:
        ctx.tasks.wait()
        county.registry.writer.listeners.remove(ctx._listener)
