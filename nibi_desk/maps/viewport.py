"""What the interactive map shows for a view: aggregate cells from the pyramid or assets from the R*Tree, as JSON.

The page asks for its (padded) bounding box and zoom; ``query`` answers with at most ``limit`` points when that
many or fewer live located assets are in the box, otherwise with the pyramid's cells of the zoom's level (a few
hundred rows whatever the registry's size). ``handle_request`` is the whole JSON-in, JSON-out exchange used by the
GUI bridge, so it is testable without a browser.
"""

from __future__ import annotations

import json
import math
import sqlite3
from typing import Callable, Iterable

from nibi_desk.domain.assets import STATUSES
from nibi_desk.domain.coords import EARTH_RADIUS_M, haversine_m
from nibi_desk.maps import aggregate

POINT_LIMIT = 3000
MAX_ZOOM = 19
STATUS_CODES = tuple(STATUSES)
# Bits of a point's flags: states the inspection records provide (see StateProvider).
OPEN_DEFECT = 1
INSPECTION_OVERDUE = 2

# state_provider(conn, asset_ids) -> {asset id: {"defect": bool, "overdue": bool, "last": "YYYY-MM-DD" | None}}
# Assets without inspection history are simply absent. Until inspections exist nothing is returned.
StateProvider = Callable[[sqlite3.Connection, list], dict]


def no_states(conn: sqlite3.Connection, asset_ids: list) -> dict:
    """The default state provider: no open defects, nothing overdue, no last inspection (no inspections yet)."""
    return {}


def _points(conn: sqlite3.Connection, west: float, south: float, east: float, north: float,
            types: list[str] | None, limit: int) -> list[sqlite3.Row]:
    sql = ("SELECT a.id, a.type, a.status, a.lon, a.lat, a.name, a.code FROM assets_rtree r "
           "JOIN assets a ON a.seq = r.seq "
           "WHERE r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? AND r.max_lat >= ? "
           "AND a.lon BETWEEN ? AND ? AND a.lat BETWEEN ? AND ? AND a.deleted = 0")
    params: list = [east, west, north, south, west, east, south, north]
    if types is not None:
        sql += f" AND a.type IN ({','.join('?' * len(types))})"
        params += types
    return conn.execute(sql + " LIMIT ?", (*params, limit)).fetchall()


def query(conn: sqlite3.Connection, west: float, south: float, east: float, north: float, zoom: float,
          limit: int = POINT_LIMIT, types: Iterable[str] | None = None,
          state_provider: StateProvider | None = None) -> dict:
    """The map content of a view.

    Returns ``{"kind": "points", "points": [[id, type, status index, lon, lat, name, code, flags, last], ...]}`` or
    ``{"kind": "cells", "level": z, "cells": [[lon, lat, n, n_faulty, {type: n}], ...]}`` (lon/lat of a cell is
    the centroid of its assets), both with ``total`` (assets in the box, exact for points, from the cells
    otherwise) and ``zoom``. ``types`` limits the asset types (None: all). Statuses are indexes into STATUS_CODES.
    """
    zoom = max(0, min(MAX_ZOOM, int(math.floor(zoom))))
    west, east = max(-180.0, west), min(180.0, east)
    south, north = max(-85.06, south), min(85.06, north)
    types = None if types is None else [str(t) for t in types]
    base = {"zoom": zoom, "bbox": [west, south, east, north]}
    if types == [] or west > east or south > north:
        return {**base, "kind": "points", "total": 0, "points": []}
    level = min(zoom, aggregate.MAX_LEVEL)
    cells = aggregate.cells(conn, level, west, south, east, north, types)
    estimate = sum(c[2] for c in cells)  # an upper bound: border cells count whole
    if estimate > limit and estimate <= 4 * limit:
        # Border cells may hold most of it: the R*Tree alone counts the box (no row is read).
        located = conn.execute("SELECT count(*) FROM assets_rtree WHERE min_lon <= ? AND max_lon >= ? "
                               "AND min_lat <= ? AND max_lat >= ?", (east, west, north, south)).fetchone()[0]
        estimate = min(estimate, located)  # both are upper bounds (the R*Tree counts every type, tombstones too)
    if estimate <= limit:
        rows = _points(conn, west, south, east, north, types, limit + 1)
        if len(rows) <= limit:
            states = (state_provider or no_states)(conn, [r[0] for r in rows]) if rows else {}
            points = []
            for asset_id, type_, status, lon, lat, name, code in rows:
                state = states.get(asset_id) or {}
                flags = ((OPEN_DEFECT if state.get("defect") else 0)
                         | (INSPECTION_OVERDUE if state.get("overdue") else 0))
                points.append([asset_id, type_, STATUS_CODES.index(status) if status in STATUS_CODES else -1,
                               lon, lat, name, code, flags, state.get("last")])
            return {**base, "kind": "points", "total": len(points), "points": points}
    out = []
    for cx, cy, n, n_faulty, sum_lon, sum_lat, by_type in cells:
        counts = {}
        for part in (by_type or "").split(","):
            code, _, count = part.rpartition(":")
            if code:
                counts[code] = counts.get(code, 0) + int(count)
        out.append([round(sum_lon / n, 6), round(sum_lat / n, 6), n, n_faulty, counts])
    return {**base, "kind": "cells", "level": level, "cell": aggregate.cell_size(level), "total": estimate,
            "cells": out}


