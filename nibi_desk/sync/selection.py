"""Which rows a bundle carries: per kind and scope, changed since a watermark, closed over references.

A delta (``since``) takes the rows of the scope whose local change log (``audit.hlc``, the local transaction stamp,
so imported changes count when they arrived here) is newer than the watermark, then adds every row they refer to
(within the scope), so a row that newly entered the scope arrives with what it needs. Drafts never leave a
registry except in a backup; ``users.password_hash`` never does.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Iterator

import orjson

from nibi_desk.sync.format import FOREIGN_KEYS, KIND_TABLES, LOCAL_ONLY, TABLES

TEMP = "_nibi_bundle_rows"
SUBMITTED = "SELECT id FROM inspections WHERE status = 'submitted'"


@dataclass
class Chosen:
    table: str
    count: int = 0
    shas: list[str] = field(default_factory=list)  # photos: the files to carry

    def rows(self, conn: sqlite3.Connection, fields: list[str], row_id: str | None = None) -> Iterator[tuple]:
        """Plain tuples ``(id, created_hlc, field_hlc, *fields, vv, siblings, non_finite)`` in ``seq`` order (only
        the row ``row_id`` if given).

        ``non_finite`` flags a row holding an infinite REAL (only columns without TEXT affinity can), which a fast
        JSON encoder would silently write as null."""
        cursor = conn.cursor()
        cursor.row_factory = None  # tuples: several times cheaper than sqlite3.Row for 100k rows
        yield from cursor.execute(self._rows_sql(_affinities(conn, self.table), fields, row_id is not None),
                                  (self.table, self.table, *((row_id,) if row_id else ())))

    def _rows_sql(self, affinity: dict[str, str], fields: list[str], one: bool) -> str:
        flag = " OR ".join(f"(typeof(t.{f}) = 'real' AND abs(t.{f}) > 1.7976931348623157e308)" for f in fields
                           if affinity[f] != "TEXT")
        return (f"SELECT t.id, t.created_hlc, t.field_hlc, {''.join(f't.{f}, ' for f in fields)}s.vv, s.siblings, "
                f"{flag or '0'} FROM {self.table} t JOIN temp.{TEMP} c ON c.tbl = ? AND c.id = t.id "
                f"LEFT JOIN sync_versions s ON s.tbl = ? AND s.row_id = t.id "
                f"{'WHERE t.id = ? ' if one else ''}ORDER BY t.seq")

    def lines(self, conn: sqlite3.Connection, fields: list[str]) -> Iterator[bytes | tuple]:
        """The records in ``seq`` order: most as their JSON line made by SQLite (bytes), the others as the tuple of
        :meth:`rows` for the Python encoder (export._encoder) — rows with version vectors or siblings to filter, or
        with a value JSON cannot hold as it is (a REAL in a column of another type, a BLOB, an infinity).

        Why SQLite writes the JSON: turning 100k rows of 15-20 columns into Python objects and encoding them again
        was most of an export's time (bench/bundles.py); ``json_object`` in C is ~3× cheaper. Except for REAL
        columns: SQLite 3.40's ``json_object`` writes doubles with 15 digits, which would not read back as the same
        number, so those are appended by orjson (shortest exact form) after the others (key order is not
        meaningful in a record)."""
        affinity = _affinities(conn, self.table)
        reals = [f for f in fields if affinity[f] == "REAL"]
        others = [f for f in fields if f not in reals]
        if not others or self.table in LOCAL_ONLY:
            yield from self.rows(conn, fields)
            return
        odd = " OR ".join(["s.vv IS NOT NULL", "s.siblings IS NOT NULL", "typeof(t.field_hlc) != 'text'",
                           "t.field_hlc NOT LIKE '{%'"]
                          + [f"typeof(t.{f}) IN ('real', 'blob')" for f in others if affinity[f] != "TEXT"]
                          + [f"typeof(t.{f}) = 'blob'" for f in others if affinity[f] == "TEXT"]
                          + [f"typeof(t.{f}) = 'blob' OR (typeof(t.{f}) = 'real' AND abs(t.{f}) > "
                             "1.7976931348623157e308)" for f in reals])
        values = ", ".join(f"'{f}', t.{f}" for f in others)
        one_row = self._rows_sql(affinity, fields, one=True)  # the rows the Python encoder writes
        single = conn.cursor()
        single.row_factory = None
        cursor = conn.cursor()
        cursor.row_factory = None
        keys = [f',"{f}":'.encode() for f in reals]
        dumps = orjson.dumps
        for row in cursor.execute(
                f"SELECT CASE WHEN {odd} THEN NULL ELSE CAST(json_object('id', t.id, 'created_hlc', t.created_hlc, "
                f"'field_hlc', json(t.field_hlc), 'values', json_object({values})) AS BLOB) END, "
                f"t.id{''.join(f', t.{f}' for f in reals)} FROM {self.table} t "
                f"JOIN temp.{TEMP} c ON c.tbl = ? AND c.id = t.id "
                f"LEFT JOIN sync_versions s ON s.tbl = ? AND s.row_id = t.id ORDER BY t.seq",
                (self.table, self.table)):
            line = row[0]
            if line is None:
                yield single.execute(one_row, (self.table, self.table, row[1])).fetchone()
            elif reals:  # ...}} -> ...,"lon":111.5,"lat":32.25}}
                yield b"".join([line[:-2], *(k + dumps(v) for k, v in zip(keys, row[2:])), b"}}"])
            else:
                yield line


def _affinities(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Column -> SQLite type affinity (https://sqlite.org/datatype3.html#determination_of_column_affinity)."""
    out = {}
    for _cid, name, declared, *_rest in conn.execute(f"PRAGMA table_info({table})"):
        t = (declared or "").upper()
        out[name] = ("INTEGER" if "INT" in t else "TEXT" if any(k in t for k in ("CHAR", "CLOB", "TEXT"))
                     else "BLOB" if not t or "BLOB" in t else "REAL" if any(k in t for k in ("REAL", "FLOA", "DOUB"))
                     else "NUMERIC")
    return out


