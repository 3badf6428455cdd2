"""Picking on the main window's map with the real QtWebEngine (offscreen): the asset editor's and the inspection
window's "pick on map", cancelling, selection both ways between map, table and detail dock, the popup, and the
results of measure and "assets within".

Clicks go through the page: a DOM click event at the pixel of a position, which Leaflet turns into the same map
click (and bridge call) as a user's click. One main window (one browser page) serves the module.
"""

from __future__ import annotations

import io
import json
import time
from types import SimpleNamespace

import pytest
import shiboken6
from argon2 import PasswordHasher
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPushButton

from nibi_desk.domain import coords
from nibi_desk.gui import controllers
from nibi_desk.gui.asset_editor import AssetEditor
from nibi_desk.gui.context import AppContext
from nibi_desk.gui.inspection import open_inspection, windows_of
from nibi_desk.gui.main_window import MainWindow
from nibi_desk.gui.tasks import TaskRunner
from nibi_desk.inspection import inspections, users
from nibi_desk.inspection.inspections import TOO_FAR
from nibi_desk.interaction import HeadlessInteraction
from nibi_desk.maps import viewport
from nibi_desk.storage import assets as store
from tests.gui.page_helpers import TIMEOUT, js, pump, value, wait_js
from tests.inspection_fixtures import CAMERA, PASSWORD, POLE, complete_inspection, make_world

pytestmark = pytest.mark.gui


# -- page helpers ----------------------------------------------------------------------------------------------------
def view(dock, lon: float, lat: float, zoom: int = 17) -> None:
    js(dock.page, f"NibiMap.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); 0")
    wait_js(dock.page, "NibiMap.idle()")


def click_at(dock, lon: float, lat: float) -> list:
    """A click where (lon, lat) is on screen, dispatched to the element there the way the browser delivers a user's
    click: Leaflet computes the position from the pixel. Returns NibiMap.lastPicked afterwards (or null)."""
    return value(dock.page, f"""(function () {{
        var map = NibiMap.map, p = map.latLngToContainerPoint([{lat}, {lon}]);
        var r = map.getContainer().getBoundingClientRect(), x = r.left + p.x, y = r.top + p.y;
        var target = document.elementFromPoint(x, y);
        if (!target || !map.getContainer().contains(target) || target.closest('.leaflet-popup, .leaflet-control')) {{
            throw new Error('not on the map itself at ' + x + ',' + y + ': ' + (target && target.className));
        }}
        target.dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true, view: window,
                                                       clientX: x, clientY: y, button: 0}}));
        return NibiMap.lastPicked || null;
    }})()""")


# -- the module's main window ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def env(qapp, tmp_path_factory):
    previous = users.set_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    world = make_world(tmp_path_factory.mktemp("map-picking"))
    complete_inspection(world, world.inspector, world.camera)  # the camera has a last inspection (popup)
    ctx = AppContext(world.registry, HeadlessInteraction(stream=io.StringIO()), TaskRunner(), None)
    users.sign_in(ctx, "zhang", PASSWORD)
    window = MainWindow(ctx)
    window.resize(1400, 860)
    window.show()
    yield SimpleNamespace(world=world, ctx=ctx, window=window)
    for inspection_window in list(windows_of(ctx).windows.values()):
        if shiboken6.isValid(inspection_window):
            inspection_window.saver.enabled = False
            inspection_window.close()
    window.close()  # disposes the map
    ctx.tasks.wait(10000)
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    ctx.close()
    users.set_hasher(previous)


def ready_map(env):
    """The main window's map (opened by Ctrl+M's action if no test opened it yet), loaded, browsing."""
    window = env.window
    window.actions.show_map.trigger()
    dock = window.map
    window.resizeDocks([dock], [760], Qt.Orientation.Horizontal)
    end = time.monotonic() + TIMEOUT
    while not dock.loaded and time.monotonic() < end:
        pump(0.02)
    assert dock.loaded, "the map page did not load"
    wait_js(dock.page, "NibiMap.ready && NibiMap.idle()")
    return dock


