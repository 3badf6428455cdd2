"""Field inspection in the GUI: the generated form, saving as you go, photos, signature, submit, defects by role,
plans and the today list, signing in, and screenshots (zh_CN) of the inspection, defects and plans windows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QImage, QPointingDevice, QShortcut, QTabletEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QMainWindow, QPlainTextEdit, \
    QProgressBar, QPushButton, QWidget  # noqa: E402

from nibi_desk.errors import PermissionDenied  # noqa: E402
from nibi_desk.gui import controllers  # noqa: E402
from nibi_desk.gui.context import AppContext  # noqa: E402
from nibi_desk.gui.detail_dock import DetailDock  # noqa: E402
from nibi_desk.gui.fonts import install_bundled_font  # noqa: E402
from nibi_desk.gui.i18n import install_translations  # noqa: E402
from nibi_desk.gui.inspection import ensure_signed_in, open_defects, open_inspection, open_plans, open_today, \
    start_inspection, windows_of  # noqa: E402
from nibi_desk.gui.inspection.defects_view import DefectsView  # noqa: E402
from nibi_desk.gui.inspection.plan_dialog import NewPlanDialog  # noqa: E402
from nibi_desk.gui.inspection.plans_view import PlansView  # noqa: E402
from nibi_desk.gui.inspection.sign_in import SignInDialog  # noqa: E402
from nibi_desk.gui.inspection.today_dock import TodayDock  # noqa: E402
from nibi_desk.gui.tasks import TaskRunner  # noqa: E402
from nibi_desk.inspection import defects, evidence, inspections, plans, submission, users  # noqa: E402
from nibi_desk.interaction import HeadlessInteraction  # noqa: E402
from nibi_desk.photos.store import PhotoStore  # noqa: E402
from nibi_desk.storage.assets import Filters  # noqa: E402
from tests.inspection_fixtures import PASSWORD, cheap_hasher, complete_inspection, form_for, passing_answers, \
    world  # noqa: E402,F401
from tests.photos_helpers import DATETIME_ORIGINAL, gps_block, make_jpeg  # noqa: E402

pytestmark = pytest.mark.gui

SHOTS = Path("/tmp/nibi-shots")
WAIT = 8000
TAP = 32  # the least a finger can hit reliably


# -- fixtures and helpers ------------------------------------------------------------------------------------------
def make_ctx(world, login: str | None, answer: bool = True) -> AppContext:
    ctx = AppContext(world.registry, HeadlessInteraction(answer=answer), TaskRunner(), settings=None)
    if login:
        users.sign_in(ctx, login, PASSWORD)
    return ctx


@pytest.fixture
def contexts(world, qapp):
    made: list[AppContext] = []

    def make(login: str | None = "zhang", answer: bool = True) -> AppContext:
        ctx = make_ctx(world, login, answer)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        for window in list(windows_of(ctx).windows.values()):
            window.saver.enabled = False
            window.close()
        ctx.tasks.wait(10000)
        QApplication.processEvents()
        if ctx._listener in ctx.registry.writer.listeners:  # the registry itself is closed by the world fixture
            ctx.registry.writer.listeners.remove(ctx._listener)
        ctx.tasks.close()
        ctx.tasks.wait(10000)


@pytest.fixture
def inspector(contexts):
    return contexts("zhang")


def idle(qtbot, ctx) -> None:
    """Wait until every save and background task of the context has finished."""
    def quiet() -> bool:
        savers = [w.saver for w in windows_of(ctx).windows.values() if shiboken6.isValid(w)]
        return not ctx.tasks.active and not any(s.pending for s in savers)

    QTest.qWait(10)
    qtbot.waitUntil(quiet, timeout=WAIT)


def open_window(qtbot, ctx, asset_id: str, **start):
    inspection_id = inspections.start(ctx, asset_id, **start)
    window = open_inspection(ctx, None, inspection_id)
    qtbot.waitExposed(window)
    return window


def shortcut(window, keys: str) -> QShortcut:
    found = [s for s in window.findChildren(QShortcut) if s.key().toString() == keys]
    assert len(found) == 1, keys
    return found[0]


def row(window, key):
    return window.form.rows[key]


def button(widget, name) -> QPushButton:
    found = widget.findChild(QPushButton, name)
    assert found is not None, name
    return found


def jpeg(tmp: Path, name: str, lon: float | None = None, lat: float | None = None) -> Path:
    path = tmp / name
    taken = datetime.now().strftime("%Y:%m:%d %H:%M:%S")
    make_jpeg(path, gps=gps_block(lat, lon) if lon is not None else None, exif_ifd={DATETIME_ORIGINAL: taken})
    return path


def draw_signature(qtbot, window) -> None:
    pad = window.signature.pad
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, 40))
    for x in range(30, 260, 20):
        QTest.mouseMove(pad, QPoint(x, 40 + (x % 40)))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(260, 60))


def answer_all_passing(window) -> None:
    """Click or type a passing answer into every item through the widgets."""
    for f in window.form_model.fields:
        r = row(window, f.key)
        if f.kind == "pass_fail":
            QTest.mouseClick(r.pass_button, Qt.MouseButton.LeftButton)
        elif f.kind == "choice":
            good = next(o.value for o in f.options if not o.fails)
            QTest.mouseClick(r.option_buttons[good], Qt.MouseButton.LeftButton)
        elif f.kind == "multi":
            QTest.mouseClick(r.none_button, Qt.MouseButton.LeftButton)
        elif f.kind == "number":
            from tests.inspection_fixtures import passing_value

            r.number.setText(f"{passing_value(f):g}")
            r.number.editingFinished.emit()
        elif f.kind == "text":
            r.text.setPlainText("一切正常")
            window.form.flush_typing()


# -- the generated form --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("asset", ["camera", "pole", "station"])
def test_the_form_of_each_default_template_has_the_widgets_of_its_items(qtbot, world, inspector, asset):
    window = open_window(qtbot, inspector, getattr(world, asset))
    form = window.form_model
    assert set(window.form.rows) == {f.key for f in form.fields}
    assert len(window.form.section_boxes) == len(form.sections)
    for f in form.fields:
        r = row(window, f.key)
        kinds = {"pass_fail": r.pass_button is not None, "number": r.number is not None,
                 "choice": bool(r.option_buttons) and r.none_button is None,
                 "multi": r.none_button is not None, "text": r.text is not None}
        assert [k for k, present in kinds.items() if present] == ([f.kind] if f.kind != "photo" else []), f.key
        if f.kind in ("choice", "multi"):
            assert set(r.option_buttons) == {o.value for o in f.options}
            assert all(b.isCheckable() for b in r.option_buttons.values())
        if f.kind == "number":
            assert f.unit in [label.text() for label in r.findChildren(QLabel)]
            assert f"{f.min:g}" in r.hint.text() and f"{f.max:g}" in r.hint.text()
        assert (r.na_button is not None) == f.allow_na, f.key
        assert r.photo_button.isVisibleTo(window) == f.needs_photo, f.key
        assert r.note.isVisibleTo(window) == (f.kind != "text")
        assert not r.problem.isVisibleTo(window)  # nothing is red before the inspector has done anything
        for b in r.findChildren(QPushButton):
            if b.isVisibleTo(window):
                assert b.height() >= TAP or b.minimumHeight() >= TAP, (f.key, b.objectName())
    assert "0/" in window.form.header.text() or " 0 " in window.form.header.text()


def test_buttons_save_at_once_typing_after_a_pause_and_the_draft_survives_reopening(qtbot, world, inspector):
    window = open_window(qtbot, inspector, world.station)
    inspection_id = window.inspection_id
    QTest.mouseClick(row(window, "tower_body").fail_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(row(window, "mains").option_buttons["generator"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(row(window, "alarms").option_buttons["door_alarm"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(row(window, "fence").na_button, Qt.MouseButton.LeftButton)
    idle(qtbot, inspector)
    stored = inspections.get(world.registry.read(), inspection_id)["answers"]
    assert stored["tower_body"] == {"value": False} and stored["mains"] == {"value": "generator"}
    assert stored["alarms"] == {"value": ["door_alarm"]} and stored["fence"] == {"na": True}
    assert not row(window, "fence").pass_button.isEnabled()  # N/A: the answer buttons step aside

    QTest.keyClicks(row(window, "cabinet_temp").number, "35.5")
    row(window, "tower_body").note.insert("塔身东侧倾斜")  # typed through an input method: no key events
    row(window, "remarks").text.insertPlainText("门口有积水")
    assert "cabinet_temp" not in inspections.get(world.registry.read(), inspection_id)["answers"]  # debounced
    qtbot.waitUntil(lambda: inspections.get(world.registry.read(), inspection_id)["answers"].get("cabinet_temp")
                    == {"value": 35.5}, timeout=WAIT)
    qtbot.waitUntil(lambda: inspections.get(world.registry.read(), inspection_id)["answers"].get("remarks")
                    == {"value": "门口有积水"}, timeout=WAIT)
    qtbot.waitUntil(lambda: "note" in inspections.get(world.registry.read(), inspection_id)["answers"]["tower_body"],
                    timeout=WAIT)
    stored = inspections.get(world.registry.read(), inspection_id)["answers"]
    assert stored["tower_body"] == {"value": False, "note": "塔身东侧倾斜"}
    assert [d["id"] for d in inspections.drafts(world.registry.read(), inspector=inspector.user.user_id)] == \
        [inspection_id]
    assert "1" in window.form.header.text()  # live result: defects found

    QTest.keyClick(window, Qt.Key.Key_Escape)  # closes, keeping the draft
    qtbot.waitUntil(lambda: windows_of(inspector).find(inspection_id) is None, timeout=WAIT)
    again = open_window(qtbot, inspector, world.station)
    assert again.inspection_id == inspection_id
    assert row(again, "tower_body").fail_button.isChecked()
    assert row(again, "tower_body").note.text() == "塔身东侧倾斜"
    assert row(again, "mains").option_buttons["generator"].isChecked()
    assert row(again, "alarms").option_buttons["door_alarm"].isChecked()
    assert row(again, "fence").na_button.isChecked()
    assert row(again, "cabinet_temp").number.text() == "35.5"
    assert row(again, "remarks").text.toPlainText() == "门口有积水"


def test_range_and_required_problems_show_next_to_the_items_and_block_submit(qtbot, world, inspector):
    window = open_window(qtbot, inspector, world.station)
    QTest.keyClicks(row(window, "grounding_ohm").number, "2000")
    problem = row(window, "grounding_ohm").problem
    qtbot.waitUntil(problem.isVisible, timeout=WAIT)
    assert "2000" in problem.text() and "1000" in problem.text()
    assert not row(window, "tower_body").problem.isVisible()  # "required" waits for a submit attempt

    window.submit()
    idle(qtbot, inspector)
    assert row(window, "tower_body").problem.isVisible()
    assert row(window, "grounding_ohm").problem.isVisible()
    assert window.summary.isVisible() and window.summary.count() >= len(window.form_model.fields) - 3
    fields = {window.summary.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.summary.count())}
    assert {"tower_body", "grounding_ohm", "cabinet_photo", "signature"} <= fields
    assert "remarks" not in fields and "antenna_tilt" not in fields  # optional items
    assert inspections.get(world.registry.read(), window.inspection_id)["status"] == "draft"

    QTest.mouseClick(row(window, "tower_body").pass_button, Qt.MouseButton.LeftButton)
    assert not row(window, "tower_body").problem.isVisible()  # fixed: the red line goes at once


def test_a_photo_required_item_blocks_submit_until_a_photo_is_attached(qtbot, world, inspector, tmp_path):
    window = open_window(qtbot, inspector, world.camera)
    answer_all_passing(window)
    draw_signature(qtbot, window)
    window.submit()
    idle(qtbot, inspector)
    blocked = {window.summary.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.summary.count())}
    assert blocked == {"image_clear", "site_photo"}  # everything else is answered and signed
    assert row(window, "image_clear").problem.isVisible()
    assert inspections.get(world.registry.read(), window.inspection_id)["status"] == "draft"

    done = []
    window.add_photo_paths([jpeg(tmp_path, "image.jpg", 111.6700, 32.3800)], "image_clear", done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT)
    assert done[0]["linked"] and not done[0]["failed"]
    assert row(window, "image_clear").photo_button.text().endswith(("(1)", "（1）"))
    assert not row(window, "image_clear").problem.isVisible()
    window.submit()
    idle(qtbot, inspector)
    assert inspections.get(world.registry.read(), window.inspection_id)["status"] == "draft"  # site_photo still
    window.add_photo_paths([jpeg(tmp_path, "site.jpg", 111.6700, 32.3800)], "site_photo")
    idle(qtbot, inspector)
    inspection_id = window.inspection_id
    window.submit()
    qtbot.waitUntil(lambda: windows_of(inspector).find(inspection_id) is None, timeout=WAIT)
    assert inspections.get(world.registry.read(), inspection_id)["status"] == "submitted"
    assert any(m[0] == "info" for m in inspector.interaction.messages)


def test_photos_import_in_the_background_with_their_findings_and_give_the_position(qtbot, world, inspector, tmp_path):
    window = open_window(qtbot, inspector, world.pole)
    folder = tmp_path / "camera"
    folder.mkdir()
    jpeg(folder, "near.jpg", 111.6801, 32.3901)
    jpeg(folder, "far.jpg", 111.7300, 32.4300)
    (folder / "broken.jpg").write_bytes(b"not a jpeg")
    done = []
    window.add_photo_paths([folder], None, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT)
    assert len(done[0]["linked"]) == 2 and [name for name, _ in done[0]["failed"]] == ["broken.jpg"]
    assert any(m[0] == "warn" for m in inspector.interaction.messages)
    assert window.photos.list.count() == 2
    far = next(p for p in window.photos.photos if p["original_name"] == "far.jpg")
    assert [f["code"] for f in far["flags"]] == ["photo_position_far"]
    window.photos.select(far["id"])
    assert window.photos.findings.isVisibleTo(window) and window.photos.position_button.isEnabled()
    qtbot.waitUntil(lambda: all(not window.photos.list.item(i).icon().isNull()
                                for i in range(window.photos.list.count())), timeout=WAIT)

    window.position_from_photo(far["id"])
    idle(qtbot, inspector)
    stored = inspections.get(world.registry.read(), window.inspection_id)
    assert stored["stood_source"] == "exif" and stored["distance_m"] > 1000
    assert window.card.proximity.isVisibleTo(window) and "⚠" in window.card.proximity.text()

    window.position.lon.setText("111°40′48″E")
    window.position.lat.setText("32.3900")
    QTest.mouseClick(window.position.set_button, Qt.MouseButton.LeftButton)
    idle(qtbot, inspector)
    stored = inspections.get(world.registry.read(), window.inspection_id)
    assert stored["stood_source"] == "typed" and stored["distance_m"] < 100
    assert "✓" in window.card.proximity.text()
    window.position.lat.setText("ninety")
    QTest.mouseClick(window.position.set_button, Qt.MouseButton.LeftButton)
    assert window.position.error.isVisibleTo(window)

    assert not window.position.map_button.isEnabled()  # no map listens: nothing to pick on
    picks = []
    windows_of(inspector).pick_position_requested.connect(picks.append)
    window.hide()
    window.show()
    assert window.position.map_button.isEnabled()
    QTest.mouseClick(window.position.map_button, Qt.MouseButton.LeftButton)
    assert picks == [window.inspection_id]
    windows_of(inspector).set_picked_position(window.inspection_id, 111.6800, 32.3900)
    idle(qtbot, inspector)
    assert inspections.get(world.registry.read(), window.inspection_id)["stood_source"] == "map"


def test_a_drawn_signature_is_stored_as_a_png(qtbot, world, inspector):
    window = open_window(qtbot, inspector, world.pole)
    assert window.signature.pad.is_empty()
    draw_signature(qtbot, window)
    device = QPointingDevice.primaryPointingDevice()
    for kind, x in ((QTabletEvent.Type.TabletPress, 40), (QTabletEvent.Type.TabletMove, 120),
                    (QTabletEvent.Type.TabletRelease, 120)):
        event = QTabletEvent(kind, device, QPointF(x, 100), QPointF(x, 100), 0.8, 0, 0, 0, 0, 0,
                             Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
        QApplication.sendEvent(window.signature.pad, event)
    assert len(window.signature.pad.strokes) == 2
    qtbot.waitUntil(lambda: inspections.get(world.registry.read(), window.inspection_id)["signature"] is not None,
                    timeout=WAIT)  # saved after a pause, without closing the window
    sha = inspections.get(world.registry.read(), window.inspection_id)["signature"]
    png = PhotoStore.for_registry(world.registry.path).path_of(sha).read_bytes()
    image = QImage.fromData(png)
    assert png.startswith(b"\x89PNG") and not image.isNull()
    assert any(image.pixelColor(x, 40).lightness() < 128 for x in range(20, 260))  # ink where it was drawn

    QTest.mouseClick(window.signature.clear_button, Qt.MouseButton.LeftButton)
    window.submit()  # a cleared pad is not a signature, even though the stored one is still there
    assert "signature" in {window.summary.item(i).data(Qt.ItemDataRole.UserRole)
                           for i in range(window.summary.count())}


# -- submitting ----------------------------------------------------------------------------------------------------
def test_submit_closes_the_window_and_the_detail_dock_shows_a_read_only_history_entry(qtbot, world, inspector,
                                                                                        tmp_path):
    dock = DetailDock(inspector)
    qtbot.addWidget(dock)
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.show_asset(world.pole)
    window = open_window(qtbot, inspector, world.pole)
    inspection_id = window.inspection_id
    with qtbot.assertNotEmitted(dock.loaded, wait=300):  # saving a draft's answers does not redraw the dock
        inspections.save_answers(inspector, inspection_id, passing_answers(window.form_model))
    for f in window.form_model.fields:
        if f.needs_photo:
            submission.attach_photo(inspector, inspection_id, evidence.store_file(world.registry.path, jpeg(
                tmp_path, f"{f.key}.jpg", 111.68, 32.39)), item=f.key)
    window.close()
    qtbot.waitUntil(lambda: windows_of(inspector).find(inspection_id) is None, timeout=WAIT)
    window = open_window(qtbot, inspector, world.pole)
    draw_signature(qtbot, window)
    with qtbot.waitSignal(window.submitted, timeout=WAIT):
        shortcut(window, "Ctrl+S").activated.emit()  # offscreen windows never become active for key dispatch
    qtbot.waitUntil(lambda: windows_of(inspector).find(inspection_id) is None, timeout=WAIT)
    stored = inspections.get(world.registry.read(), inspection_id)
    assert stored["status"] == "submitted" and stored["result"] == "normal" and stored["score"] == 100

    qtbot.waitUntil(lambda: dock.findChild(QLabel, "inspectionEntry") is not None, timeout=WAIT)
    entry = dock.findChild(QLabel, "inspectionEntry")
    assert "张巡检" in entry.text() and "100" in entry.text()
    assert entry.property("inspectionId") == inspection_id
    assert not entry.textInteractionFlags() & Qt.TextInteractionFlag.TextEditable

    record = open_inspection(inspector, None, inspection_id)  # a submitted record opens read-only
    qtbot.waitExposed(record)
    assert not record.editable and not record.submit_button.isVisible()
    assert not row(record, "pole_body").pass_button.isEnabled() and row(record, "pole_body").pass_button.isChecked()
    assert not record.signature.pad.is_empty()
    record.close()


# -- defects -------------------------------------------------------------------------------------------------------
def test_raising_a_defect_from_a_failed_item(qtbot, world, inspector, tmp_path):
    window = open_window(qtbot, inspector, world.station)
    r = row(window, "tower_body")
    assert not r.defect_button.isVisibleTo(window)
    QTest.mouseClick(r.fail_button, Qt.MouseButton.LeftButton)
    assert r.defect_button.isVisibleTo(window) and r.photo_button.isVisibleTo(window)
    window.add_photo_paths([jpeg(tmp_path, "tilt.jpg", 111.69, 32.40)], "tower_body")
    idle(qtbot, inspector)
    dialog = window.raise_defect("tower_body")
    assert dialog is not None and dialog.severity.currentData() == "major"  # the item's hint
    assert dialog.category.currentData() == "tower"
    dialog.findChild(QPlainTextEdit, "description").setPlainText("塔身向东倾斜约 2°")
    dialog.severity.setCurrentIndex(dialog.severity.findData("critical"))
    assert dialog.deadline.date().toPython() == date.today() + timedelta(days=7)
    assert "1" in dialog.photo_count.text()
    dialog._accept()
    idle(qtbot, inspector)
    found = defects.list_defects(world.registry.read(), asset=world.station)
    assert len(found) == 1 and found[0]["item"] == "tower_body" and found[0]["severity"] == "critical"
    assert found[0]["description"] == "塔身向东倾斜约 2°"
    assert [p["before"] is not None for p in defects.photo_pairs(world.registry.read(), found[0]["id"])] == [True]
    assert r.defect_badge.isVisibleTo(window) and not r.defect_button.isVisibleTo(window)


@pytest.fixture
def defect(world, tmp_path):
    """An open defect raised by the inspector zhang from a failed camera inspection."""
    ctx = world.inspector
    inspection_id = inspections.start(ctx, world.camera)
    inspections.save_answers(ctx, inspection_id, {**passing_answers(form_for(world, inspection_id)),
                                                  "housing": False})
    submission.attach_photo(ctx, inspection_id, evidence.store_file(world.registry.path, jpeg(
        tmp_path, "before.jpg", 111.67, 32.38)), item="housing")
    return defects.raise_defect(ctx, inspection_id, "housing", "护罩松动")


def defects_view(qtbot, ctx, defect_id) -> DefectsView:
    view = DefectsView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: any(r["id"] == defect_id for r in view.rows), timeout=WAIT)
    view.select(defect_id)
    return view


def enabled(view) -> set[str]:
    return {name for name, b in view.buttons.items() if b.isEnabled()}


def test_defect_actions_follow_the_role_and_the_core_refuses_a_forbidden_one(qtbot, world, contexts, defect,
                                                                             tmp_path):
    inspector, office, supervisor = contexts("zhang"), contexts("office"), contexts("zhao")
    views = {name: defects_view(qtbot, ctx, defect) for name, ctx in
             (("inspector", inspector), ("office", office), ("supervisor", supervisor))}
    assert enabled(views["inspector"]) == set() and enabled(views["supervisor"]) == set()
    assert enabled(views["office"]) == {"issue_notice"}
    assert views["office"].pairs.findChildren(QLabel)  # the before photo is shown

    views["inspector"].issue_notice({"notice_no": "X-1", "responsible_unit": "铁塔公司", "notice_date": None})
    idle(qtbot, inspector)
    assert any(m[0] == "error" for m in inspector.interaction.messages)  # PermissionDenied, shown
    assert defects.get(world.registry.read(), defect)["status"] == "open"

    views["office"].issue_notice({"notice_no": "LHK-2026-001", "responsible_unit": "县铁塔公司",
                                  "notice_date": date.today().isoformat()})
    for view in views.values():
        qtbot.waitUntil(lambda v=view: v.current() is not None and v.current()["status"] == "notice_issued",
                        timeout=WAIT)
    assert enabled(views["inspector"]) == {"rectify"} and enabled(views["office"]) == {"rectify"}
    assert enabled(views["supervisor"]) == set()

    views["inspector"].rectify({"note": "已紧固护罩螺栓", "paths": [jpeg(tmp_path, "after.jpg", 111.67, 32.38)]})
    qtbot.waitUntil(lambda: defects.get(world.registry.read(), defect)["status"] == "rectified", timeout=WAIT)
    for view in views.values():
        qtbot.waitUntil(lambda v=view: v.current()["status"] == "rectified", timeout=WAIT)
    assert enabled(views["inspector"]) == set() and enabled(views["office"]) == {"close", "reopen"}

    views["inspector"].close_defect(confirm=False)  # the button is disabled; calling it anyway is refused
    idle(qtbot, inspector)
    with pytest.raises(PermissionDenied):
        defects.close(inspector, defect)
    assert defects.get(world.registry.read(), defect)["status"] == "rectified"
    pairs = defects.photo_pairs(world.registry.read(), defect)
    assert pairs[0]["before"] is not None and pairs[0]["after"] is not None

    views["office"].reopen({"reason": "照片看不清"})
    qtbot.waitUntil(lambda: defects.get(world.registry.read(), defect)["status"] == "reopened", timeout=WAIT)
    views["office"].rectify({"note": "重新整改", "paths": []})  # the after photo from before still counts
    qtbot.waitUntil(lambda: defects.get(world.registry.read(), defect)["status"] == "rectified", timeout=WAIT)
    qtbot.waitUntil(lambda: views["office"].current()["status"] == "rectified", timeout=WAIT)
    views["office"].close_defect(confirm=True)  # HeadlessInteraction answers yes
    qtbot.waitUntil(lambda: defects.get(world.registry.read(), defect)["status"] == "closed", timeout=WAIT)


def test_the_defects_view_filters_and_highlights_overdue_defects(qtbot, world, contexts, defect):
    office = contexts("office")
    defects.edit(office, defect, deadline=(date.today() - timedelta(days=3)).isoformat())
    view = defects_view(qtbot, office, defect)
    assert view.rows[0]["overdue"] and view.table.item(0, 0).background().color().alpha() > 0
    assert "⚠" in view.table.item(0, 5).text()
    view.overdue_check.setChecked(True)
    qtbot.waitUntil(lambda: len(view.rows) == 1, timeout=WAIT)
    view.severity_combo.setCurrentIndex(view.severity_combo.findData("critical"))
    qtbot.waitUntil(lambda: view.rows == [], timeout=WAIT)
    view.severity_combo.setCurrentIndex(0)
    view.status_combo.setCurrentIndex(view.status_combo.findData("closed"))
    qtbot.waitUntil(lambda: view.rows == [] and view.table.rowCount() == 0, timeout=WAIT)


# -- plans and the today list --------------------------------------------------------------------------------------
def test_a_new_plan_gets_tasks_and_the_inspector_starts_one_from_the_today_list(qtbot, world, contexts):
    office, inspector = contexts("office"), contexts("zhang")
    zhang = users.get_user(world.registry.read(), "zhang")["id"]
    dialog = NewPlanDialog(office, None, Filters(types=("smart_pole",)), [world.station])
    qtbot.addWidget(dialog)
    dialog.name.setText("2026年摄像机月度巡检")
    dialog.types["camera"].setChecked(True)
    dialog.inspector.setCurrentIndex(dialog.inspector.findData(zhang))
    qtbot.waitUntil(lambda: dialog.count.text().startswith("1"), timeout=WAIT)
    dialog.use_filters.setChecked(True)
    assert dialog.selection()["types"] == ["camera"]  # the ticked types win over the browser's
    dialog.use_ids.setChecked(True)
    assert dialog.selection()["ids"] == [world.station]
    dialog.use_filters.setChecked(False)
    dialog.use_ids.setChecked(False)
    values = dialog.values()
    assert values["selection"] == {"types": ["camera"]} and values["cycle"] == "monthly" and values["generate"]
    dialog.name.clear()
    dialog._accept()
    assert dialog.problems.isVisibleTo(dialog) and dialog.result() != QDialog.DialogCode.Accepted
    dialog.name.setText("2026年摄像机月度巡检")

    view = PlansView(office)
    qtbot.addWidget(view)
    view.show()
    assert view.new_button.isEnabled()
    view.new_plan(dialog.values())
    qtbot.waitUntil(lambda: len(view.rows) == 1 and view.rows[0]["progress"]["total"] == 2, timeout=WAIT)
    bar = view.table.cellWidget(0, 5)
    assert isinstance(bar, QProgressBar) and bar.value() == 0 and bar.maximum() == 2
    assert view.periods.rowCount() == 2  # this month and the next, the plan selected after creation
    view.generate()
    qtbot.waitUntil(lambda: "0" in view.note.text(), timeout=WAIT)
    assert PlansView(inspector).new_button.isEnabled() is False

    main = QMainWindow()
    qtbot.addWidget(main)
    dock = open_today(inspector, main)
    assert isinstance(dock, TodayDock) and main.dockWidgetArea(dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    qtbot.waitUntil(lambda: len(dock.tasks) == 1, timeout=WAIT)  # the task of this month (next month: not begun)
    task = dock.tasks[0]
    assert task["asset"] == world.camera and task["bucket"] in ("overdue", "today", "this_week", "later")
    assert open_today(inspector, main) is dock
    dock.select(task["id"])
    assert dock.start_button.isEnabled()
    QTest.mouseClick(dock.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(windows_of(inspector).windows), timeout=WAIT)
    window = next(iter(windows_of(inspector).windows.values()))
    assert inspections.get(world.registry.read(), window.inspection_id)["task"] == task["id"]
    window.close()

    progress = plans.progress(world.registry.read(), view.rows[0]["id"])
    assert progress["done"] == 0 and progress["open"] == 2


# -- signing in ----------------------------------------------------------------------------------------------------
def test_sign_in_dialog_and_the_offer_to_continue_a_draft(qtbot, world, contexts):
    draft = inspections.start(world.inspector, world.pole)
    ctx = contexts(None)
    attempts = []

    def fill(password: str) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(20, lambda: fill(password))
            return
        dialog.findChild(QLineEdit, "login").setText("zhang")
        dialog.findChild(QLineEdit, "password").setText(password)
        dialog.try_sign_in()
        if password != PASSWORD:
            qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT)
            attempts.append(dialog.error.text())
            fill(PASSWORD)

    QTimer.singleShot(0, lambda: fill("wrong password"))
    assert ensure_signed_in(ctx, None)
    assert ctx.user is not None and ctx.user.login == "zhang" and ctx.registry.actor == "zhang"
    assert len(attempts) == 1 and attempts[0] in ("Wrong login or password", "登录名或密码错误")
    asked = [m for m in ctx.interaction.messages if m[0] == "confirm"]
    assert len(asked) == 1 and "胜利路智慧灯杆" in asked[0][2]
    window = windows_of(ctx).find(draft)
    assert window is not None and window.editable
    assert ensure_signed_in(ctx, None)  # already signed in: nothing asked


def test_cancelling_sign_in_and_a_registry_without_users(qtbot, world, contexts, tmp_path):
    ctx = contexts(None)

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, cancel)
            return
        dialog.reject()

    QTimer.singleShot(0, cancel)
    assert not ensure_signed_in(ctx, None) and ctx.user is None
    start_inspection(ctx, None, "")
    assert ctx.interaction.messages[-1][0] == "info"  # no asset selected


# -- the main window's wiring --------------------------------------------------------------------------------------
def test_the_inspection_menu_and_entry_points(qtbot, world, contexts):
    from nibi_desk.gui.main_window import MainWindow

    ctx = contexts("zhang")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.inspection_menu.actions() if not a.isSeparator()]
    assert titles == [window.actions.start_inspection.text(), window.actions.today_tasks.text(),
                      window.actions.inspection_plans.text(), window.actions.defects.text()]
    controllers.start_inspection(ctx, window, world.camera)
    qtbot.waitUntil(lambda: bool(windows_of(ctx).windows), timeout=WAIT)
    assert open_defects(ctx, window) is open_defects(ctx, window)
    assert isinstance(open_plans(ctx, window), PlansView)
    for w in list(windows_of(ctx).windows.values()):
        w.close()


# -- screenshots ---------------------------------------------------------------------------------------------------
def _save(widget, name: str, least: int = 20_000) -> Path:
    QTest.qWait(150)  # widgets added to layouts are shown, and replaced ones deleted, by the event loop
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    assert widget.grab().save(str(path))
    assert path.stat().st_size > least
    return path


def _small_targets(widget) -> list[str]:
    small = []
    for b in widget.findChildren(QPushButton):
        if b.isVisibleTo(widget) and b.height() < TAP:
            small.append(f"{b.objectName()}:{b.text()}:{b.height()}")
    return small


def _truncated(widget) -> list[str]:
    """Buttons whose text does not fit (Qt elides nothing on buttons: it clips)."""
    cut = []
    for b in widget.findChildren(QPushButton):
        if b.isVisibleTo(widget) and b.text():
            need = b.fontMetrics().horizontalAdvance(b.text().replace("&", "")) + \
                (b.iconSize().width() + 4 if not b.icon().isNull() else 0)
            if need > b.width() - 4:
                cut.append(f"{b.objectName()}:{b.text()}")
    return cut


def test_screenshots_zh_cn(qtbot, qapp, world, contexts, defect, tmp_path):
    install_bundled_font(qapp)
    install_translations(qapp, "zh_CN")
    inspector, office = contexts("zhang"), contexts("office")
    window = open_window(qtbot, inspector, world.station)
    window.resize(1280, 800)
    QTest.mouseClick(row(window, "tower_body").pass_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(row(window, "tower_bolts").fail_button, Qt.MouseButton.LeftButton)
    row(window, "tower_bolts").note.insert("东北角两颗螺栓锈蚀")
    QTest.keyClicks(row(window, "grounding_ohm").number, "2000")
    window.add_photo_paths([jpeg(tmp_path, "bolts.jpg", 111.6901, 32.4001),
                            jpeg(tmp_path, "far.jpg", 111.75, 32.45)], "tower_bolts")
    idle(qtbot, inspector)
    window.set_position(111.6902, 32.4002)
    draw_signature(qtbot, window)
    idle(qtbot, inspector)
    qtbot.waitUntil(lambda: all(not window.photos.list.item(i).icon().isNull()
                                for i in range(window.photos.list.count())), timeout=WAIT)
    assert window.submit_button.text() == "提交（Ctrl+S）" and "得分" in window.form.header.text()
    assert not _small_targets(window), _small_targets(window)
    assert not _truncated(window), _truncated(window)
    _save(window, "inspection-window-zh_CN.png")
    window.submit()
    idle(qtbot, inspector)
    _save(window, "inspection-window-problems-zh_CN.png")

    overdue = date.today() - timedelta(days=2)  # highlighted in the view
    defects.raise_defect(inspector, window.inspection_id, "tower_bolts", "东北角两颗螺栓锈蚀", severity="major",
                         deadline=overdue)
    view = defects_view(qtbot, office, defect)
    qtbot.waitUntil(lambda: len(view.rows) == 2, timeout=WAIT)
    view.resize(1280, 720)
    assert not _small_targets(view) and not _truncated(view), (_small_targets(view), _truncated(view))
    _save(view, "defects-view-zh_CN.png")

    zhang = users.get_user(world.registry.read(), "zhang")["id"]
    plans_view = PlansView(office)
    qtbot.addWidget(plans_view)
    plans_view.show()
    plans_view.resize(1200, 640)
    plans_view.new_plan({"name": "2026年智慧灯杆季度巡检", "cycle": "quarterly", "start_date": "2026-01-01",
                         "end_date": None, "inspector": zhang, "selection": {"types": ["smart_pole", "camera"]},
                         "generate": True})
    qtbot.waitUntil(lambda: len(plans_view.rows) == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: plans_view.periods.rowCount() > 0, timeout=WAIT)
    assert not _small_targets(plans_view) and not _truncated(plans_view)
    _save(plans_view, "plans-view-zh_CN.png")
    complete_inspection(world, world.inspector, world.camera, {"housing": False})  # the defect's inspection
    defects.edit(world.office, defect, deadline=(date.today() - timedelta(days=1)).isoformat())
    detail = DetailDock(inspector)
    qtbot.addWidget(detail)
    detail.resize(430, 900)
    detail.show()
    with qtbot.waitSignal(detail.loaded, timeout=WAIT):
        detail.show_asset(world.camera)
    box = detail.findChild(QWidget, "section_inspections")
    detail.widget().ensureWidgetVisible(box)
    assert detail.findChild(QLabel, "inspectionEntry") and detail.findChild(QLabel, "defectEntry")
    _save(box, "detail-inspections-zh_CN.png", 5_000)

    main = QMainWindow()
    qtbot.addWidget(main)
    main.resize(900, 600)
    dock = open_today(inspector, main)
    qtbot.waitUntil(lambda: bool(dock.tasks), timeout=WAIT)
    _save(main, "today-dock-zh_CN.png", 8_000)



def test_the_window_follows_a_language_switch(qtbot, qapp, world, inspector):
    install_translations(qapp, "zh_CN")
    window = open_window(qtbot, inspector, world.camera)
    assert row(window, "angle").pass_button.text() == "✓ 合格" and window.submit_button.text() == "提交（Ctrl+S）"
    assert row(window, "angle").title.text() == "监控角度符合布点要求 *"
    install_translations(qapp, "en")
    qtbot.waitUntil(lambda: window.submit_button.text() == "Submit (Ctrl+S)", timeout=WAIT)
    assert row(window, "angle").pass_button.text() == "✓ Pass"
    assert row(window, "angle").title.text() == "Camera angle as planned *"  # the template's own English label