def handle_request(conn: sqlite3.Connection, request: str | dict, limit: int = POINT_LIMIT,
                   state_provider: StateProvider | None = None) -> str:
    """JSON request ``{"id", "west", "south", "east", "north", "zoom", "types"?}`` -> compact JSON answer with the
    same ``id`` (the page drops answers to requests it has since superseded)."""
    req = json.loads(request) if isinstance(request, str) else request
    answer = query(conn, float(req["west"]), float(req["south"]), float(req["east"]), float(req["north"]),
                   float(req["zoom"]), limit=limit, types=req.get("types"), state_provider=state_provider)
    answer["id"] = req.get("id")
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))


def nearby(conn: sqlite3.Connection, lon: float, lat: float, radius_m: float, limit: int = 500,
           types: Iterable[str] | None = None) -> list[dict]:
    """Live assets within ``radius_m`` metres of (lon, lat), nearest first, each with ``distance_m``."""
    radius_m = max(0.0, float(radius_m))
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    types = None if types is None else list(types)
    sql = ("SELECT a.id, a.type, a.status, a.lon, a.lat, a.name, a.code FROM assets_rtree r "
           "JOIN assets a ON a.seq = r.seq WHERE r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? "
           "AND r.max_lat >= ? AND a.deleted = 0")
    params: list = [lon + dlon, lon - dlon, lat + dlat, lat - dlat]
    if types is not None:
        sql += f" AND a.type IN ({','.join('?' * len(types))})" if types else " AND 0"
        params += types
    found = []
    keys = ("id", "type", "status", "lon", "lat", "name", "code")
    for row in conn.execute(sql, params):
        distance = haversine_m(lon, lat, row[3], row[4])
        if distance <= radius_m:
            found.append({**dict(zip(keys, row)), "distance_m": round(distance, 1)})
    found.sort(key=lambda r: (r["distance_m"], r["id"]))
    return found[:limit]


def locate(conn: sqlite3.Connection, asset_id: str) -> dict | None:
    """Position and popup fields of one asset (None when it has no position or does not exist)."""
    row = conn.execute("SELECT id, type, status, lon, lat, name, code, deleted FROM assets WHERE id = ?",
                       (asset_id,)).fetchone()
    if row is None or row[3] is None or row[4] is None:
        return None
    return dict(zip(("id", "type", "status", "lon", "lat", "name", "code", "deleted"), row))