def click_marker(dock, env, asset_id: str) -> bool:
    """Click an asset's symbol through the page (NibiMap.clickMarker fires Leaflet's click on it); symbols are keyed
    by the asset's seq in the app's page (by id in older pages)."""
    seq = env.ctx.registry.read().execute("SELECT seq FROM assets WHERE id = ?", (asset_id,)).fetchone()[0]
    return bool(js(dock.page, f"NibiMap.clickMarker({seq}) || NibiMap.clickMarker({json.dumps(asset_id)})"))


def idle(qtbot, ctx) -> None:
    QTest.qWait(10)
    qtbot.waitUntil(lambda: not ctx.tasks.active and not any(
        w.saver.pending for w in windows_of(ctx).windows.values() if shiboken6.isValid(w)), timeout=10000)


def open_editor(env, qtbot, asset_id: str | None = None) -> AssetEditor:
    before = set(env.window.findChildren(AssetEditor))
    if asset_id is None:
        controllers.new_asset(env.ctx, env.window)
    else:
        controllers.edit_asset(env.ctx, env.window, asset_id)
    editor = (set(env.window.findChildren(AssetEditor)) - before).pop()
    qtbot.waitExposed(editor)
    return editor


def close_editor(editor) -> None:
    editor.reject()
    editor.deleteLater()


def field(editor, name) -> str:
    return editor.findChild(QLineEdit, name).text()


def pick_button(editor) -> QPushButton:
    button = editor.findChild(QPushButton, "pickButton")
    assert button is not None
    return button


def escape_of(dock) -> QShortcut:
    found = [s for s in dock.findChildren(QShortcut) if s.key().matches(QKeySequence("Esc"))]
    assert len(found) == 1 and found[0].context() == Qt.ShortcutContext.WindowShortcut
    return found[0]


# -- the asset editor -----------------------------------------------------------------------------------------------
def test_the_editor_steps_aside_and_gets_the_picked_point_in_wgs84(env, qtbot):
    window = env.window
    editor = open_editor(env, qtbot)
    try:
        assert editor.windowModality() == Qt.WindowModality.WindowModal  # opened with open(): blocks the window
        crs = editor.findChild(QComboBox, "crsCombo")
        crs.setCurrentIndex(1)  # the user had GCJ-02 chosen
        editor.findChild(QLineEdit, "nameEdit").setText("新立杆")
        QTest.mouseClick(pick_button(editor), Qt.MouseButton.LeftButton)
        dock = window.map
        assert dock is not None and dock.isVisible()            # the map opened on demand
        assert not editor.isVisible()                           # stepped aside ...
        assert QApplication.activeModalWidget() is None         # ... so nothing blocks the map
        assert window.picker.active and window.picker.owner() is editor
        assert dock.mode() == "pick" and "新立杆" in dock.tools.hint_label.text()
        assert dock.tools.bar.isVisibleTo(dock) and escape_of(dock).isEnabled()
        ready_map(env)
        wait_js(dock.page, "NibiMap.mode === 'pick'")
        view(dock, 111.675, 32.386)
        with qtbot.waitSignal(window.picker.finished, timeout=10000) as finished:
            picked = click_at(dock, 111.6751234, 32.3861234)
        assert finished.args == [True]
        assert picked == pytest.approx([111.6751234, 32.3861234], abs=2e-5)  # within a pixel at zoom 17
        assert editor.isVisible() and editor.windowModality() == Qt.WindowModality.WindowModal
        assert QApplication.activeModalWidget() is editor       # modal again
        assert crs.currentIndex() == 0                          # switched to WGS-84, nothing converted
        assert field(editor, "lonEdit") == f"{picked[0]:.6f}" and field(editor, "latEdit") == f"{picked[1]:.6f}"
        editor.validate()
        assert editor.findChild(QLabel, "err_lon").text() == "" and editor.findChild(QLabel, "err_lat").text() == ""
        assert editor.findChild(QLabel, "convertedLabel").text().startswith(f"{picked[0]:.6f}"[:8])
        assert dock.mode() == "browse" and not window.picker.active
        assert not dock.tools.bar.isVisibleTo(dock) and not escape_of(dock).isEnabled()
        assert "Picked" in dock.info_label.text()
        # Saved, the registry holds the picked point itself.
        editor.findChild(QComboBox, "townshipCombo").setCurrentIndex(1)
        editor.findChild(QComboBox, "typeCombo").setCurrentIndex(
            editor.findChild(QComboBox, "typeCombo").findData("smart_pole"))
        editor.findChild(QLineEdit, "codeEdit").setText("LHK-P-0099")
        assert editor.validate(), editor.findChild(QLabel, "err_general").text()
        with qtbot.waitSignal(editor.saved, timeout=10000) as saved:
            editor.save()
        row = store.get(env.ctx.registry.read(), saved.args[0])
        assert (row["lon"], row["lat"]) == pytest.approx((round(picked[0], 6), round(picked[1], 6)), abs=1e-9)
    finally:
        if shiboken6.isValid(editor):
            close_editor(editor)