def scope_conditions(kind: str, plans: tuple[str, ...] = (), township: str | None = None) -> dict[str, str]:
    """SQL conditions on alias ``t`` per table: the rows a full bundle of this kind carries."""
    if kind in ("rollup", "backup"):
        conds = {t: "1" for t in TABLES}
        if kind == "rollup":
            conds["inspections"] = "t.status = 'submitted'"
            conds["evidence"] = f"(t.inspection IS NULL OR t.inspection IN ({SUBMITTED}))"
        return conds
    if kind == "return":
        evidence = f"(t.inspection IS NULL OR t.inspection IN ({SUBMITTED}))"
        return {"assets": "1", "mounts": "1", "tasks": "1", "defects": "1", "inspections": "t.status = 'submitted'",
                "evidence": evidence,
                "photos": f"(t.id IN (SELECT photo FROM evidence t WHERE {evidence}) OR t.sha256 IN "
                          "(SELECT signature FROM inspections WHERE status = 'submitted' AND signature IS NOT NULL))"}
    # dispatch: the assets of the plans' tasks and selections, or of a township
    plan_list = ",".join("'" + p.replace("'", "") + "'" for p in plans) or "NULL"
    assets = []
    if plans:
        assets.append(f"t.id IN (SELECT asset FROM tasks WHERE plan IN ({plan_list}))")
    if township:
        prefix = township[:9].replace("'", "")
        assets.append(f"t.division BETWEEN '{prefix}000' AND '{prefix}999'")
    asset_cond = "(" + " OR ".join(assets) + ")"
    in_assets = f"(SELECT id FROM assets t WHERE {asset_cond})"
    tasks = f"t.plan IN ({plan_list}) AND t.asset IN {in_assets}" if plans else f"t.asset IN {in_assets}"
    defects = f"t.asset IN {in_assets}"
    evidence = f"t.defect IN (SELECT id FROM defects t WHERE {defects})"
    return {
        "assets": asset_cond,
        "mounts": f"t.carrier IN {in_assets} AND t.device IN {in_assets}",
        "plans": f"t.id IN ({plan_list})",
        "tasks": tasks,
        "defects": defects,
        "evidence": evidence,
        "inspections": f"t.status = 'submitted' AND t.asset IN {in_assets}",
        "photos": f"t.id IN (SELECT photo FROM evidence t WHERE {evidence})",
        "templates": "t.deleted = 0",
        "users": "1",
    }


