"""The map's aggregate pyramid (table asset_grid, migration 0003): cell maths, reading cells, rebuilding, checking.

A cell at level z is 360 / 2^(z+2) degrees square, about 64 pixels at Web Mercator zoom z. Cell indexes are computed
once at the finest level (``MAX_LEVEL``) and shifted right for coarser ones, so cells nest exactly; the expression
is the same in SQL (triggers, bulk fill) and here, evaluated in the same IEEE order, so Python and SQLite put a point
in the same cell. The triggers keep the table current on every write; ``rebuild`` recomputes it from scratch.
"""

from __future__ import annotations

import math
import sqlite3
from typing import Iterable

MAX_LEVEL = 17
SCALE = 2.0 ** (MAX_LEVEL + 2)  # finest cells per 360 degrees

# The grid as the triggers and BULK_INDEX_FILL build it, written as one GROUP BY over the live located assets.
_FROM_SCRATCH = f"""
    SELECT l.z, CAST((a.lon + 180.0) * {SCALE!r} / 360.0 AS INTEGER) >> l.shift AS cx,
           CAST((a.lat + 90.0) * {SCALE!r} / 360.0 AS INTEGER) >> l.shift AS cy, a.type,
           count(*) AS n, sum(a.status = 'faulty') AS n_faulty, sum(a.lon) AS sum_lon, sum(a.lat) AS sum_lat
    FROM assets a CROSS JOIN asset_grid_levels l
    WHERE a.deleted = 0 AND a.lon IS NOT NULL AND a.lat IS NOT NULL
    GROUP BY 1, 2, 3, 4
"""


def cell_size(level: int) -> float:
    """Degrees per cell side at ``level``."""
    return 360.0 / 2 ** (level + 2)


def fine_index(lon: float, lat: float) -> tuple[int, int]:
    """The finest-level cell of a point (the SQL's CAST(... AS INTEGER) truncates; the values are never negative)."""
    return int((lon + 180.0) * SCALE / 360.0), int((lat + 90.0) * SCALE / 360.0)


def cell_of(lon: float, lat: float, level: int) -> tuple[int, int]:
    fx, fy = fine_index(lon, lat)
    shift = MAX_LEVEL - level
    return fx >> shift, fy >> shift


def cell_range(west: float, south: float, east: float, north: float, level: int) -> tuple[int, int, int, int]:
    """(cx0, cy0, cx1, cy1): the inclusive index range of the cells a box touches at ``level``."""
    west, east = max(-180.0, min(180.0, west)), max(-180.0, min(180.0, east))
    south, north = max(-90.0, min(90.0, south)), max(-90.0, min(90.0, north))
    x0, y0 = cell_of(west, south, level)
    x1, y1 = cell_of(east, north, level)
    return x0, y0, x1, y1


def cell_bounds(cx: int, cy: int, level: int) -> tuple[float, float, float, float]:
    size = cell_size(level)
    return cx * size - 180.0, cy * size - 90.0, (cx + 1) * size - 180.0, (cy + 1) * size - 90.0


def has_grid(conn: sqlite3.Connection) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'asset_grid'").fetchone()
    return found is not None


def cells(conn: sqlite3.Connection, level: int, west: float, south: float, east: float, north: float,
          types: Iterable[str] | None = None) -> list[tuple]:
    """Cells of ``level`` touching the box: (cx, cy, n, n_faulty, sum_lon, sum_lat, "type:n,type:n")."""
    level = max(0, min(MAX_LEVEL, int(level)))
    x0, y0, x1, y1 = cell_range(west, south, east, north, level)
    sql = ("SELECT cx, cy, sum(n), sum(n_faulty), sum(sum_lon), sum(sum_lat), group_concat(type || ':' || n) "
           "FROM asset_grid WHERE z = ? AND cx BETWEEN ? AND ? AND cy BETWEEN ? AND ?")
    params: list = [level, x0, x1, y0, y1]
    if types is not None:
        types = list(types)
        if not types:
            return []
        sql += f" AND type IN ({','.join('?' * len(types))})"
        params += types
    return conn.execute(sql + " GROUP BY cx, cy", params).fetchall()


def total(conn: sqlite3.Connection, types: Iterable[str] | None = None) -> int:
    """Live located assets (the level-0 cells hold every one of them)."""
    sql, params = "SELECT coalesce(sum(n), 0) FROM asset_grid WHERE z = 0", []
    if types is not None:
        types = list(types)
        sql += f" AND type IN ({','.join('?' * len(types))})" if types else " AND 0"
        params = types
    return conn.execute(sql, params).fetchone()[0]


def extent(conn: sqlite3.Connection, level: int = 13) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the live located assets, to a cell of ``level`` (level 13: about a kilometre;
    a few thousand rows to read even for a province, where the finest level would be hundreds of thousands)."""
    row = conn.execute("SELECT min(cx), min(cy), max(cx), max(cy) FROM asset_grid WHERE z = ?", (level,)).fetchone()
    if row is None or row[0] is None:
        return None
    west, south, _, _ = cell_bounds(row[0], row[1], level)
    _, _, east, north = cell_bounds(row[2], row[3], level)
    return west, south, east, north


def from_scratch(conn: sqlite3.Connection) -> dict[tuple, tuple]:
    """{(z, cx, cy, type): (n, n_faulty, sum_lon, sum_lat)} computed directly from the assets table."""
    return {tuple(r[:4]): tuple(r[4:]) for r in conn.execute(_FROM_SCRATCH)}


def stored(conn: sqlite3.Connection) -> dict[tuple, tuple]:
    return {tuple(r[:4]): tuple(r[4:]) for r in conn.execute(
        "SELECT z, cx, cy, type, n, n_faulty, sum_lon, sum_lat FROM asset_grid")}


def differences(conn: sqlite3.Connection, tolerance: float = 1e-6) -> list[str]:
    """Where the stored pyramid differs from a from-scratch GROUP BY (sums compared with a relative tolerance)."""
    want, have = from_scratch(conn), stored(conn)
    problems = [f"missing cell {k}: {v}" for k, v in want.items() if k not in have]
    problems += [f"extra cell {k}: {v}" for k, v in have.items() if k not in want]
    for key in want.keys() & have.keys():
        (n, nf, sx, sy), (hn, hnf, hsx, hsy) = want[key], have[key]
        if (n, nf) != (hn, hnf) or not (math.isclose(sx, hsx, rel_tol=tolerance)
                                         and math.isclose(sy, hsy, rel_tol=tolerance)):
            problems.append(f"cell {key}: stored {(hn, hnf, hsx, hsy)}, computed {(n, nf, sx, sy)}")
    return sorted(problems)


def rebuild(txn) -> int:
    """Recompute the whole pyramid inside a write transaction (``registry.writer.run(aggregate.rebuild)``)."""
    txn.execute("DELETE FROM asset_grid")
    txn.execute(f"INSERT INTO asset_grid (z, cx, cy, type, n, n_faulty, sum_lon, sum_lat) {_FROM_SCRATCH}")
    return txn.execute("SELECT count(*) FROM asset_grid").fetchone()[0]