@pytest.mark.parametrize("how", ["escape", "cancel button", "pick button again", "another tool", "map closed"])
def test_cancelling_a_pick_brings_the_editor_back_unchanged(env, qtbot, how):
    window = env.window
    dock = ready_map(env)
    pole = env.world.pole
    editor = open_editor(env, qtbot, pole)
    try:
        crs = editor.findChild(QComboBox, "crsCombo")
        crs.setCurrentIndex(2)  # BD-09 chosen: a cancel must not switch it either
        before = field(editor, "lonEdit"), field(editor, "latEdit")
        assert before == (repr(POLE["lon"]), repr(POLE["lat"]))
        pick_button(editor).click()
        assert not editor.isVisible() and dock.mode() == "pick"
        wait_js(dock.page, "NibiMap.mode === 'pick'")
        with qtbot.waitSignal(window.picker.finished, timeout=5000) as finished:
            if how == "escape":
                escape_of(dock).activated.emit()  # offscreen windows are never active: fire the bound shortcut
            elif how == "cancel button":
                QTest.mouseClick(dock.tools.cancel_button, Qt.MouseButton.LeftButton)
            elif how == "pick button again":
                dock.pick_action.trigger()
            elif how == "another tool":
                dock.measure_action.trigger()
            else:
                dock.close()
        assert finished.args == [False]
        assert editor.isVisible() and QApplication.activeModalWidget() is editor
        assert (field(editor, "lonEdit"), field(editor, "latEdit")) == before and crs.currentIndex() == 2
        assert not window.picker.active and dock.mode() in ("browse", "measure")
        assert dock.isVisible() == (how != "map closed")
        ready_map(env)  # Ctrl+M brings a closed map back
        wait_js(dock.page, f"NibiMap.mode === {json.dumps(dock.mode())}")
        # A click that reaches the page now picks nothing, and a late pick from the page is ignored.
        view(dock, 111.68, 32.39)
        dock.set_mode("browse")
        wait_js(dock.page, "NibiMap.mode === 'browse'")
        js(dock.page, "NibiMap.lastPicked = null; 0")
        assert click_at(dock, 111.6805, 32.3905) is None
        dock.bridge.picked(111.6805, 32.3905)
        pump(0.1)
        assert (field(editor, "lonEdit"), field(editor, "latEdit")) == before
    finally:
        close_editor(editor)
        dock.set_mode("browse")


def test_an_editor_without_a_main_window_cannot_pick(env, qtbot):
    editor = AssetEditor(env.ctx)
    qtbot.addWidget(editor)
    assert not pick_button(editor).isEnabled() and pick_button(editor).toolTip()


