"""The map dock with the real QtWebEngine (offscreen): an offline page, markers, selection both ways, the viewport
query, MBTiles tiles, pick / measure / nearby, and a screenshot of the demo county.

One dock (one browser page) serves the whole module: starting Chromium is the slow part.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from nibi_desk import demo
from nibi_desk.domain import coords
from nibi_desk.gui.context import AppContext
from nibi_desk.gui.map.interceptor import NetworkBlocker
from nibi_desk.gui.map.map_dock import MapDock
from nibi_desk.gui.map.web_page import MapPage
from nibi_desk.gui.map.scheme import EMPTY_TILE
from nibi_desk.gui.tasks import TaskRunner
from nibi_desk.interaction import HeadlessInteraction
from nibi_desk.maps import basemaps, page, states, vendor, viewport
from nibi_desk.maps.mbtiles import MBTiles
from nibi_desk.storage import assets as store
from nibi_desk.storage.registry import Registry
from tests.conftest import shared_path
from tests.gui.page_helpers import TIMEOUT, js, pump, value, wait_js
from tests.map_fixtures import build_mbtiles, located_count, tile_png

pytestmark = pytest.mark.gui


def view_and_wait(dock: MapDock, lat: float, lon: float, zoom: int) -> dict:
    js(dock.page, f"NibiMap.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); 0")
    wait_js(dock.page, "NibiMap.idle()")
    return last_answer(dock)


def last_answer(dock: MapDock) -> dict:
    return value(dock.page, "NibiMap.lastAnswer()")


@pytest.fixture(scope="module")
def env(qapp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("map-gui")
    registry = Registry.create(folder / "demo.nibi", "420682")
    demo.generate(registry, scale=0.05)  # also starts the writer thread before the tests' thread check
    interaction = HeadlessInteraction(stream=io.StringIO())
    ctx = AppContext(registry, interaction, TaskRunner(), None)
    dock = MapDock(ctx)
    dock.resize(1100, 760)
    dock.show()
    started = time.monotonic()
    end = started + TIMEOUT
    while not dock.loaded and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.005)
    assert dock.loaded, "the map page did not load"
    wait_js(dock.page, "NibiMap.ready && NibiMap.idle()")
    yield SimpleNamespace(ctx=ctx, dock=dock, registry=registry, interaction=interaction, folder=folder,
                          load_s=time.monotonic() - started)
    dock.dispose()
    dock.hide()
    dock.deleteLater()
    ctx.close()


def reload_and_wait(dock: MapDock) -> None:
    js(dock.page, "window.__previousPage = true; 0")
    dock.reload()
    wait_js(dock.page, "!window.__previousPage && NibiMap.ready && NibiMap.idle()")


def reset(env) -> None:
    dock = env.dock
    if dock.basemap_id:
        dock.set_basemap(None)
    dock.set_mode("browse")
    js(dock.page, "NibiMap.map.closePopup(); NibiMap.map.options.zoomSnap = 0.25; "
                  "NibiMap.map.fitBounds([[NibiMap.cfg.fit[1], NibiMap.cfg.fit[0]], [NibiMap.cfg.fit[3], "
                  "NibiMap.cfg.fit[2]]], {animate: false, padding: [8, 8]}); NibiMap.map.options.zoomSnap = 1; 0")
    wait_js(dock.page, "NibiMap.idle()")


# -- loading, offline ----------------------------------------------------------------------------------------------
def test_page_loads_offline_with_leaflet_and_no_network(env):
    dock = env.dock
    assert js(dock.page, "typeof L") == "object" and js(dock.page, "L.version") == "1.9.4"
    assert js(dock.page, "typeof jQuery") == "function"
    assert dock.blocker.attempts == []                         # the interceptor saw no http/https/ws request
    assert js(dock.page, "NibiMap.blocked.length") == 0        # the page's security policy refused nothing
    assert dock.page.refused == [] and dock.bridge.refused == []
    assert dock.handler.failed == []                           # every nibi:// request was answered
    resources = value(dock.page, "performance.getEntriesByType('resource').map(e => e.name)")
    assert all(name.startswith(("nibi:", "qrc:", "data:")) for name in resources), resources
    html = js(dock.page, "document.documentElement.outerHTML")
    assert vendor.remote_urls(html) == []
    urls = value(dock.page, "Array.from(document.querySelectorAll('[src],[href]'))"
                            ".map(e => e.getAttribute('src') || e.getAttribute('href'))")
    assert not [u for u in urls if u.lower().startswith(("http:", "https:", "//", "ws:", "wss:"))], urls
    # The bundled CJK font is served for machines without one (the page asks for it only when text needs it).
    js(dock.page, "window.__font = null; new FontFace('NibiProbe', 'url(nibi://web/fonts/nibi-sans.ttf)').load()"
                  ".then(function (f) { window.__font = f.status; }, function (e) { window.__font = String(e); }); 0")
    assert wait_js(dock.page, "window.__font") == "loaded"


def test_marker_count_matches_the_registry(env):
    reset(env)
    answer = last_answer(env.dock)
    assert answer["kind"] == "points"
    n = located_count(env.registry.read())
    assert 1000 < n < viewport.POINT_LIMIT
    assert js(env.dock.page, "NibiMap.markerCount()") == n == answer["total"]
    assert env.load_s < 15
    # The legend's type toggles: cameras off, then on again.
    js(env.dock.page, "document.querySelector('input[data-type=camera]').click(); 0")
    wait_js(env.dock.page, "NibiMap.idle()")
    cameras = env.registry.read().execute("SELECT count(*) FROM assets WHERE deleted = 0 AND lon IS NOT NULL "
                                          "AND type = 'camera'").fetchone()[0]
    assert js(env.dock.page, "NibiMap.markerCount()") == n - cameras and cameras
    js(env.dock.page, "NibiMap.setTypeVisible('camera', true); 0")
    wait_js(env.dock.page, f"NibiMap.idle() && NibiMap.markerCount() === {n}")
    assert js(env.dock.page, "document.querySelector('input[data-type=camera]').checked")


def test_viewport_answer_for_a_bbox_is_the_assets_inside(env):
    answer = view_and_wait(env.dock, 32.39, 111.675, 16)
    assert answer["kind"] == "points"
    west, south, east, north = answer["bbox"]
    want = {a["seq"] for a in store.in_bbox(env.registry.read(), west, south, east, north)}
    assert set(value(env.dock.page, "NibiMap.markerIds()")) == want and want
    # Zoomed out over more assets than the point limit: aggregate cells that add up to the registry.
    env.dock.bridge.point_limit = 100
    try:
        answer = view_and_wait(env.dock, 32.41, 111.68, 10)
        assert answer["kind"] == "cells"
        assert sum(c[2] for c in answer["cells"]) == located_count(env.registry.read())
    finally:
        env.dock.bridge.point_limit = viewport.POINT_LIMIT


def test_stale_answers_are_dropped(env):
    dock = env.dock
    reset(env)
    before = js(dock.page, "NibiMap.stats.dropped")
    count = js(dock.page, "NibiMap.markerCount()")
    stale = viewport.handle_request(env.registry.read(), {"id": -1, "west": 111.6, "south": 32.3, "east": 111.61,
                                                          "north": 32.31, "zoom": 18})
    dock.bridge.viewportReady.emit(stale)
    wait_js(dock.page, f"NibiMap.stats.dropped > {before}")
    assert js(dock.page, "NibiMap.markerCount()") == count


def test_states_are_drawn_distinctly_with_a_legend(env):
    """Open defects and overdue inspections come with the answer (the real provider is the bridge's default) and
    each state has its own symbol outline, listed in the legend."""
    dock = env.dock
    conn = env.registry.read()
    row = conn.execute("SELECT a.lon, a.lat FROM defects d JOIN assets a ON a.id = d.asset WHERE d.status != 'closed' "
                       "AND d.deleted = 0 AND a.deleted = 0 AND a.lon IS NOT NULL AND a.status != 'faulty' "
                       "LIMIT 1").fetchone()
    assert row is not None, "the demo has open defects"
    answer = view_and_wait(dock, row["lat"], row["lon"], 17)
    assert answer["kind"] == "points" and answer["defect"]
    found = states.of_assets(conn, answer["seq"])
    assert answer["defect"] == found["defect"] and answer["overdue"] == found["overdue"]
    statuses = dict(zip(answer["seq"], answer["status"]))
    faulty = viewport.STATUS_CODES.index("faulty")
    drawn = {}
    for seq in answer["seq"]:
        symbol = value(dock.page, f"NibiMap.symbolOf({seq})")
        want = ("faulty" if statuses[seq] == faulty else "defect" if seq in found["defect"]
                else "overdue" if seq in found["overdue"] else None)
        if want:
            assert symbol["state"] == want, seq
        drawn.setdefault(symbol["state"], symbol["style"])
    assert "defect" in drawn
    outlines = {state: (style["color"], style["weight"], tuple(style["dash"] or ())) for state, style in drawn.items()}
    assert len(set(outlines.values())) == len(outlines)  # no two states look alike
    legend = value(dock.page, "document.querySelector('.nibi-legend').innerText")
    for name in ("故障", "有未整改缺陷", "巡检超期", "在用"):
        assert name in legend


def test_states_follow_changes_to_defects(env):
    """Closing an asset's last open defect (a write to defects, not to assets) redraws its symbol."""
    dock = env.dock
    conn = env.registry.read()
    row = conn.execute("SELECT a.seq, a.lon, a.lat, a.id FROM defects d JOIN assets a ON a.id = d.asset "
                       "WHERE d.status != 'closed' AND d.deleted = 0 AND a.deleted = 0 AND a.lon IS NOT NULL "
                       "AND a.status = 'in_service' LIMIT 1").fetchone()
    view_and_wait(dock, row["lat"], row["lon"], 17)
    assert value(dock.page, f"NibiMap.symbolOf({row['seq']})")["state"] == "defect"
    ids = [r[0] for r in conn.execute("SELECT id FROM defects WHERE asset = ? AND status != 'closed' AND deleted = 0",
                                      (row["id"],))]

    def close_all(txn):
        for defect_id in ids:
            txn.update("defects", defect_id, {"status": "closed"})

    env.registry.writer.run(close_all)
    wait_js(dock.page, f"NibiMap.idle() && NibiMap.symbolOf({row['seq']}).state !== 'defect'")
    assert value(dock.page, f"NibiMap.symbolOf({row['seq']})")["state"] != "defect"


# -- selection both ways -------------------------------------------------------------------------------------------
def test_clicking_a_marker_selects_the_asset(env, qtbot):
    dock = env.dock
    answer = view_and_wait(dock, 32.392, 111.668, 16)
    target = viewport.details(env.registry.read(), seq=answer["seq"][0])
    with qtbot.waitSignal(dock.asset_selected, timeout=10000) as signal:
        assert js(dock.page, f"NibiMap.clickMarker({target['seq']})") is True
    assert signal.args == [target["id"]]
    wait_js(dock.page, f"NibiMap.selected() === {json.dumps(target['id'])}")
    # The table echoes the selection back (browser.asset_selected -> center_on): the map stays where it is.
    pump(0.5)  # the popup's auto-pan
    before = value(dock.page, "[NibiMap.map.getCenter().lng, NibiMap.map.getCenter().lat, NibiMap.map.getZoom()]")
    dock.center_on(target["id"])
    pump(0.1)
    assert value(dock.page, "[NibiMap.map.getCenter().lng, NibiMap.map.getCenter().lat, NibiMap.map.getZoom()]") \
        == before
    popup = wait_js(dock.page, "document.querySelector('.nibi-popup') && "
                               "document.querySelector('.nibi-popup').innerText")
    assert target["name"] in popup and (target["code"] or "") in popup
    assert "最近巡检" in popup and (target["last"] or "无记录") in popup


def test_selecting_in_the_table_centres_the_map(env):
    dock = env.dock
    asset = env.registry.read().execute(
        "SELECT id, lon, lat FROM assets WHERE lon IS NOT NULL AND deleted = 0 ORDER BY seq DESC LIMIT 1").fetchone()
    view_and_wait(dock, 32.6, 111.5, 12)
    dock.center_on(asset["id"])
    wait_js(dock.page, f"NibiMap.selected() === {json.dumps(asset['id'])} && NibiMap.idle()")
    center = value(dock.page, "[NibiMap.map.getCenter().lng, NibiMap.map.getCenter().lat, NibiMap.map.getZoom()]")
    assert abs(center[0] - asset["lon"]) < 1e-5 and abs(center[1] - asset["lat"]) < 1e-5 and center[2] >= 16
    assert store.seq_of(env.registry.read(), asset["id"]) in value(dock.page, "NibiMap.markerIds()")
    # Already in view at a useful zoom: marked, not moved.
    js(dock.page, "NibiMap.map.panBy([120, 80], {animate: false}); 0")
    wait_js(dock.page, "NibiMap.idle()")
    before = value(dock.page, "[NibiMap.map.getCenter().lng, NibiMap.map.getCenter().lat]")
    own = store.seq_of(env.registry.read(), asset["id"])
    other_seq = value(dock.page, "(function (a) { var b = NibiMap.map.getBounds().pad(-0.3); for (var i = 0; "
                                 "i < a.seq.length; i++) { if (a.seq[i] !== " + str(own) + " && b.contains("
                                 "[a.lat_e6[i] / 1e6, a.lon_e6[i] / 1e6])) { return a.seq[i]; } } })"
                                 "(NibiMap.lastAnswer())")
    other = viewport.details(env.registry.read(), seq=other_seq)["id"]
    dock.center_on(other)
    wait_js(dock.page, f"NibiMap.selected() === {json.dumps(other)}")
    assert value(dock.page, "[NibiMap.map.getCenter().lng, NibiMap.map.getCenter().lat]") == before


# -- tools -------------------------------------------------------------------------------------------------------
def click_map(dock: MapDock, lon: float, lat: float) -> None:
    js(dock.page, f"NibiMap.map.fire('click', {{latlng: L.latLng({lat}, {lon})}}); 0")


def test_pick_measure_and_nearby(env, qtbot):
    dock = env.dock
    view_and_wait(dock, 32.39, 111.67, 15)
    dock.start_pick()
    wait_js(dock.page, "NibiMap.mode === 'pick'")
    with qtbot.waitSignal(dock.location_picked, timeout=10000) as picked:
        click_map(dock, 111.671234, 32.391234)
    assert picked.args == pytest.approx([111.671234, 32.391234], abs=1e-9)
    assert dock.mode() == "browse"  # a pick is one click
    wait_js(dock.page, "NibiMap.mode === 'browse'")

    dock.set_mode("measure")
    wait_js(dock.page, "NibiMap.mode === 'measure'")
    with qtbot.waitSignal(dock.distance_measured, timeout=10000) as measured:
        click_map(dock, 111.66, 32.38)
        click_map(dock, 111.68, 32.39)
    assert measured.args[0] == pytest.approx(coords.haversine_m(111.66, 32.38, 111.68, 32.39), rel=1e-9)

    dock.radius_box.setValue(300)
    dock.set_mode("within")
    wait_js(dock.page, "NibiMap.mode === 'within' && NibiMap.radius === 300")
    with qtbot.waitSignal(dock.nearby_found, timeout=10000) as nearby:
        click_map(dock, 111.668, 32.392)
    want = viewport.nearby(env.registry.read(), 111.668, 32.392, 300)
    assert [a["id"] for a in nearby.args[0]] == [a["id"] for a in want] and want
    listed = wait_js(dock.page, "document.querySelector('.nibi-near') && "
                                "document.querySelectorAll('.nibi-near li').length")
    assert listed == min(15, len(want))
    dock.set_mode("browse")


def test_positions_are_entered_in_any_datum_and_shown_in_wgs84(env):
    dock = env.dock
    wgs = (111.675, 32.392)
    gcj = coords.wgs84_to_gcj02(*wgs)
    bd = coords.wgs84_to_bd09(*wgs)
    assert dock.go_to(f"{gcj[0]:.9f}", f"{gcj[1]:.9f}", "GCJ02") == pytest.approx(wgs, abs=1e-6)
    assert dock.go_to(f"{bd[0]:.9f}", f"{bd[1]:.9f}", "BD09") == pytest.approx(wgs, abs=1e-6)
    assert dock.go_to("111°40′30″", "32°23′31.2″", "CGCS2000") == pytest.approx((111.675, 32.392), abs=1e-9)
    # The page moves asynchronously (runJavaScript): wait for the last move to land. The map's centre is a whole
    # pixel once the map has moved (Leaflet): at zoom 16 a pixel is ~2 m, so the centre is checked to 1e-5° (~1 m,
    # under a pixel); the position itself (go_to's value, the marker, the label) is exact.
    wait_js(dock.page, "NibiMap.idle() && Math.abs(NibiMap.map.getCenter().lng - 111.675) < 1e-5 "
                       "&& Math.abs(NibiMap.map.getCenter().lat - 32.392) < 1e-5 && NibiMap.map.getZoom() >= 16")
    center = value(dock.page, "[NibiMap.map.getCenter().lng, NibiMap.map.getCenter().lat]")
    assert center == pytest.approx([111.675, 32.392], abs=1e-5)
    end = time.monotonic() + TIMEOUT
    while "WGS-84 111.675000, 32.392000" not in dock.info_label.text() and time.monotonic() < end:
        pump(0.02)
    assert "WGS-84 111.675000, 32.392000" in dock.info_label.text()


# -- basemaps ----------------------------------------------------------------------------------------------------
def fetch_bytes(dock: MapDock, url: str) -> bytes:
    js(dock.page, "window.__fetched = null; fetch(" + json.dumps(url) + ").then(r => r.arrayBuffer())"
                  ".then(b => { window.__fetched = Array.from(new Uint8Array(b)); }); 0")
    return bytes(wait_js(dock.page, "window.__fetched"))


def test_mbtiles_tiles_are_served_with_the_tms_flip(env, tmp_path):
    dock = env.dock
    path = build_mbtiles(tmp_path / "tiny.mbtiles", zooms=(0, 1, 2))
    assert dock.open_basemap(path)
    basemap_id = basemaps.basemap_id(path)
    assert dock.basemap_id == basemap_id == dock.basemap_box.currentData()
    assert basemaps.active(env.registry.read()).id == basemap_id  # remembered by the registry
    wait_js(dock.page, "document.querySelectorAll('img.leaflet-tile-loaded').length > 0")
    for z, x, y in ((0, 0, 0), (1, 1, 0), (2, 3, 1), (2, 0, 3)):
        assert fetch_bytes(dock, f"nibi://tiles/{basemap_id}/{z}/{x}/{y}") == tile_png(z, x, y), (z, x, y)
    assert fetch_bytes(dock, f"nibi://tiles/{basemap_id}/5/1/1") == EMPTY_TILE  # outside the file
    assert not js(dock.page, "document.querySelector('.leaflet-container').classList.contains('nibi-plain')")
    assert dock.blocker.attempts == [] and dock.page.refused == []
    dock.basemap_box.setCurrentIndex(0)  # the user picks "None (offline canvas)"
    assert dock.basemap_id == ""
    assert js(dock.page, "document.querySelector('.leaflet-container').classList.contains('nibi-plain')")
    assert basemaps.active(env.registry.read()) is None
    dock.basemap_box.setCurrentIndex(dock.basemap_box.findData(basemap_id))  # and back
    assert dock.basemap_id == basemap_id
    wait_js(dock.page, "!document.querySelector('.leaflet-container').classList.contains('nibi-plain')")
    dock.set_basemap(None)


def test_the_shared_plain_fixture_is_served(env):
    path = shared_path("fixtures", "tiles", "plain_1.mbtiles")
    dock = env.dock
    assert dock.open_basemap(path)
    with MBTiles(path) as tiles:
        for z, x, y in ((0, 0, 0), (1, 1, 0), (2, 2, 1)):
            want = tiles.tile(z, x, y)
            got = fetch_bytes(dock, f"nibi://tiles/{dock.basemap_id}/{z}/{x}/{y}")
            assert got == (want if want is not None else EMPTY_TILE), (z, x, y)
    dock.set_basemap(None)


def test_broken_basemaps_give_clear_errors_and_the_map_goes_on(env):
    dock = env.dock
    reset(env)
    corrupt = shared_path("fixtures", "tiles", "corrupt.mbtiles")
    env.interaction.messages.clear()
    assert not dock.open_basemap(corrupt)
    kind, title, text = env.interaction.messages[-1]
    assert kind == "error" and title and "corrupt.mbtiles" in text and len(text) > len(str(corrupt)) + 10
    assert dock.basemap_id == "" and all(b.path != str(corrupt.resolve())
                                         for b in basemaps.listed(env.registry.read()))
    answer = view_and_wait(dock, 32.38, 111.7, 14)  # still answering
    assert answer["kind"] == "points"
    # Files with NULL or empty tiles open; the missing tiles come back transparent, never as broken images.
    for name in ("corrupt_null_tile.mbtiles", "some-empty-tiles.mbtiles"):
        path = shared_path("fixtures", "tiles", name)
        assert dock.open_basemap(path), env.interaction.messages[-1:]
        with MBTiles(path) as tiles:
            for z in tiles.zooms:
                for x in range(2 ** z):
                    for y in range(2 ** z):
                        want = tiles.tile(z, x, y)
                        got = fetch_bytes(dock, f"nibi://tiles/{dock.basemap_id}/{z}/{x}/{y}")
                        assert got == (want if want is not None else EMPTY_TILE), (name, z, x, y)
    dock.set_basemap(None)
    assert dock.handler.failed == []


def test_a_remembered_basemap_that_went_missing_is_reported_on_the_map(env, tmp_path):
    dock = env.dock
    path = build_mbtiles(tmp_path / "gone.mbtiles", zooms=(0, 1))
    assert dock.open_basemap(path)
    dock.close_basemaps()
    path.unlink()
    env.interaction.messages.clear()
    reload_and_wait(dock)  # as when the registry is opened again
    assert dock.basemap_id == "" and env.interaction.messages == []  # no dialog at start-up
    assert dock.basemap_box.currentIndex() == 0
    attribution = value(dock.page, "document.querySelector('.leaflet-control-attribution').innerText")
    assert "gone.mbtiles" in attribution
    assert value(dock.page, "document.querySelector('.leaflet-container').classList.contains('nibi-plain')")
    basemaps.remove(env.registry, basemaps.basemap_id(path))
    reload_and_wait(dock)
    assert dock.basemap_box.findData(basemaps.basemap_id(path)) == -1


# -- the exported page ------------------------------------------------------------------------------------------
def test_exported_page_works_from_files_without_the_app(env, tmp_path):
    from PySide6.QtWebEngineCore import QWebEngineProfile
    from PySide6.QtWebEngineWidgets import QWebEngineView

    index = page.write_page(env.registry, tmp_path / "export")
    profile = QWebEngineProfile()  # off the record, like the app's; deleted last (a profile outlives its pages)
    blocker = NetworkBlocker(profile)
    profile.setUrlRequestInterceptor(blocker)
    web_page = MapPage(profile)
    web_page.allowed_schemes.add("file")
    view = QWebEngineView()
    view.setPage(web_page)
    view.resize(900, 700)
    view.show()
    try:
        view.load(QUrl.fromLocalFile(str(index)))
        n = located_count(env.registry.read())
        wait_js(web_page, f"typeof L === 'object' && NibiMap.ready && NibiMap.markerCount() === {n}")
        assert js(web_page, "NibiMap.blocked.length") == 0 and blocker.attempts == [] and web_page.refused == []
    finally:
        for obj in (view, web_page, profile):
            shiboken6.delete(obj)


# -- screenshot -------------------------------------------------------------------------------------------------
def test_screenshot_of_the_demo_county(env, tmp_path):
    """Saves the overview and the city centre as PNGs (also to $NIBI_SCREENSHOT_DIR when set) for a person to
    look at; asserts only that something was painted."""
    dock = env.dock
    reset(env)
    pump(0.3)
    shots = {"map-county.png": dock.grab()}
    view_and_wait(dock, 32.385, 111.677, 15)
    pump(0.3)
    shots["map-city.png"] = dock.grab()
    target = os.environ.get("NIBI_SCREENSHOT_DIR")
    for name, pixmap in shots.items():
        path = tmp_path / name
        assert pixmap.save(str(path))
        image = pixmap.toImage()
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 30, name  # not a blank or grey void
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(target) / name)


# -- last: prove that the network guards see what they should (the page is reloaded afterwards) --------------------
def test_the_guards_count_what_the_page_tries(env):
    dock = env.dock
    js(dock.page, "var img = document.createElement('img'); img.src = 'https://tile.example.com/1/2/3.png';"
                  "document.body.appendChild(img); fetch('http://example.com/x').catch(function () {}); 0")
    wait_js(dock.page, "NibiMap.blocked.length >= 2")
    assert len(dock.page.refused) >= 2
    try:
        env.dock.bridge.refused.clear()
    finally:
        dock.page.refused.clear()
        reload_and_wait(dock)
        assert value(dock.page, "NibiMap.blocked.length") == 0
