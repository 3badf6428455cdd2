"""Reading assets: by id or code, Chinese substring search (FTS5 trigram, instr fallback), bounding boxes, counts."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from nibi_desk.errors import NotFound

LIST_COLUMNS = ", ".join(f"a.{c}" for c in (
    "seq", "id", "type", "code", "name", "division", "address", "lon", "lat", "grid_code", "status", "owner", "operator"))


@dataclass
class Filters:
    """Conditions shared by the table view, search and exports. None means "any"."""

    types: tuple[str, ...] | None = None
    township: str | None = None      # 9- or 12-digit township code
    status: tuple[str, ...] | None = None
    operator: str | None = None
    include_deleted: bool = False

    def where(self) -> tuple[str, list]:
        clauses, params = [], []
        if not self.include_deleted:
            clauses.append("a.deleted = 0")
        if self.types:
            clauses.append(f"a.type IN ({','.join('?' * len(self.types))})")
            params.extend(self.types)
        if self.township:
            prefix = self.township[:9]
            # A range on the indexed division column (village codes share their township's 9-digit prefix).
            clauses.append("a.division BETWEEN ? AND ?")
            params.extend([prefix + "000", prefix + "999"])
        if self.status:
            clauses.append(f"a.status IN ({','.join('?' * len(self.status))})")
            params.extend(self.status)
        if self.operator:
            clauses.append("a.operator = ?")
            params.append(self.operator)
        return (" AND ".join(clauses) or "1"), params


def _row(row: sqlite3.Row) -> dict:
    d = dict(row)
    if "attrs" in d and isinstance(d["attrs"], str):
        d["attrs"] = json.loads(d["attrs"])
    if "field_hlc" in d and isinstance(d["field_hlc"], str):
        d["field_hlc"] = json.loads(d["field_hlc"])
    return d


def get(conn: sqlite3.Connection, asset_id: str) -> dict:
    row = conn.execute("SELECT * FROM assets WHERE id = ?", (asset_id,)).fetchone()
    if row is None:
        raise NotFound("No asset with id {id}", id=asset_id)
    return _row(row)


def find(conn: sqlite3.Connection, key: str) -> dict:
    """An asset by UUID or by business code (the CLI accepts either)."""
    row = conn.execute("SELECT * FROM assets WHERE id = ? OR (code = ? AND deleted = 0) ORDER BY deleted LIMIT 1",
                       (key, key)).fetchone()
    if row is None:
        raise NotFound("No asset with id or code {key}", key=key)
    return _row(row)


def search(conn: sqlite3.Connection, text: str, filters: Filters | None = None, limit: int = 200) -> list[dict]:
    """Assets whose name, code or address contains ``text`` (Chinese or Latin), in registry order.

    Three or more characters use the FTS5 trigram index; one or two characters cannot (a trigram needs three), so
    they scan the base table with instr(), which stops as soon as ``limit`` rows are found.
    """
    text = text.strip()
    where, params = (filters or Filters()).where()
    if not text:
        sql = f"SELECT {LIST_COLUMNS} FROM assets a WHERE {where} ORDER BY a.seq LIMIT ?"
        return [dict(r) for r in conn.execute(sql, (*params, limit))]
    if len(text) >= 3:
        phrase = '"' + text.replace('"', '""') + '"'
        sql = (f"SELECT {LIST_COLUMNS} FROM assets a WHERE a.seq IN "
               f"(SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?) AND {where} ORDER BY a.seq LIMIT ?")
        return [dict(r) for r in conn.execute(sql, (phrase, *params, limit))]
    sql = (f"SELECT {LIST_COLUMNS} FROM assets a WHERE (instr(a.name, ?) OR instr(a.code, ?) OR instr(a.address, ?)) "
           f"AND {where} ORDER BY a.seq LIMIT ?")
    return [dict(r) for r in conn.execute(sql, (text, text, text, *params, limit))]


def in_bbox(conn: sqlite3.Connection, west: float, south: float, east: float, north: float,
            filters: Filters | None = None, limit: int | None = None) -> list[dict]:
    """Assets inside a bounding box (R*Tree candidates, then the exact coordinates)."""
    where, params = (filters or Filters()).where()
    sql = (f"SELECT {LIST_COLUMNS} FROM assets_rtree r JOIN assets a ON a.seq = r.seq "
           f"WHERE r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? AND r.max_lat >= ? "
           f"AND a.lon BETWEEN ? AND ? AND a.lat BETWEEN ? AND ? AND {where}")
    args = [east, west, north, south, west, east, south, north, *params]
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [dict(r) for r in conn.execute(sql, args)]


def count(conn: sqlite3.Connection, filters: Filters | None = None) -> int:
    where, params = (filters or Filters()).where()
    return conn.execute(f"SELECT count(*) FROM assets a WHERE {where}", params).fetchone()[0]


def stats(conn: sqlite3.Connection) -> dict:
    """Counts per type and status, per township, and the BeiDou coding rate."""
    by_type = {}
    for type_code, status, n in conn.execute(
            "SELECT type, status, count(*) FROM assets WHERE deleted = 0 GROUP BY type, status"):
        by_type.setdefault(type_code, {})[status] = n
    by_township = {row[0]: row[1] for row in conn.execute(
        "SELECT substr(division, 1, 9) || '000', count(*) FROM assets WHERE deleted = 0 AND division IS NOT NULL "
        "GROUP BY substr(division, 1, 9)")}
    total, coded = conn.execute(
        "SELECT count(*), count(grid_code) FROM assets WHERE deleted = 0").fetchone()
    mounts = conn.execute("SELECT count(*) FROM mounts WHERE deleted = 0").fetchone()[0]
    return {"total": total, "grid_coded": coded, "grid_coding_rate": (coded / total) if total else None,
            "by_type": by_type, "by_township": by_township, "mounts": mounts}


def mounts_of(conn: sqlite3.Connection, asset_id: str) -> dict[str, list[dict]]:
    """What an asset carries and what carries it."""
    carries = [dict(r) for r in conn.execute(
        "SELECT m.id AS mount_id, m.position, a.id, a.type, a.code, a.name FROM mounts m JOIN assets a "
        "ON a.id = m.device WHERE m.carrier = ? AND m.deleted = 0 AND a.deleted = 0", (asset_id,))]
    carried_by = [dict(r) for r in conn.execute(
        "SELECT m.id AS mount_id, m.position, a.id, a.type, a.code, a.name FROM mounts m JOIN assets a "
        "ON a.id = m.carrier WHERE m.device = ? AND m.deleted = 0 AND a.deleted = 0", (asset_id,))]
    return {"carries": carries, "carried_by": carried_by}


def audit_of(conn: sqlite3.Connection, row_id: str) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT hlc, at, actor, device, tbl, action, changes FROM audit WHERE row_id = ? ORDER BY seq", (row_id,))]