# -- the inspection window -----------------------------------------------------------------------------------------
def test_the_inspector_picks_where_they_stood_and_the_proximity_follows(env, qtbot):
    window = env.window
    dock = ready_map(env)
    ctx, pole = env.ctx, env.world.pole
    inspection_id = inspections.start(ctx, pole)
    inspection = open_inspection(ctx, window, inspection_id)
    qtbot.waitExposed(inspection)
    panel = inspection.position
    assert panel.map_button.isEnabled()  # the main window listens: the map is there to pick on

    def pick(lon: float, lat: float) -> list:
        QTest.mouseClick(panel.map_button, Qt.MouseButton.LeftButton)
        assert not inspection.isVisible() and dock.mode() == "pick"
        assert POLE["name"] in dock.tools.hint_label.text()
        wait_js(dock.page, "NibiMap.mode === 'pick'")
        view(dock, lon, lat)
        with qtbot.waitSignal(window.picker.finished, timeout=10000):
            picked = click_at(dock, lon, lat)
        idle(qtbot, ctx)
        assert inspection.isVisible()
        return picked

    # Next to the pole: recorded as picked on the map, close enough.
    picked = pick(POLE["lon"] + 0.0002, POLE["lat"] + 0.0001)
    stored = inspections.get(ctx.registry.read(), inspection_id)
    assert stored["stood_source"] == "map"
    assert (stored["stood_lon"], stored["stood_lat"]) == pytest.approx(picked, abs=1e-9)
    want = coords.haversine_m(picked[0], picked[1], POLE["lon"], POLE["lat"])
    assert stored["distance_m"] == pytest.approx(want, abs=0.5) and stored["distance_m"] < 50
    assert "✓" in inspection.card.proximity.text()
    assert "picked on the map" in panel.state.text() and f"{stored['distance_m']:.0f} m" in panel.state.text()

    # Two kilometres away: flagged, in the card and the panel.
    pick(POLE["lon"] + 0.02, POLE["lat"] + 0.01)
    stored = inspections.get(ctx.registry.read(), inspection_id)
    assert stored["distance_m"] > 1500 and TOO_FAR in [f["code"] for f in stored["flags"]]
    assert "⚠" in inspection.card.proximity.text()
    assert "font-weight: bold" in panel.state.styleSheet()

    # Cancelled: nothing changes.
    QTest.mouseClick(panel.map_button, Qt.MouseButton.LeftButton)
    wait_js(dock.page, "NibiMap.mode === 'pick'")
    with qtbot.waitSignal(window.picker.finished, timeout=5000) as finished:
        escape_of(dock).activated.emit()
    assert finished.args == [False] and inspection.isVisible()
    idle(qtbot, ctx)
    assert inspections.get(ctx.registry.read(), inspection_id) == stored

    # A second window asking takes over: the first comes back without a point.
    QTest.mouseClick(panel.map_button, Qt.MouseButton.LeftButton)
    assert not inspection.isVisible() and window.picker.owner() is inspection
    editor = open_editor(env, qtbot)
    pick_button(editor).click()
    assert inspection.isVisible() and not editor.isVisible() and window.picker.owner() is editor
    escape_of(dock).activated.emit()
    close_editor(editor)
    inspection.saver.enabled = False
    inspection.close()


