"""Reading assets: by id or code, Chinese substring search (FTS5 trigram, instr fallback), bounding boxes, counts."""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import dataclass
from datetime import date, timedelta

from nibi_desk.errors import NotFound
from nibi_desk.storage import chars

LIST_COLUMNS = ", ".join(f"a.{c}" for c in (
    "seq", "id", "type", "code", "name", "division", "address", "lon", "lat", "grid_code", "status", "owner",
    "operator"))


@dataclass
class Filters:
    """Conditions shared by the table view, search and exports. None means "any"."""

    types: tuple[str, ...] | None = None
    township: str | None = None      # 9- or 12-digit township code
    status: tuple[str, ...] | None = None
    operator: str | None = None
    include_deleted: bool = False
    inspection_due: bool = False     # an open task due within 7 days or overdue (tables of migration 0002)
    open_defects: bool = False       # a defect that is not closed
    overdue_defects: bool = False    # a defect past its deadline and not closed

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
        if self.inspection_due:
            clauses.append("EXISTS (SELECT 1 FROM tasks t WHERE t.asset = a.id AND t.status = 'open' "
                           "AND t.deleted = 0 AND t.due_date <= ?)")
            params.append((date.today() + timedelta(days=7)).isoformat())
        if self.open_defects or self.overdue_defects:
            clauses.append("EXISTS (SELECT 1 FROM defects d WHERE d.asset = a.id AND d.status != 'closed' "
                           "AND d.deleted = 0" + (" AND d.deadline < ?)" if self.overdue_defects else ")"))
            params.extend([date.today().isoformat()] if self.overdue_defects else [])
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


def text_match(text: str) -> tuple[str | None, str, list]:
    """How to find ``text``: (FTS table to join or None, extra WHERE condition, its parameters).

    Three or more characters use the trigram index; one or two use the single-character index (a token, or a phrase
    of two adjacent tokens); a short query with punctuation, which neither index holds, scans name, code and address
    with instr() (ASCII case folded, as the indexes do).
    """
    text = text.strip()
    if not text:
        return None, "", []
    if len(text) >= 3:
        return "assets_fts", "assets_fts MATCH ?", ['"' + text.replace('"', '""') + '"']
    folded = text.lower()
    recheck = "(instr(lower(a.name), ?) OR instr(lower(a.code), ?) OR instr(lower(a.address), ?))"
    found = chars.phrase(text)
    if found is None:
        return None, recheck, [folded, folded, folded]
    query, needs_recheck = found
    if needs_recheck:
        return "assets_chars", f"assets_chars MATCH ? AND {recheck}", [query, folded, folded, folded]
    return "assets_chars", "assets_chars MATCH ?", [query]


def search(conn: sqlite3.Connection, text: str, filters: Filters | None = None, limit: int = 200) -> list[dict]:
    """Assets whose name, code or address contains ``text`` (Chinese or Latin), in registry order.

    The FTS tables are joined and read in rowid order, so FTS5 hands matches over in order and LIMIT stops the
    search early instead of collecting every match first.
    """
    where, params = (filters or Filters()).where()
    fts, condition, match_params = text_match(text)
    if fts is not None:
        sql = (f"SELECT {LIST_COLUMNS} FROM {fts} f JOIN assets a ON a.seq = f.rowid "
               f"WHERE {condition} AND {where} ORDER BY f.rowid LIMIT ?")
    else:
        sql = (f"SELECT {LIST_COLUMNS} FROM assets a WHERE {condition + ' AND ' if condition else ''}{where} "
               f"ORDER BY a.seq LIMIT ?")
    return [dict(r) for r in conn.execute(sql, (*match_params, *params, limit))]


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
    """Counts per type and status, per township, the BeiDou coding rate, and open and overdue defects."""
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
    open_defects, overdue_defects = conn.execute(
        "SELECT count(*), coalesce(sum(deadline < ?), 0) FROM defects WHERE deleted = 0 AND status != 'closed'",
        (date.today().isoformat(),)).fetchone() if has_table(conn, "defects") else (0, 0)
    return {"total": total, "grid_coded": coded, "grid_coding_rate": (coded / total) if total else None,
            "by_type": by_type, "by_township": by_township, "mounts": mounts, "open_defects": open_defects,
            "overdue_defects": overdue_defects}


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
        "SELECT hlc, at, actor, device, tbl, action, changes FROM audit WHERE row_id = ? ORDER BY hlc, id", (row_id,))]


# -- The registry browser: every matching row key in order, then rows by key (added for the GUI's lazy table) -----
def _status_rank() -> str:
    from nibi_desk.domain.assets import STATUSES

    return "CASE a.status " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STATUSES)) + " END"


# Whitelisted sort keys -> SQL (callers pass a key, never SQL). Every order ends with seq so that it is total.
# The township sorts by division code: townships in their official order, then the villages inside each. The unary
# + keeps SQLite from walking the code, division or hlc index to avoid a sort: without a LIMIT that means a table
# lookup per row in index order, 4-5 times slower than scanning and sorting (1.4 s against 0.3 s at 300,000 rows).
ORDER_BY = {
    "seq": "a.seq", "code": "+a.code", "name": "a.name", "type": "a.type", "status": _status_rank(),
    "township": "+a.division", "operator": "a.operator", "owner": "a.owner", "address": "a.address",
    "lon": "a.lon", "lat": "a.lat", "grid_code": "a.grid_code", "updated": "+a.hlc",
}
ROW_COLUMNS = (LIST_COLUMNS + ", a.hlc, a.deleted, "
               "(SELECT d.name FROM divisions d WHERE d.code = substr(a.division, 1, 9) || '000') AS township")


