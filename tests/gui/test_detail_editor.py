"""The asset editor (live validation, GCJ-02/DMS entry, generated attributes, mounts) and the asset detail dock."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QKeySequence, QShortcut  # noqa: E402
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QWidget  # noqa: E402

from nibi_desk.commands.assets import add_asset, edit_asset, mount  # noqa: E402
from nibi_desk.context import Context  # noqa: E402
from nibi_desk.domain import coords, gb28181  # noqa: E402
from nibi_desk.errors import ValidationError  # noqa: E402
from nibi_desk.gui.asset_editor import AssetEditor  # noqa: E402
from nibi_desk.gui.context import AppContext  # noqa: E402
from nibi_desk.gui.detail_dock import DetailDock  # noqa: E402
from nibi_desk.gui.fonts import install_bundled_font  # noqa: E402
from nibi_desk.gui.tasks import TaskRunner  # noqa: E402
from nibi_desk.i18n import _  # noqa: E402
from nibi_desk.interaction import HeadlessInteraction  # noqa: E402
from nibi_desk.storage import assets  # noqa: E402
from nibi_desk.storage.registry import Registry  # noqa: E402

pytestmark = pytest.mark.gui

COUNTY = "420682"
TOWNSHIP = "420682001000"  # 光化街道
VILLAGE = "420682001002"   # 胜利路居委会
CAMERA_ID = "42068200001320000001"
SHOTS = Path("/tmp/nibi-shots")
WAIT = 5000


# -- fixtures (kept here: tests/gui/conftest.py belongs to another module's author) --------------------------------
@pytest.fixture
def ctx(tmp_path, qapp):
    install_bundled_font(qapp)
    registry = Registry.create(tmp_path / "r.nibi", COUNTY, actor="tester")
    context = AppContext(registry, HeadlessInteraction(), TaskRunner(), settings=None)
    yield context
    context.close()  # waits for background tasks and closes the registry


@pytest.fixture
def seeded(ctx):
    """A pole carrying a camera; returns (pole id, camera id)."""
    core = Context(ctx.registry, ctx.interaction)
    pole = add_asset(core, {"type": "smart_pole", "name": "光化大道1号杆", "code": "GH-P-0001", "division": TOWNSHIP,
                            "lon": 111.6712, "lat": 32.3856, "attrs": {"height_m": 8, "functions": ["lighting"]}})["id"]
    camera = add_asset(core, {"type": "camera", "name": "光化大道与胜利路口-枪机", "code": CAMERA_ID,
                              "division": VILLAGE, "address": "光化大道与胜利路交叉口", "lon": 111.6712, "lat": 32.3856,
                              "status": "in_service", "operator": "中国电信",
                              "attrs": {"class": "A", "camera_type": "bullet", "online": True}})["id"]
    mount(core, pole, camera, "挑臂1")
    return pole, camera


@pytest.fixture
def editor_factory(ctx, qtbot):
    def make(asset_id=None) -> AssetEditor:
        editor = AssetEditor(ctx, asset_id)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        return editor

    return make


# -- helpers -------------------------------------------------------------------------------------------------------
def line(editor, name) -> QLineEdit:
    return editor.findChild(QLineEdit, name)


def combo(editor, name) -> QComboBox:
    return editor.findChild(QComboBox, name)


def err(editor, field) -> QLabel:
    label = editor.findChild(QLabel, f"err_{field}")
    assert label is not None, f"no error label for {field}"
    return label


def save_button(editor):
    return editor.findChild(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Save)


def choose(box: QComboBox, data) -> None:
    index = box.findData(data)
    assert index >= 0, data
    box.setCurrentIndex(index)


def fill_camera(editor, code=CAMERA_ID, lon="111.6712", lat="32.3856", klass="A"):
    choose(combo(editor, "typeCombo"), "camera")
    line(editor, "nameEdit").setText("胜利路口-球机")
    line(editor, "codeEdit").setText(code)
    choose(combo(editor, "townshipCombo"), TOWNSHIP)
    line(editor, "lonEdit").setText(lon)
    line(editor, "latEdit").setText(lat)
    if klass:
        choose(editor.findChild(QComboBox, "attr_class"), klass)


def shown_problem(qtbot, editor, field) -> str:
    """Wait for the debounced validation to show a problem next to ``field``; return its text."""
    qtbot.waitUntil(lambda: err(editor, field).isVisible(), timeout=WAIT)
    return err(editor, field).text()


def save_and_wait(qtbot, editor) -> str:
    with qtbot.waitSignal(editor.saved, timeout=WAIT) as blocker:
        editor.save()
    return blocker.args[0]


def visible_text(widget: QWidget) -> str:
    parts = [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]
    parts += [button.text() for button in widget.findChildren(QPushButton) if button.isVisibleTo(widget)]
    return "\n".join(parts)


def load(qtbot, dock, asset_id):
    with qtbot.waitSignal(dock.loaded, timeout=WAIT, check_params_cb=lambda shown: shown == asset_id):
        dock.show_asset(asset_id)


# -- editor: refusing bad input ------------------------------------------------------------------------------------
def test_editor_rejects_a_19_digit_gb28181_id_next_to_the_code_field(ctx, editor_factory, qtbot):
    editor = editor_factory()
    bad = CAMERA_ID[:-1]
    fill_camera(editor, code=bad)
    text = shown_problem(qtbot, editor, "code")
    with pytest.raises(ValidationError) as reason:
        gb28181.parse(bad, county=COUNTY)
    expected = _(reason.value.template).format(**reason.value.params)
    assert expected in text and "19" in text
    assert not save_button(editor).isEnabled()
    assert editor.findChild(QLabel, "codeLabel").text() == "国标编码"
    editor.save()  # Ctrl+S on an invalid form writes nothing
    assert assets.count(ctx.registry.read()) == 0
    line(editor, "codeEdit").setText(CAMERA_ID)
    qtbot.waitUntil(lambda: not err(editor, "code").isVisible(), timeout=WAIT)
    assert save_button(editor).isEnabled()


def test_editor_rejects_a_coordinate_outside_the_county(ctx, editor_factory, qtbot):
    editor = editor_factory()
    fill_camera(editor, lon="114.3055", lat="30.5928")  # 武汉
    text = shown_problem(qtbot, editor, "lon")
    assert "114.3055" in text and "111.45" in text  # the point and the county's extent
    assert not save_button(editor).isEnabled()


def test_editor_shows_unreadable_coordinates_per_axis(ctx, editor_factory, qtbot):
    editor = editor_factory()
    fill_camera(editor, lon="111.67", lat="32°75′")
    assert "60" in shown_problem(qtbot, editor, "lat")
    assert not err(editor, "lon").isVisible()
    assert not save_button(editor).isEnabled()


def test_a_missing_required_attribute_is_shown_next_to_it(ctx, editor_factory, qtbot):
    editor = editor_factory()
    fill_camera(editor, klass=None)
    text = shown_problem(qtbot, editor, "attrs.class")
    assert "类别" in text  # the schema's translated label names the attribute
    assert not save_button(editor).isEnabled()
    choose(editor.findChild(QComboBox, "attr_class"), "B")
    qtbot.waitUntil(lambda: save_button(editor).isEnabled(), timeout=WAIT)
    assert not err(editor, "attrs.class").isVisible()


def test_a_camera_of_another_county_is_accepted_with_an_amber_note(ctx, editor_factory, qtbot):
    editor = editor_factory()
    fill_camera(editor, code="42068300001320000007")
    note = editor.findChild(QLabel, "findingsLabel")
    qtbot.waitUntil(note.isVisible, timeout=WAIT)
    assert "420683" in note.text()
    assert save_button(editor).isEnabled() and not err(editor, "code").isVisible()


# -- editor: accepting and storing ---------------------------------------------------------------------------------
def test_gcj02_entry_is_stored_as_wgs84(ctx, editor_factory, qtbot):
    editor = editor_factory()
    fill_camera(editor, lon="111.676543", lat="32.387654")
    combo(editor, "crsCombo").setCurrentIndex(1)  # GCJ-02
    expected = coords.gcj02_to_wgs84(111.676543, 32.387654)
    qtbot.waitUntil(lambda: f"{expected[0]:.6f}" in editor.findChild(QLabel, "convertedLabel").text(), timeout=WAIT)
    asset_id = save_and_wait(qtbot, editor)
    stored = assets.get(ctx.registry.read(), asset_id)
    assert stored["lon"] == pytest.approx(expected[0], abs=1e-7)
    assert stored["lat"] == pytest.approx(expected[1], abs=1e-7)
    assert abs(stored["lon"] - 111.676543) > 1e-4  # really converted, not stored as typed
    assert stored["grid_code"] == editor.findChild(QLabel, "gridLabel").text()


def test_dms_entry_stores_the_decimal_value(ctx, editor_factory, qtbot):
    editor = editor_factory()
    fill_camera(editor, lon="111°40′30″E", lat="32°23′24″N")
    asset_id = save_and_wait(qtbot, editor)
    stored = assets.get(ctx.registry.read(), asset_id)
    assert (stored["lon"], stored["lat"]) == (111.675, 32.39)
    assert stored["division"] == TOWNSHIP and stored["attrs"] == {"class": "A"}


def test_changing_the_type_regenerates_the_attribute_widgets(ctx, editor_factory, qtbot):
    editor = editor_factory()
    choose(combo(editor, "typeCombo"), "base_station")
    assert editor.findChild(QWidget, "attr_site_type") is not None
    assert editor.findChild(QLabel, "codeLabel").text() == "站址编码"
    choose(combo(editor, "typeCombo"), "smart_pole")
    qtbot.waitUntil(lambda: editor.findChild(QWidget, "attr_site_type") is None, timeout=WAIT)
    height = editor.findChild(QWidget, "attr_height_m")
    assert height is not None and height.isVisible()
    assert editor.findChild(QLabel, "codeLabel").text() == "杆体编码"
    assert not editor.findChild(QLineEdit, "mountEdit").isEnabled()  # a pole is not mounted on a pole
    line(editor, "nameEdit").setText("新杆")
    height.findChild(QLineEdit).setText("80")  # the schema allows 2–60 m
    assert "80" in shown_problem(qtbot, editor, "attrs.height_m")
    height.findChild(QLineEdit).setText("12.5")
    qtbot.waitUntil(lambda: save_button(editor).isEnabled(), timeout=WAIT)
    asset_id = save_and_wait(qtbot, editor)
    assert assets.get(ctx.registry.read(), asset_id)["attrs"] == {"height_m": 12.5}


def test_edit_mode_writes_only_the_edited_field(ctx, seeded, editor_factory, qtbot):
    _pole, camera = seeded
    editor = editor_factory(camera)
    assert line(editor, "nameEdit").text() == "光化大道与胜利路口-枪机"
    assert combo(editor, "villageCombo").currentData() == VILLAGE
    assert editor.findChild(QWidget, "attr_online").checkState() == Qt.CheckState.Checked
    assert not combo(editor, "typeCombo").isEnabled()
    assert line(editor, "mountEdit").text() == "GH-P-0001 · 光化大道1号杆" and line(editor, "mountEdit").isReadOnly()
    line(editor, "nameEdit").setText("胜利路口-枪机")
    assert save_and_wait(qtbot, editor) == camera
    conn = ctx.registry.read()
    assert assets.get(conn, camera)["name"] == "胜利路口-枪机"
    newest = assets.audit_of(conn, camera)[-1]
    assert newest["action"] == "update"
    assert json.loads(newest["changes"]) == {"name": ["光化大道与胜利路口-枪机", "胜利路口-枪机"]}


def test_edit_mode_clears_an_attribute(ctx, seeded, editor_factory, qtbot):
    _pole, camera = seeded
    editor = editor_factory(camera)
    choose(editor.findChild(QComboBox, "attr_camera_type"), None)
    save_and_wait(qtbot, editor)
    assert assets.get(ctx.registry.read(), camera)["attrs"] == {"class": "A", "online": True}


def test_choosing_a_pole_mounts_the_new_camera(ctx, seeded, editor_factory, qtbot):
    pole, _camera = seeded
    editor = editor_factory()
    fill_camera(editor, code="42068200001320000002")
    line(editor, "mountEdit").setText("no such pole")
    assert "no such pole" in shown_problem(qtbot, editor, "mount")
    assert not save_button(editor).isEnabled()
    line(editor, "mountEdit").setText("GH-P-0001 · 光化大道1号杆")  # as the completer fills it in
    qtbot.waitUntil(lambda: save_button(editor).isEnabled(), timeout=WAIT)
    asset_id = save_and_wait(qtbot, editor)
    carries = assets.mounts_of(ctx.registry.read(), pole)["carries"]
    assert asset_id in {m["id"] for m in carries}
    assert ctx.interaction.messages == []


def test_edit_mode_mounts_an_unmounted_camera_and_saving_nothing_writes_nothing(ctx, seeded, editor_factory, qtbot):
    pole, _camera = seeded
    loose = add_asset(Context(ctx.registry), {"type": "camera", "name": "散装", "attrs": {"class": "B"}})["id"]
    editor = editor_factory(loose)
    assert not line(editor, "mountEdit").isReadOnly()
    assert save_and_wait(qtbot, editor) == loose  # nothing changed: closes without a write
    assert len(assets.audit_of(ctx.registry.read(), loose)) == 1
    editor = editor_factory(loose)
    line(editor, "mountEdit").setText("GH-P-0001")  # a code typed in full is enough
    save_and_wait(qtbot, editor)
    conn = ctx.registry.read()
    assert [m["id"] for m in assets.mounts_of(conn, loose)["carried_by"]] == [pole]
    assert len(assets.audit_of(conn, loose)) == 1  # the mount is its own record; the camera is unchanged


def test_ctrl_s_saves_and_escape_cancels(ctx, editor_factory, qtbot):
    editor = editor_factory()
    fill_camera(editor)
    # The offscreen platform never activates a window, so a key press cannot reach a window shortcut: check the
    # binding and fire it.
    shortcuts = [s for s in editor.findChildren(QShortcut) if s.key().matches(QKeySequence("Ctrl+S"))]
    assert len(shortcuts) == 1 and shortcuts[0].context() == Qt.ShortcutContext.WindowShortcut
    with qtbot.waitSignal(editor.saved, timeout=WAIT):
        shortcuts[0].activated.emit()
    assert assets.count(ctx.registry.read()) == 1
    other = editor_factory()
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert not other.isVisible() and other.result() == 0


def test_a_failed_write_is_reported_through_the_interaction(ctx, seeded, editor_factory, qtbot):
    _pole, camera = seeded
    editor = editor_factory(camera)
    line(editor, "nameEdit").setText("改名")
    from nibi_desk.commands.assets import delete_asset

    delete_asset(Context(ctx.registry), camera)  # someone else deletes it meanwhile
    editor.save()
    qtbot.waitUntil(lambda: any(kind == "error" for kind, *_ in ctx.interaction.messages), timeout=WAIT)
    assert editor.isVisible() and save_button(editor).isEnabled()


# -- detail dock ---------------------------------------------------------------------------------------------------
def test_detail_dock_shows_the_camera(ctx, seeded, qtbot):
    pole, camera = seeded
    dock = DetailDock(ctx)
    qtbot.addWidget(dock)
    dock.show()
    assert dock.objectName() == "detailDock"
    load(qtbot, dock, camera)
    text = visible_text(dock)
    assert "光化大道与胜利路口-枪机" in text
    assert "老河口市 / 光化街道 / 胜利路居委会" in text
    for expected in gb28181.parse(CAMERA_ID, county=COUNTY).labels():
        assert expected in text
    assert "111°40′16.32″E" in text  # DMS beside the decimal value
    assert "一类（公安联网）" in text  # enum value labels from the schema
    mounts = dock.findChild(QWidget, "section_mounts")
    assert [b.property("assetId") for b in mounts.findChildren(QPushButton, "mountLink")] == [pole]
    entries = dock.findChildren(QLabel, "auditEntry")
    assert len(entries) == 1 and "tester" in entries[0].text()
    assert dock.findChild(QLabel, "statusBadge").text()

    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        edit_asset(Context(ctx.registry), camera, {"name": "胜利路口-枪机"})  # the writer notifies the dock
    assert "胜利路口-枪机" in visible_text(dock)
    entries = dock.findChildren(QLabel, "auditEntry")
    assert len(entries) == 2 and "光化大道与胜利路口-枪机 → 胜利路口-枪机" in entries[0].text()  # newest first


def test_detail_dock_decoding_findings_are_amber(ctx, qtbot):
    core = Context(ctx.registry)
    camera = add_asset(core, {"type": "camera", "name": "界边", "code": "42068300001320000007", "attrs": {"class": "B"}})
    dock = DetailDock(ctx)
    qtbot.addWidget(dock)
    load(qtbot, dock, camera["id"])
    findings = dock.findChildren(QLabel, "gbFinding")
    assert findings and "420683" in findings[0].text() and "color" in findings[0].styleSheet()


def test_detail_dock_follows_a_language_switch(ctx, seeded, qtbot, qapp):
    from nibi_desk.gui import i18n as gui_i18n

    _pole, camera = seeded
    dock = DetailDock(ctx)
    qtbot.addWidget(dock)
    load(qtbot, dock, camera)
    assert dock.findChild(QLabel, "detailType").text() == "视频监控"
    gui_i18n.install_translations(qapp, "zh_CN")
    qtbot.wait(50)
    assert dock.findChild(QLabel, "detailType").text() == "视频监控"
    gui_i18n.install_translations(qapp, "en")  # also switches the core's language; conftest switches back
    qtbot.waitUntil(lambda: dock.findChild(QLabel, "detailType").text() == "Camera", timeout=WAIT)
    assert "Class" in visible_text(dock) and "A (police-networked)" in visible_text(dock)


def test_mount_links_request_the_other_asset(ctx, seeded, qtbot):
    pole, camera = seeded
    dock = DetailDock(ctx)
    qtbot.addWidget(dock)
    dock.show()
    load(qtbot, dock, pole)
    link = dock.findChild(QPushButton, "mountLink")
    assert link.property("assetId") == camera
    with qtbot.waitSignal(dock.asset_requested, timeout=WAIT) as blocker:
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert blocker.args == [camera]
    assert dock.findChild(QWidget, "section_gb28181") is None  # a pole has no GB/T 28181 ID


def test_detail_dock_photos_and_empty_states(ctx, seeded, qtbot, tmp_path):
    _pole, camera = seeded
    dock = DetailDock(ctx)
    qtbot.addWidget(dock)
    load(qtbot, dock, camera)
    photos = dock.findChild(QWidget, "section_photos")
    assert photos is not None and not photos.findChildren(QLabel, "photoThumb")
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    image.save(str(tmp_path / "p.png"))
    dock.set_photos([tmp_path / "p.png"])
    qtbot.waitUntil(lambda: len(dock.findChildren(QLabel, "photoThumb")) == 1, timeout=WAIT)
    load(qtbot, dock, camera)  # a refresh keeps the photos of the same asset
    assert len(dock.findChildren(QLabel, "photoThumb")) == 1
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.show_asset(None)
    assert dock.asset_id is None and dock.findChild(QLabel, "detailMessage") is not None


# -- screenshots ---------------------------------------------------------------------------------------------------
def test_screenshots(ctx, seeded, editor_factory, qtbot, tmp_path):
    _pole, camera = seeded
    editor = editor_factory()
    fill_camera(editor, code=CAMERA_ID[:-1], lon="111°40′30″E", lat="32.39")
    combo(editor, "crsCombo").setCurrentIndex(1)
    shown_problem(qtbot, editor, "code")
    editor.grab().save(str(tmp_path / "editor.png"))
    edit = editor_factory(camera)
    edit.grab().save(str(tmp_path / "editor-edit.png"))
    dock = DetailDock(ctx)
    qtbot.addWidget(dock)
    dock.resize(380, 1400)
    dock.show()
    load(qtbot, dock, camera)
    dock.grab().save(str(tmp_path / "dock.png"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("editor.png", "editor-edit.png", "dock.png"):
        assert (tmp_path / name).stat().st_size > 10_000
        shutil.copy(tmp_path / name, SHOTS / name)
