"""The import wizard walked through on a small ledger, and the export dialog writing a file."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QWizard  # noqa: E402

from nibi_desk.gui.context import AppContext  # noqa: E402
from nibi_desk.gui.interop import open_export_dialog, open_import_wizard  # noqa: E402
from nibi_desk.gui.tasks import TaskRunner  # noqa: E402
from nibi_desk.interaction import HeadlessInteraction  # noqa: E402
from nibi_desk.storage import assets  # noqa: E402
from nibi_desk.storage.assets import Filters  # noqa: E402
from nibi_desk.storage.registry import Registry  # noqa: E402
from tests import interop_ledgers as L  # noqa: E402

pytestmark = pytest.mark.gui
WAIT = 10000


@pytest.fixture
def ctx(tmp_path, qapp):
    registry = Registry.create(tmp_path / "r.nibi", L.COUNTY, actor="tester")
    context = AppContext(registry, HeadlessInteraction(), TaskRunner(), settings=None)
    yield context
    context.close()


def test_import_wizard_walk_through(ctx, qtbot, tmp_path):
    source = L.write_xlsx(tmp_path / "ledger.xlsx")
    wizard = open_import_wizard(ctx, None)
    qtbot.addWidget(wizard)
    assert not wizard.button(QWizard.NextButton).isEnabled()
    wizard.file_page.path_edit.setText(str(source))
    assert wizard.button(QWizard.NextButton).isEnabled()

    wizard.next()  # sheet and header row
    page = wizard.sheet_page
    qtbot.waitUntil(lambda: page.isComplete(), timeout=WAIT)
    assert [page.sheet_combo.itemText(i) for i in range(page.sheet_combo.count())] == ["监控点位", "说明"]
    assert page.header_row() == 3 and page.preview.rowCount() == 15

    wizard.next()  # columns
    combos = wizard.mapping_page.combos
    assert [c.currentData() for c in combos] == [None, "name", "code", "lon", "lat", "address", "division",
                                                  "attrs.class", "attrs.camera_type", "status"]
    combos[5].setCurrentIndex(0)  # leave the address out

    wizard.next()  # type and coordinates
    types = wizard.type_page
    assert types.fixed.isChecked()
    types.type_combo.setCurrentIndex(types.type_combo.findData("camera"))

    wizard.next()  # the dry run
    preview = wizard.preview_page
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=WAIT)
    assert wizard.plan.counts()["new"] == 5 and wizard.plan.counts()["error"] == 6
    assert preview.rows.rowCount() == 7  # six errors and the row whose coordinates were swapped
    assert not preview.isComplete()  # all or nothing is impossible with errors
    preview.valid_only.setChecked(True)
    preview.errors_path.setText(str(tmp_path / "errors.xlsx"))
    assert preview.isComplete()

    wizard.next()  # import
    qtbot.waitUntil(lambda: wizard.apply_page.isComplete(), timeout=WAIT)
    assert wizard.result is not None and wizard.result.inserted == 5
    assert assets.count(ctx.registry.read()) == 5
    assert (tmp_path / "errors.xlsx").exists()
    assert assets.find(ctx.registry.read(), L.ID.format(1))["address"] is None  # the column was left out
    wizard.accept()


def test_wizard_reports_an_unreadable_file(ctx, qtbot, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    wizard = open_import_wizard(ctx, None)
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(bad))
    wizard.next()
    qtbot.waitUntil(lambda: any(kind == "error" for kind, *_ in ctx.interaction.messages), timeout=WAIT)
    assert not wizard.sheet_page.isComplete()
    wizard.reject()


def test_export_dialog_writes_a_file(ctx, qtbot, tmp_path):
    from nibi_desk.commands.assets import add_asset

    for i in (1, 2):
        add_asset(ctx, {"type": "camera", "name": f"路口{i}", "code": L.ID.format(i), "lon": 111.67, "lat": 32.38,
                        "division": "420682001", "attrs": {"class": "A"}})
    add_asset(ctx, {"type": "smart_pole", "name": "灯杆", "lon": 111.60, "lat": 32.45})
    dialog = open_export_dialog(ctx, None, filters=Filters(types=("camera",)), bbox=(111.6, 32.3, 111.7, 32.4))
    qtbot.addWidget(dialog)
    assert dialog.type_combo.currentData() == "camera" and dialog.view_check.isChecked()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("gpkg"))
    assert dialog.srs_combo.isEnabled()
    dialog.srs_combo.setCurrentIndex(dialog.srs_combo.findData(4490))
    out = tmp_path / "cameras.gpkg"
    dialog.path_edit.setText(str(out))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=WAIT)
    assert dialog.result.count == 2 and out.exists()
    assert "2" in dialog.status.text()

    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("xlsx"))
    assert dialog.path_edit.text().endswith(".xlsx") and not dialog.srs_combo.isEnabled()
    dialog.type_combo.setCurrentIndex(0)
    dialog.view_check.setChecked(False)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None and dialog.result.format == "xlsx", timeout=WAIT)
    assert dialog.result.count == 3
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=WAIT)
    dialog.reject()
