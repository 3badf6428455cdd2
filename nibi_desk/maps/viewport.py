"""What the interactive map shows for a view: aggregate cells from the pyramid or assets from the R*Tree, as JSON.

The page asks for its (padded) bounding box and zoom; ``query`` answers with at most ``limit`` points when that
many or fewer live located assets are in the box, otherwise with the pyramid's cells of the zoom's level (a few
hundred rows whatever the registry's size). A point carries only what its symbol needs (seq, position, type,
status, open defect, inspection overdue), column by column; the popup asks for the rest (``details``).
``handle_request`` is the whole JSON-in, JSON-out exchange used by the GUI bridge, so it is testable without a
browser.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from typing import Callable, Iterable

from nibi_desk.domain.assets import STATUSES
from nibi_desk.domain.coords import EARTH_RADIUS_M, haversine_m
from nibi_desk.maps import aggregate, states

POINT_LIMIT = 3000
# Density threshold: single points at most one per POINT_SPACING_PX^2 of the (padded) view in pixels, when the page
# says how big that is; beyond it the view shows count cells. Denser symbols only cover each other, and every point
# is a row read from the assets table.
POINT_SPACING_PX = 30
MAX_ZOOM = 19
STATUS_CODES = tuple(STATUSES)
# The columns of a points answer, one JSON array each (index i of every array is the same asset).
# Positions are integer microdegrees (degrees x 10^6, about 0.1 m): shorter than decimals and quicker to make.
POINT_COLUMNS = ("seq", "lon_e6", "lat_e6", "type", "status")

# state_provider(conn, seqs) -> {"defect": [seq, ...], "overdue": [seq, ...]}; ``seqs`` is the JSON array text of
# the answer's seqs. nibi_desk.maps.states.provider is the real one; it also offers its conditions as SQL
# (``provider.sql(conn)``), which the points query then evaluates itself.
StateProvider = Callable[[sqlite3.Connection, str], dict]
no_states = states.no_states


def type_codes(conn: sqlite3.Connection) -> list[str]:
    """Asset type codes in the order of the page's legend (styles.asset_types): a points answer's ``type`` column
    indexes this list, which the answer also carries as ``types``."""
    return [r[0] for r in conn.execute("SELECT code FROM asset_types ORDER BY sort, code")]


def _case(column: str, codes: Iterable[str]) -> str:
    whens = " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(codes) if "'" not in code)
    return f"CASE {column} {whens} ELSE -1 END"


def _points(conn: sqlite3.Connection, west: float, south: float, east: float, north: float,
            types: list[str] | None, limit: int, codes: list[str],
            state_sql: tuple[str, str, list] | None = None) -> tuple[int, dict[str, str]]:
    """(rows, {column: comma-separated values}) of at most ``limit`` live assets in the box; with ``state_sql``
    (a provider's conditions) also the seqs with an open defect and with an overdue inspection.

    One aggregate row: SQLite reads every point in a single step with the GIL released (a row per asset would take
    the GIL back thousands of times, and each time wait for the GUI thread).
    """
    extra, extra_params = "", []
    if state_sql is not None:
        extra = (f", CASE WHEN {state_sql[0]} THEN a.seq END AS defect, "
                 f"CASE WHEN {state_sql[1]} THEN a.seq END AS overdue")
        extra_params = list(state_sql[2])
    inner = ("SELECT a.seq AS seq, CAST(round(a.lon * 1e6) AS INTEGER) AS lon_e6, "
             "CAST(round(a.lat * 1e6) AS INTEGER) AS lat_e6, "
             f"{_case('a.type', codes)} AS type, {_case('a.status', STATUS_CODES)} AS status{extra} "
             # the R*Tree alone (its auxiliary columns, migration 0007), named ``a`` for the providers' conditions
             "FROM assets_rtree a "
             "WHERE a.min_lon <= ? AND a.max_lon >= ? AND a.min_lat <= ? AND a.max_lat >= ? "
             "AND a.lon BETWEEN ? AND ? AND a.lat BETWEEN ? AND ? AND a.deleted = 0")
    params: list = [*extra_params, east, west, north, south, west, east, south, north]
    if types is not None:
        inner += f" AND a.type IN ({','.join('?' * len(types))})"
        params += types
    names = POINT_COLUMNS + (("defect", "overdue") if state_sql is not None else ())
    columns = ", ".join(f"coalesce(group_concat({c}), '')" for c in names)
    row = conn.execute(f"SELECT count(*), {columns} FROM ({inner} LIMIT ?)", (*params, limit)).fetchone()
    return row[0], dict(zip(names, row[1:]))


def _cells(rows: list[tuple]) -> list[list]:
    out = []
    for cx, cy, n, n_faulty, sum_lon, sum_lat, by_type in rows:
        counts: dict[str, int] = {}
        for part in (by_type or "").split(","):
            code, _, count = part.rpartition(":")
            if code:
                counts[code] = counts.get(code, 0) + int(count)
        out.append([round(sum_lon / n, 6), round(sum_lat / n, 6), n, n_faulty, counts])
    return out


def _answer(conn: sqlite3.Connection, west: float, south: float, east: float, north: float, zoom: float,
            limit: int, types: Iterable[str] | None, state_provider: StateProvider | None,
            stages: dict | None) -> tuple[dict, dict[str, str]]:
    """The answer as a dict plus, for points, its columns as JSON array bodies (spliced in by ``_encode``)."""
    started = time.perf_counter()
    zoom = max(0, min(MAX_ZOOM, int(math.floor(zoom))))
    west, east = max(-180.0, west), min(180.0, east)
    south, north = max(-85.06, south), min(85.06, north)
    types = None if types is None else [str(t) for t in types]
    base = {"zoom": zoom, "bbox": [west, south, east, north]}
    empty = {**base, "kind": "points", "total": 0, "types": [], **{c: [] for c in POINT_COLUMNS},
             "defect": [], "overdue": []}
    if types == [] or west > east or south > north:
        return empty, {}
    level = min(zoom, aggregate.MAX_LEVEL)
    cells = aggregate.cells(conn, level, west, south, east, north, types)
    estimate = sum(c[2] for c in cells)  # an upper bound: border cells count whole
    if limit < estimate <= 4 * limit:
        # Border cells may hold most of it: the R*Tree alone counts the box (no row is read).
        located = conn.execute("SELECT count(*) FROM assets_rtree WHERE min_lon <= ? AND max_lon >= ? "
                               "AND min_lat <= ? AND max_lat >= ?", (east, west, north, south)).fetchone()[0]
        estimate = min(estimate, located)  # both are upper bounds (the R*Tree counts every type, tombstones too)
    if estimate <= limit:
        codes = type_codes(conn)
        provider = state_provider or states.provider
        inline = getattr(provider, "sql", None)  # a provider that can say it in SQL is asked inside the query
        state_sql = inline(conn) if inline is not None else None
        n, columns = _points(conn, west, south, east, north, types, limit + 1, codes, state_sql)
        if n <= limit:
            queried = time.perf_counter()
            answer = {**base, "kind": "points", "total": n, "types": codes}
            if inline is None:
                found = provider(conn, f"[{columns['seq']}]") if n else {}
                answer.update(defect=list(found.get("defect", [])), overdue=list(found.get("overdue", [])))
            elif state_sql is None:
                answer.update(defect=[], overdue=[])
            if stages is not None:
                stages.update(sql_ms=(queried - started) * 1000, states_ms=(time.perf_counter() - queried) * 1000)
            return answer, columns
    if stages is not None:
        stages.update(sql_ms=(time.perf_counter() - started) * 1000, states_ms=0.0)
    return {**base, "kind": "cells", "level": level, "cell": aggregate.cell_size(level), "total": estimate,
            "cells": _cells(cells)}, {}


def query(conn: sqlite3.Connection, west: float, south: float, east: float, north: float, zoom: float,
          limit: int = POINT_LIMIT, types: Iterable[str] | None = None,
          state_provider: StateProvider | None = None) -> dict:
    """The map content of a view.

    Points (at most ``limit`` live located assets in the box), column by column: ``{"kind": "points", "seq": [...],
    "lon_e6": [...], "lat_e6": [...] (microdegrees), "type": [index into "types"], "status": [index into
    STATUS_CODES], "types": [code,
    ...], "defect": [seq with an open defect, ...], "overdue": [seq with an overdue inspection, ...]}``. Names, codes
    and the rest are fetched per asset when asked (``details``). More assets than that: the pyramid's cells of the
    zoom's level, ``{"kind": "cells", "level": z, "cells": [[lon, lat, n, n_faulty, {type: n}], ...]}`` (lon/lat
    of a cell is the centroid of its assets). Both with ``total`` (assets in the box, exact for points, from the
    cells otherwise), ``zoom`` and ``bbox``. ``types`` limits the asset types (None: all). ``state_provider``
    defaults to the real states (nibi_desk.maps.states.provider).
    """
    answer, columns = _answer(conn, west, south, east, north, zoom, limit, types, state_provider, None)
    for name, values in columns.items():
        answer[name] = json.loads(f"[{values}]")
    for name in ("defect", "overdue"):
        if name in answer:
            answer[name].sort()
    return answer


def _encode(answer: dict, columns: dict[str, str]) -> str:
    head = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
    if not columns:
        return head
    return head[:-1] + "," + ",".join(f'"{name}":[{values}]' for name, values in columns.items()) + "}"


def density_limit(limit: int, px: list | None) -> int:
    """The point limit for a view of ``px`` = [width, height] pixels (None: ``limit`` as it is)."""
    try:
        width, height = float(px[0]), float(px[1])
    except (TypeError, ValueError, IndexError):
        return limit
    return max(1, min(limit, int(width * height / POINT_SPACING_PX ** 2)))


def handle_request(conn: sqlite3.Connection, request: str | dict, limit: int = POINT_LIMIT,
                   state_provider: StateProvider | None = None, stages: dict | None = None) -> str:
    """JSON request ``{"id", "west", "south", "east", "north", "zoom", "types"?, "px"?}`` -> compact JSON answer (as
    ``query``'s) with the same ``id`` (the page drops answers to requests it has since superseded); ``px``, the
    box's size in pixels, lowers the point limit to the density threshold (``density_limit``). ``stages``,
    when given, receives the milliseconds spent in SQL (``sql_ms``), states (``states_ms``) and JSON
    (``encode_ms``)."""
    req = json.loads(request) if isinstance(request, str) else request
    answer, columns = _answer(conn, float(req["west"]), float(req["south"]), float(req["east"]),
                              float(req["north"]), float(req["zoom"]), density_limit(limit, req.get("px")),
                              req.get("types"), state_provider, stages)
    answer["id"] = req.get("id")
    started = time.perf_counter()
    text = _encode(answer, columns)
    if stages is not None:
        stages["encode_ms"] = (time.perf_counter() - started) * 1000
        stages["bytes"] = len(text)
    return text


def details(conn: sqlite3.Connection, seq: int | None = None, asset_id: str | None = None) -> dict | None:
    """One asset as the map's popup and tooltip show it, by ``seq`` or ``asset_id``: id, seq, type, status, name,
    code, lon, lat, deleted, and its inspection state (states.of_asset: last, open_defects, overdue_defects,
    inspection_overdue). None when there is no such asset."""
    key, value = ("seq", int(seq)) if seq is not None else ("id", asset_id)
    row = conn.execute(f"SELECT id, seq, type, status, name, code, lon, lat, deleted FROM assets WHERE {key} = ?",
                       (value,)).fetchone()
    if row is None:
        return None
    out = dict(zip(("id", "seq", "type", "status", "name", "code", "lon", "lat", "deleted"), row))
    return {**out, **states.of_asset(conn, out["id"])}


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