# -- selection, popup, tools ---------------------------------------------------------------------------------------
def test_a_marker_click_selects_in_table_and_detail_and_the_table_centres_the_map(env, qtbot):
    window = env.window
    dock = ready_map(env)
    camera, station = env.world.camera, env.world.station
    qtbot.waitUntil(lambda: window.browser.model.rowCount() >= 3 and not window.browser.is_busy(), timeout=10000)
    view(dock, CAMERA["lon"], CAMERA["lat"], 16)
    assert click_marker(dock, env, camera)  # the page's own click path on a marker
    qtbot.waitUntil(lambda: window.browser.current_asset_id() == camera, timeout=5000)
    qtbot.waitUntil(lambda: window.detail.asset_id == camera, timeout=5000)
    popup = wait_js(dock.page, "document.querySelector('.nibi-popup-name') && "
                               "document.querySelector('.nibi-popup').innerText")
    last = inspections.of_asset(env.ctx.registry.read(), camera)[0]["submitted_at"][:10]
    assert CAMERA["name"] in popup and CAMERA["code"] in popup and last in popup  # last inspection, not "none"
    status = value(dock.page, "NibiMap.cfg.statuses.find(function (s) { return s.code === 'in_service'; }).name")
    assert status in popup

    # The table's selection moves the map there.
    view(dock, 111.5, 32.6, 12)
    assert window.browser.select_asset(station)
    wait_js(dock.page, f"NibiMap.selected() === {json.dumps(station)} && NibiMap.idle()")
    centre = value(dock.page, "[NibiMap.map.getCenter().lng, NibiMap.map.getCenter().lat, NibiMap.map.getZoom()]")
    assert centre[:2] == pytest.approx([env.world.registry.read().execute(
        "SELECT lon, lat FROM assets WHERE id = ?", (station,)).fetchone()[i] for i in (0, 1)], abs=5e-5)  # a pixel
    assert centre[2] >= 16

    # An asset the table does not list (a search hides it): the table lets go, the detail dock shows it.
    window.browser.search_box.setText("竹林桥")
    window.browser.search_box.search_requested.emit("竹林桥")
    qtbot.waitUntil(lambda: not window.browser.is_busy() and window.browser.model.rowCount() == 1, timeout=10000)
    view(dock, CAMERA["lon"], CAMERA["lat"], 16)
    assert click_marker(dock, env, camera)
    qtbot.waitUntil(lambda: window.detail.asset_id == camera, timeout=5000)
    assert window.browser.current_asset_id() == ""
    assert not window.actions.edit_asset.isEnabled()  # nothing selected in the table to edit by mistake
    window.browser.search_box.setText("")
    window.browser.search_box.search_requested.emit("")
    qtbot.waitUntil(lambda: not window.browser.is_busy() and window.browser.model.rowCount() >= 3, timeout=10000)
    # Selecting that asset in the table later still centres the map (no stale "echo" swallows it).
    view(dock, 111.5, 32.6, 12)
    window.browser.select_asset(camera)
    wait_js(dock.page, f"NibiMap.selected() === {json.dumps(camera)} && "
                       f"Math.abs(NibiMap.map.getCenter().lng - {CAMERA['lon']}) < 5e-5")


def test_measure_and_within_say_what_they_found(env, qtbot):
    dock = ready_map(env)
    js(dock.page, "NibiMap.map.closePopup(); 0")  # a popup left open by an earlier test would take the clicks
    wait_js(dock.page, "!document.querySelector('.leaflet-popup')")  # (it fades out before it goes)
    view(dock, 111.675, 32.385, 15)
    dock.set_mode("measure")
    wait_js(dock.page, "NibiMap.mode === 'measure'")
    assert dock.tools.bar.isVisibleTo(dock)
    with qtbot.waitSignal(dock.distance_measured, timeout=10000) as measured:
        click_at(dock, 111.670, 32.380)
        click_at(dock, 111.680, 32.390)
    metres = measured.args[0]
    assert metres == pytest.approx(coords.haversine_m(111.670, 32.380, 111.680, 32.390), abs=5)
    assert dock.info_label.text() == f"Distance: {metres / 1000:.2f} km"

    dock.radius_box.setValue(2000)
    dock.set_mode("within")
    wait_js(dock.page, "NibiMap.mode === 'within' && NibiMap.radius === 2000")
    with qtbot.waitSignal(dock.nearby_found, timeout=10000) as nearby:
        click_at(dock, 111.675, 32.385)
    found = nearby.args[0]
    at = value(dock.page, "[NibiMap.withinAt.lng, NibiMap.withinAt.lat]")
    assert at == pytest.approx([111.675, 32.385], abs=2e-5)
    assert [a["id"] for a in found] == [a["id"] for a in viewport.nearby(env.ctx.registry.read(), *at, 2000)]
    assert len(found) >= 2
    text = dock.info_label.text()
    assert f"{len(found)} assets within 2.00 km" in text and found[0]["name"] in text
    escape_of(dock).activated.emit()
    assert dock.mode() == "browse" and not dock.tools.bar.isVisibleTo(dock)