def matching_seqs(conn: sqlite3.Connection, text: str = "", filters: Filters | None = None, order_by: str = "seq",
                  descending: bool = False, cancelled=None, limit: int | None = None):
    """The ``seq`` of EVERY asset matching ``text`` and ``filters``, in order, as an ``array('q')`` (8 bytes a row).

    The same matching as ``search`` without its LIMIT: FTS5 trigram for 3+ characters, instr() on name, code and
    address for 1-2 characters (ASCII letters case-insensitively, as the trigram index does), the filters alone for
    an empty text. ``order_by`` is a key of ORDER_BY; ties (and ``descending``) follow seq. ``cancelled`` is an
    optional callable polled while SQLite works: when it returns True the query is interrupted and None returned.
    ``limit`` keeps only the first rows (a quick first page while the whole list is being computed).
    """
    from array import array

    if order_by not in ORDER_BY:
        raise ValueError(f"cannot order assets by {order_by!r}; choose one of {', '.join(ORDER_BY)}")
    text = (text or "").strip()
    where, params = (filters or Filters()).where()
    direction = " DESC" if descending else ""
    fts, condition, match_params = text_match(text)
    source = f"{fts} f JOIN assets a ON a.seq = f.rowid" if fts is not None else "assets a"
    match = condition + " AND " if condition else ""
    params = [*match_params, *params]
    order = f"{ORDER_BY[order_by]}{direction}, a.seq{direction}"
    inner = f"SELECT a.seq FROM {source} WHERE {match}{where} ORDER BY {order}"
    if limit is not None:
        inner += f" LIMIT {int(limit)}"
    # One aggregate row instead of a row per asset: SQLite builds the whole list in a single step, during which
    # Python's GIL is released, so a GUI thread stays responsive (fetching a million rows in Python would take the
    # GIL back a million times and starve it). The aggregate consumes the subquery in its ORDER BY order: SQLite
    # only drops a FROM-subquery's ORDER BY when the outer query is a join or has its own ORDER BY.
    sql = f"SELECT count(*), group_concat(printf('%016x', seq), '') FROM ({inner})"
    if cancelled is not None:
        if cancelled():
            return None
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, 100_000)  # polled about every millisecond
    try:
        n, packed = conn.execute(sql, params).fetchone()
    except sqlite3.OperationalError:
        if cancelled is not None and cancelled():
            return None
        raise
    finally:
        if cancelled is not None:
            conn.set_progress_handler(None, 0)
    if cancelled is not None and cancelled():
        return None
    out = array("q")
    step = 16 * 65536  # decode in slices so that no single call holds the GIL for long
    for i in range(0, len(packed or ""), step):
        out.frombytes(bytes.fromhex(packed[i:i + step]))
    if sys.byteorder == "little":
        out.byteswap()  # the hex digits are big-endian
    if len(out) != n:
        raise RuntimeError(f"matching_seqs decoded {len(out)} keys for {n} rows")
    return out


def rows_by_seq(conn: sqlite3.Connection, seqs) -> list[dict]:
    """List columns plus ``hlc``, ``deleted`` and the township's name for the given seqs, in the given order.

    Primary-key lookups (a page of a few hundred rows takes about a millisecond). Seqs that no longer exist are
    left out; tombstoned rows are returned (with deleted = 1) so that a stale page can show them as such.
    """
    seqs = list(seqs)
    found: dict[int, dict] = {}
    for i in range(0, len(seqs), 500):
        chunk = seqs[i:i + 500]
        for r in conn.execute(f"SELECT {ROW_COLUMNS} FROM assets a WHERE a.seq IN ({','.join('?' * len(chunk))})",
                              chunk):
            found[r["seq"]] = dict(r)
    return [found[s] for s in seqs if s in found]


def seq_of(conn: sqlite3.Connection, asset_id: str) -> int | None:
    """The local row key of an asset id (None if there is no such asset)."""
    row = conn.execute("SELECT seq FROM assets WHERE id = ?", (asset_id,)).fetchone()
    return row[0] if row else None


def distinct_operators(conn: sqlite3.Connection, cancelled=None) -> list[str] | None:
    """Operators named by live assets, sorted (a full scan: there is no index on operator).

    ``cancelled`` as in ``matching_seqs``: polled while SQLite works; None is returned once it says True.
    """
    sql = ("SELECT DISTINCT operator FROM assets WHERE deleted = 0 AND operator IS NOT NULL AND operator != '' "
           "ORDER BY operator")
    if cancelled is None:
        return [r[0] for r in conn.execute(sql)]
    conn.set_progress_handler(lambda: 1 if cancelled() else 0, 100_000)
    try:
        return [r[0] for r in conn.execute(sql)]
    except sqlite3.OperationalError:
        if cancelled():
            return None
        raise
    finally:
        conn.set_progress_handler(None, 0)


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the registry has a table (features such as inspections arrive with later migrations)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def counts_by_type(conn: sqlite3.Connection) -> dict[str, int]:
    """Live assets per type: one pass, for the status bar (stats() makes four and is meant for reports)."""
    return dict(conn.execute("SELECT type, count(*) FROM assets WHERE deleted = 0 GROUP BY type").fetchall())
