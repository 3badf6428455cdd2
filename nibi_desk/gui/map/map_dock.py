"""The map dock: the registry on a Leaflet map (QWebEngineView), basemaps, picking, measuring, assets nearby.

The page is built by nibi_desk.maps.page and served from nibi:// by a handler on a dedicated off-the-record
profile, which also carries the request interceptor that blocks anything off the machine. The main window connects
``asset_selected`` to the table and the table's selection to ``center_on``; its MapPicker (map/picking.py) drives
``start_pick`` for other windows. The tools (pick, measure, within) live in map/map_tools.py; the page's profile
and the toolbars are made in map/map_widgets.py.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QDockWidget, QFileDialog, QToolBar, QVBoxLayout, QWidget

from nibi_desk.domain import coords
from nibi_desk.errors import NibiError
from nibi_desk.gui.map.map_tools import MapTools
from nibi_desk.gui.map.map_widgets import build_page, build_toolbars
from nibi_desk.gui.map.scheme import PAGE_URL
from nibi_desk.maps import basemaps, page, viewport
from nibi_desk.maps.mbtiles import MBTilesError

log = logging.getLogger(__name__)


class MapDock(QDockWidget):
    """The registry on a map. Signals: ``asset_selected(id)`` when an asset is clicked on the map,
    ``location_picked(lon, lat)`` (WGS-84) in pick mode, ``pick_cancelled()`` when pick mode ends without one,
    ``distance_measured(metres)``, ``nearby_found(list)``."""

    asset_selected = Signal(str)
    location_picked = Signal(float, float)
    pick_cancelled = Signal()
    distance_measured = Signal(float)
    nearby_found = Signal(list)
    page_loaded = Signal(bool)
    basemap_changed = Signal(str)  # the shown basemap's id ("" for the plain canvas)

    def __init__(self, ctx, parent: QWidget | None = None, state_provider=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mapDock")
        self.loaded = False
        self._disposed = False
        self.basemap_id = ""
        self._pending_center: str | None = None
        self._clicked: str | None = None
        self._refresh_timer = QTimer(self, singleShot=True, interval=300)
        self._refresh_timer.timeout.connect(lambda: self.run_js("NibiMap.refresh(); 0"))

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("mapToolbar")
        layout.addWidget(self.toolbar)
        self.position_bar = QToolBar()
        self.position_bar.setObjectName("mapPositionBar")
        layout.addWidget(self.position_bar)
        # The view (and its page) is created before the profile: children are destroyed in creation order, and a
        # profile must outlive its pages.
        self.view = QWebEngineView(body)
        layout.addWidget(self.view, 1)
        self.setWidget(body)
        build_page(self, state_provider)  # profile, handler, blocker, page; the bridge on the web channel (map_widgets)

        self.bridge.asset_clicked.connect(self._on_asset_clicked)
        self.bridge.page_ready.connect(self._on_page_ready)
        self.tools = MapTools(self, self.bridge)
        for name in ("location_picked", "pick_cancelled", "distance_measured", "nearby_found"):
            getattr(self.tools, name).connect(getattr(self, name))
        # The tools' widgets under the dock's names, as before the tools moved out (tests use them).
        self.modes, self.radius_box = self.tools.modes, self.tools.radius_box
        self.pick_action, self.measure_action = self.tools.pick_action, self.tools.measure_action
        self.nearby_action = self.tools.nearby_action
        self.page.loadFinished.connect(self._on_load_finished)
        ctx.notifier.registry_changed.connect(self._on_registry_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.dispose)

        build_toolbars(self)  # map_widgets.py
        self._fill_basemaps()
        self.basemap_box.currentIndexChanged.connect(self._basemap_chosen)
        self.retranslate()
        self.reload()

    # -- toolbar ---------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Map"))
        self.basemap_label.setText(self.tr("Basemap:"))
        self.open_basemap_action.setText(self.tr("Open basemap…"))
        self.open_basemap_action.setToolTip(self.tr("Add a raster MBTiles file as a basemap of this registry"))
        self.tools.retranslate()
        self.position_label.setText(self.tr("Go to:"))
        self.lon_edit.setPlaceholderText(self.tr("Longitude"))
        self.lat_edit.setPlaceholderText(self.tr("Latitude"))
        self.crs_box.setToolTip(self.tr("Coordinate system of the entered position (GCJ-02 and BD-09 are converted); "
                                        "positions are shown in WGS-84, which CGCS2000 equals for map purposes"))
        self.go_button.setText(self.tr("Go"))
        if self.basemap_box.count():
            self.basemap_box.setItemText(0, self.tr("None (offline canvas)"))

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.loaded:
                self._fill_basemaps()
                self.reload()  # the page's words are in the page
        super().changeEvent(event)

    # -- page ------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Build the page again (after a basemap or language change) and load it."""
        conn = self.ctx.registry.read()
        active = basemaps.active(conn)
        tiles, notice = None, None
        if active is not None:
            problem = self._open_tiles(active, quiet=True)
            if problem is None:
                tiles = page.tile_source_for(active)
            else:  # said on the map, not in a dialog at every start: the plain canvas still works
                notice = self.tr("Basemap {name} unavailable: {reason}").format(name=active.name, reason=problem)
        self.basemap_id = tiles.id if tiles else ""
        self.handler.set_page(page.build_html(conn, self.ctx.registry.county, mode="app", tiles=tiles,
                                              notice=notice))
        self.loaded = False
        self._fill_basemaps()
        self.view.load(QUrl(PAGE_URL))

    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            log.error("the map page did not load")
            self.page_loaded.emit(False)

    def _on_page_ready(self) -> None:
        self.loaded = True
        self.tools.send_mode()
        self.page_loaded.emit(True)
        if self._pending_center:
            self.center_on(self._pending_center)

    def run_js(self, script: str, callback=None) -> None:
        """Run a script in the page. Scripts end with "; 0": returning a Leaflet object to Qt crashes it."""
        if callback is None:
            self.page.runJavaScript(script)
        else:
            self.page.runJavaScript(script, 0, callback)

    def _on_registry_changed(self, changed) -> None:
        # the symbols show the assets and their states, which follow defects, tasks and inspections
        if self.loaded and any(changed.touches(t) for t in ("assets", "defects", "tasks", "inspections")):
            self._refresh_timer.start()  # a burst of edits refreshes once

    # -- selection ---------------------------------------------------------------------------------------------
    def _on_asset_clicked(self, asset_id: str) -> None:
        self._clicked = asset_id
        self.asset_selected.emit(asset_id)

    def center_on(self, asset_id: str) -> None:
        """Mark an asset selected elsewhere and bring it into view (the table's selection follows here).

        The echo of a click on the map (map -> table -> here) is ignored: the map does not jump under the mouse.
        An empty id (the table lists no such asset and cleared its selection) ends the wait for that echo.
        """
        if not asset_id:
            self._clicked = None
            return
        if asset_id == self._clicked:
            self._clicked = None
            return
        self._clicked = None
        if not self.loaded:
            self._pending_center = asset_id
            return
        self._pending_center = None
        found = viewport.locate(self.ctx.registry.read(), asset_id)
        if found is None:
            return
        self.run_js(f"NibiMap.centerOn({json.dumps(asset_id)}, {found['lon']!r}, {found['lat']!r}); 0")

    # -- tools (map_tools.py) -------------------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """"browse", "pick", "measure" or "within" (the toolbar's checkable actions follow)."""
        self.tools.set_mode(mode)

    def mode(self) -> str:
        return self.tools.mode()

    def start_pick(self, prompt: str = "") -> None:
        """Let the user click a position: ``location_picked(lon, lat)`` follows (or ``pick_cancelled()``), then the
        map is back to browsing. ``prompt`` says under the map what the position is for."""
        self.show()
        self.raise_()
        self.tools.start_pick(prompt)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.set_mode("browse")  # closing the map ends a pick (the window that asked comes back)
        super().closeEvent(event)

    # -- coordinates -------------------------------------------------------------------------------------------
    def go_to(self, lon, lat, crs: str = "WGS84") -> tuple[float, float]:
        """Show a position given in WGS-84/CGCS2000, GCJ-02 or BD-09 (numbers or text such as 111°40′30″);
        returns it in WGS-84. Raises ValidationError for text that is not a coordinate."""
        wgs_lon, wgs_lat = coords.to_wgs84(coords.parse_coordinate(lon, "lon"), coords.parse_coordinate(lat, "lat"),
                                           crs)
        label = f"{coords.format_dms(wgs_lon, 'lon')} {coords.format_dms(wgs_lat, 'lat')}"
        self.info_label.setText(f"WGS-84 {wgs_lon:.6f}, {wgs_lat:.6f}")
        if self.loaded:
            self.run_js(f"NibiMap.showPoint({wgs_lon!r}, {wgs_lat!r}, {json.dumps(label)}); 0")
        return wgs_lon, wgs_lat

    def go_to_entered(self) -> None:
        try:
            self.go_to(self.lon_edit.text(), self.lat_edit.text(), self.crs_box.currentData())
        except NibiError as e:
            self.ctx.interaction.warn(self.tr("Cannot go to this position"), e.message())

    # -- basemaps ----------------------------------------------------------------------------------------------
    def _fill_basemaps(self) -> None:
        self.basemap_box.blockSignals(True)
        self.basemap_box.clear()
        self.basemap_box.addItem(self.tr("None (offline canvas)"), "")
        current = 0
        for i, b in enumerate(basemaps.listed(self.ctx.registry.read()), 1):
            self.basemap_box.addItem(b.name, b.id)
            self.basemap_box.setItemData(i, b.path, Qt.ItemDataRole.ToolTipRole)
            if b.id == self.basemap_id:
                current = i
        self.basemap_box.setCurrentIndex(current)
        self.basemap_box.blockSignals(False)

    def _open_tiles(self, basemap, quiet: bool = False) -> str | None:
        """Open a remembered basemap for serving; None when it is ready, else why not (shown unless quiet)."""
        if basemap.id in self.handler.tilesets:
            return None
        try:
            self.handler.tilesets[basemap.id] = basemaps.open_basemap(basemap, self.ctx.registry.path)
            return None
        except MBTilesError as e:
            if not quiet:
                self.ctx.interaction.error(self.tr("Cannot show the basemap"), e.message())
            log.warning("basemap %s unavailable: %s", basemap.path, e.message())
            return e.message()

    def open_basemap(self, path: str | Path | None = None) -> bool:
        """Add an MBTiles file (asks for one when ``path`` is None) and show it. A broken file is reported
        clearly and the map goes on as it was."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open basemap"), "",
                                                  self.tr("MBTiles basemaps (*.mbtiles);;All files (*)"))
            if not path:
                return False
        try:
            basemap = basemaps.add(self.ctx.registry, path)
        except MBTilesError as e:
            self.ctx.interaction.error(self.tr("Cannot use this file as a basemap"), e.message())
            return False
        self.handler.tilesets.pop(basemap.id, None)
        self.set_basemap(basemap.id)
        return self.basemap_id == basemap.id

    def set_basemap(self, basemap_id: str | None) -> None:
        """Show a remembered basemap ("" or None: the plain offline canvas); the registry remembers the choice."""
        basemap_id = basemap_id or ""
        chosen = next((b for b in basemaps.listed(self.ctx.registry.read()) if b.id == basemap_id), None)
        if chosen is not None and self._open_tiles(chosen) is not None:
            chosen, basemap_id = None, ""
        basemaps.set_active(self.ctx.registry, basemap_id or None)
        self.basemap_id = basemap_id
        spec = json.dumps(page.tile_source_for(chosen).to_json() if chosen else None, ensure_ascii=False)
        if self.loaded:
            self.run_js(f"NibiMap.setBasemap({spec}); 0")
        self._fill_basemaps()
        self.basemap_changed.emit(basemap_id)

    def _basemap_chosen(self, index: int) -> None:
        self.set_basemap(self.basemap_box.itemData(index))

    def close_basemaps(self) -> None:
        for tiles in self.handler.tilesets.values():
            tiles.close()
        self.handler.tilesets.clear()

    def dispose(self) -> None:
        """Release the browser page and the basemap files (idempotent; also run when the application quits).

        The page must go before its profile, and Python may otherwise destroy them in either order at exit.
        """
        if self._disposed:
            return
        self._disposed = True
        self._refresh_timer.stop()
        try:
            self.ctx.notifier.registry_changed.disconnect(self._on_registry_changed)
        except (RuntimeError, TypeError):
            pass
        self.close_basemaps()
        if shiboken6.isValid(self.view):
            shiboken6.delete(self.view)  # deletes its page with it
        self.loaded = False