def choose(conn: sqlite3.Connection, kind: str, since: str | None = None, plans: tuple[str, ...] = (),
           township: str | None = None) -> dict[str, Chosen]:
    """Fill a temporary table with the chosen (table, id) pairs and return per-table counts."""
    conds = scope_conditions(kind, plans, township)
    tables = [t for t in TABLES if t in KIND_TABLES[kind] and t in conds]
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {TEMP} (tbl TEXT NOT NULL, id TEXT NOT NULL, "
                 "PRIMARY KEY (tbl, id)) WITHOUT ROWID")
    conn.execute(f"DELETE FROM temp.{TEMP}")
    primary = {"dispatch": {"assets", "mounts", "plans", "tasks", "defects", "evidence", "templates"},
               "return": {"assets", "mounts", "tasks", "defects", "inspections", "evidence"}}.get(kind, set(tables))
    for table in tables:
        if table not in primary:
            continue  # taken only as far as other rows refer to them (users, photos, inspections of a dispatch)
        sql = f"INSERT OR IGNORE INTO temp.{TEMP} SELECT '{table}', t.id FROM {table} t WHERE {conds[table]}"
        params: list = []
        if since is not None:
            sql += " AND t.id IN (SELECT row_id FROM audit WHERE tbl = ? AND hlc > ?)"
            params = [table, since]
        conn.execute(sql, params)
    _close_references(conn, tables, conds)
    out = {}
    for table in tables:
        out[table] = Chosen(table, conn.execute(f"SELECT count(*) FROM temp.{TEMP} WHERE tbl = ?",
                                                (table,)).fetchone()[0])
    if "photos" in out:
        out["photos"].shas = [r[0] for r in conn.execute(
            f"SELECT p.sha256 FROM photos p JOIN temp.{TEMP} c ON c.tbl = 'photos' AND c.id = p.id ORDER BY p.seq")]
    return out


def _close_references(conn: sqlite3.Connection, tables: list[str], conds: dict[str, str]) -> None:
    """Add, within the scope, every row that a chosen row refers to, until nothing more is added."""
    for _round in range(8):
        added = 0
        for table in tables:
            for column, target in FOREIGN_KEYS.get(table, {}).items():
                if target not in tables:
                    continue
                added += conn.execute(
                    f"INSERT OR IGNORE INTO temp.{TEMP} SELECT '{target}', t.id FROM {target} t WHERE {conds[target]} "
                    f"AND t.id IN (SELECT r.{column} FROM {table} r JOIN temp.{TEMP} c ON c.tbl = '{table}' "
                    f"AND c.id = r.id WHERE r.{column} IS NOT NULL) AND t.id NOT IN "
                    f"(SELECT id FROM temp.{TEMP} WHERE tbl = '{target}')").rowcount
        if "photos" in tables and "inspections" in tables:  # signatures refer to photos by their hash
            added += conn.execute(
                f"INSERT OR IGNORE INTO temp.{TEMP} SELECT 'photos', p.id FROM photos p WHERE p.sha256 IN "
                f"(SELECT i.signature FROM inspections i JOIN temp.{TEMP} c ON c.tbl = 'inspections' AND c.id = i.id "
                f"WHERE i.signature IS NOT NULL) AND p.id NOT IN (SELECT id FROM temp.{TEMP} WHERE tbl = 'photos')"
            ).rowcount
        if not added:
            return


def release(conn: sqlite3.Connection) -> None:
    conn.execute(f"DROP TABLE IF EXISTS temp.{TEMP}")
