"""The map page's QWebChannel object ("nibi"): viewport and nearby queries on the task runner, clicks coming back.

Slots (camelCase) are what the page calls; the capitalised-camel signals are what it listens to; the snake_case
signals are for the dock. Viewport queries run in the background with key "map-viewport", so a newer request makes
the runner drop an older answer, and the page drops any answer whose id is not its latest request. A point on the
map carries only its symbol; ``assetDetails`` answers the popup and the tooltip for one asset.

Each viewport answer's stages are kept in ``timings`` (for bench/map.py): milliseconds from the page to the slot
(``to_python_ms``, wall clocks), from the slot call to the worker starting (``queued_ms``), in SQL, states and JSON,
and from the worker's end to the main thread (``deliver_ms``).
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque

from PySide6.QtCore import QObject, Signal, Slot

from nibi_desk.maps import states, viewport
from nibi_desk.maps.page import township_labels

log = logging.getLogger(__name__)
READ_CACHE_KIB = 65536
# Read through a memory map: the pages of the file come straight from the OS cache, shared by every connection
# (each pool thread has its own), instead of being copied into each connection's own page cache.
READ_MMAP_BYTES = 1 << 31


class MapBridge(QObject):
    # to the page
    viewportReady = Signal(str)   # noqa: N815 (JS-facing names)
    assetReady = Signal(str)      # noqa: N815
    withinReady = Signal(str)     # noqa: N815
    labelsReady = Signal(str)     # noqa: N815
    # to the dock
    asset_clicked = Signal(str)
    location_picked = Signal(float, float)
    distance_measured = Signal(float)
    nearby_found = Signal(float, float, float, list)
    page_ready = Signal()
    network_refused = Signal(str)

    def __init__(self, ctx, state_provider=None, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.state_provider = state_provider or states.provider
        self.point_limit = viewport.POINT_LIMIT
        self.requests = 0
        self.timings: deque[dict] = deque(maxlen=1000)
        self.refused: list[str] = []
        self._tuned: set[int] = set()

    def _conn(self):
        conn = self.ctx.registry.read()  # the worker thread's own read connection
        if id(conn) not in self._tuned:
            # Viewport answers jump around the assets table: a bigger page cache than SQLite's 2 MB default keeps
            # the pages of the area being looked at in memory.
            conn.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
            conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
            self._tuned.add(id(conn))
        return conn

    # -- called by the page --------------------------------------------------------------------------------------
    @Slot(str)
    def requestViewport(self, payload: str) -> None:  # noqa: N802
        self.requests += 1
        arrived = time.time() * 1000
        try:
            request = json.loads(payload)
            request_id, sent = request.get("id"), request.get("sent")
        except (ValueError, AttributeError):
            log.warning("map page sent a malformed viewport request: %r", payload[:200])
            return
        stages = {"id": request_id, "called": time.perf_counter()}
        if isinstance(sent, (int, float)):  # the page's wall clock: the way from the page to this slot
            stages["to_python_ms"] = arrived - sent

        def work():
            stages["started"] = time.perf_counter()
            text = viewport.handle_request(self._conn(), request, limit=self.point_limit,
                                           state_provider=self.state_provider, stages=stages)
            stages["ended"] = time.perf_counter()
            return text

        def done(text: str) -> None:
            now = time.perf_counter()
            self.timings.append({**{k: round(v, 2) for k, v in stages.items() if k.endswith("_ms")},
                                 "id": request_id, "bytes": stages.get("bytes"),
                                 "queued_ms": round((stages["started"] - stages["called"]) * 1000, 2),
                                 "deliver_ms": round((now - stages["ended"]) * 1000, 2)})
            self.viewportReady.emit(text)

        def failed(error: BaseException) -> None:
            log.error("viewport query failed", exc_info=error)
            self.viewportReady.emit(json.dumps({"id": request_id, "error": str(error)}, ensure_ascii=False))

        self.ctx.tasks.run(work, on_done=done, on_error=failed, key="map-viewport", label="map viewport")

    @Slot(str)
    def assetDetails(self, payload: str) -> None:  # noqa: N802
        """``{"req", "seq" | "id", "select"?}`` -> ``assetReady`` with the asset's details (viewport.details) and the
        same ``req``; with ``select`` the asset is also reported clicked. A primary-key read and a few indexed ones:
        answered at once on the GUI thread."""
        try:
            req = json.loads(payload)
            seq, asset_id = req.get("seq"), req.get("id")
            found = viewport.details(self.ctx.registry.read(), seq=seq, asset_id=None if seq is not None else asset_id)
        except (ValueError, TypeError, AttributeError):
            log.warning("map page sent a malformed details request: %r", payload[:200])
            return
        self.assetReady.emit(json.dumps({"req": req.get("req"), "seq": seq, "asset": found}, ensure_ascii=False))
        if found is not None and req.get("select"):
            self.asset_clicked.emit(found["id"])

    @Slot(str)
    def requestWithin(self, payload: str) -> None:  # noqa: N802
        req = json.loads(payload)
        lon, lat, radius = float(req["lon"]), float(req["lat"]), float(req["radius"])

        def work():
            found = viewport.nearby(self._conn(), lon, lat, radius, types=req.get("types"))
            return found

        def done(found: list) -> None:
            answer = {"id": req.get("id"), "lon": lon, "lat": lat, "radius": radius, "total": len(found),
                      "assets": found[:200]}
            self.withinReady.emit(json.dumps(answer, ensure_ascii=False, separators=(",", ":")))
            self.nearby_found.emit(lon, lat, radius, found)

        self.ctx.tasks.run(work, on_done=done, key="map-within", label="assets nearby")

    @Slot(str)
    def selectAsset(self, asset_id: str) -> None:  # noqa: N802
        self.asset_clicked.emit(asset_id)

    @Slot(float, float)
    def picked(self, lon: float, lat: float) -> None:
        self.location_picked.emit(lon, lat)

    @Slot(float)
    def measured(self, metres: float) -> None:
        self.distance_measured.emit(metres)

    @Slot(str)
    def blocked(self, url: str) -> None:
        self.refused.append(url)
        log.warning("map page refused a network resource: %s", url)
        self.network_refused.emit(url)

    @Slot()
    def pageReady(self) -> None:  # noqa: N802
        self.page_ready.emit()
        registry = self.ctx.registry

        def work():
            return township_labels(self._conn(), registry.county)

        self.ctx.tasks.run(work, on_done=lambda labels: self.labelsReady.emit(json.dumps(labels, ensure_ascii=False)),
                           key="map-labels", label="map labels")
