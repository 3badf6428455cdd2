"""The one writer: every change to a registry runs here, versioned per field and audited in the same transaction."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from nibi_desk.errors import NotFound, ValidationError, Where
from nibi_desk.ids import uuid7, uuid7_batch
from nibi_desk.storage.hlc import HybridClock

log = logging.getLogger(__name__)

# Columns the writer maintains itself; everything else in a versioned table is a versioned field.
SYSTEM_COLUMNS = frozenset({"seq", "id", "created_hlc", "field_hlc", "hlc"})
# Tables whose rows travel in bundles and merge per field (users are versioned too but stay local).
VERSIONED_TABLES = {"assets", "mounts", "users", "templates", "plans", "tasks", "inspections", "photos", "evidence",
                    "defects", "division_population", "targets"}


@dataclass
class Changed:
    """What a committed transaction changed, so that each view decides whether to refresh (Anki's OpChanges)."""

    stamp: str
    rows: dict[str, set[str]] = field(default_factory=dict)

    def add(self, table: str, row_id: str) -> None:
        self.rows.setdefault(table, set()).add(row_id)

    def touches(self, table: str) -> bool:
        return table in self.rows


class WriteTxn:
    """One open write transaction. All of its rows and audit entries carry the same version stamp."""

    def __init__(self, conn: sqlite3.Connection, stamp: str, actor: str | None, device: str):
        self.conn = conn
        self.stamp = stamp
        self.actor = actor
        self.device = device
        self.at = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        self.changed = Changed(stamp)
        self._columns: dict[str, list[str]] = {}

    # -- helpers -----------------------------------------------------------------------------------------------
    def fields_of(self, table: str) -> list[str]:
        if table not in self._columns:
            cols = [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]
            if not cols:
                raise ValueError(f"no table {table}")
            self._columns[table] = [c for c in cols if c not in SYSTEM_COLUMNS]
        return self._columns[table]

    def _check_fields(self, table: str, values: dict[str, Any]) -> None:
        if table not in VERSIONED_TABLES:
            raise ValueError(f"{table} is not a versioned table; use execute()")
        unknown = set(values) - set(self.fields_of(table))
        if unknown:
            raise ValidationError("Unknown field {fields}", where=Where(field=", ".join(sorted(unknown))),
                                  fields=", ".join(sorted(unknown)))

    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        """Plain SQL for reference tables (divisions, asset types, registry metadata) that are not versioned."""
        return self.conn.execute(sql, tuple(params))

    def get(self, table: str, row_id: str) -> dict[str, Any]:
        row = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise NotFound("No {table} record with id {id}", table=table, id=row_id)
        return dict(row)

    def _audit(self, table: str, row_id: str, action: str, changes: dict[str, list[Any]] | None) -> None:
        self.conn.execute(
            "INSERT INTO audit (id, hlc, at, actor, device, tbl, row_id, action, changes) VALUES (?,?,?,?,?,?,?,?,?)",
            (uuid7(), self.stamp, self.at, self.actor, self.device, table, row_id, action,
             json.dumps(changes, ensure_ascii=False) if changes is not None else None),
        )
        self.changed.add(table, row_id)

    # -- versioned writes --------------------------------------------------------------------------------------
    def insert(self, table: str, values: dict[str, Any], row_id: str | None = None) -> str:
        self._check_fields(table, values)
        row_id = row_id or uuid7()
        cols = list(values)
        placeholders = ",".join("?" * (len(cols) + 4))
        self.conn.execute(
            f"INSERT INTO {table} (id, {', '.join(cols)}, created_hlc, field_hlc, hlc) VALUES ({placeholders})"
            if cols else f"INSERT INTO {table} (id, created_hlc, field_hlc, hlc) VALUES (?,?,?,?)",
            (row_id, *values.values(), self.stamp, "{}", self.stamp),
        )
        self._audit(table, row_id, "insert", {k: [None, v] for k, v in values.items() if v is not None})
        return row_id

    def update(self, table: str, row_id: str, values: dict[str, Any]) -> dict[str, list[Any]]:
        """Write the fields that really change; return {field: [before, after]} (empty when nothing changed)."""
        self._check_fields(table, values)
        before = self.get(table, row_id)
        diff = {k: [before[k], v] for k, v in values.items() if before[k] != v}
        if not diff:
            return {}
        versions = json.loads(before["field_hlc"])
        versions.update({k: self.stamp for k in diff})
        sets = ", ".join(f"{k} = ?" for k in diff)
        self.conn.execute(
            f"UPDATE {table} SET {sets}, field_hlc = ?, hlc = ? WHERE id = ?",
            (*[v[1] for v in diff.values()], json.dumps(versions, sort_keys=True), self.stamp, row_id),
        )
        action = "delete" if diff.get("deleted") == [0, 1] else "restore" if diff.get("deleted") == [1, 0] else "update"
        self._audit(table, row_id, action, diff)
        self._supersede_conflicts(table, row_id, diff, before)
        return diff

    def _supersede_conflicts(self, table: str, row_id: str, diff: dict[str, list[Any]],
                             before: dict[str, Any]) -> None:
        """A local write made while a field's merge conflict is open is a new version that knows every candidate
        (nibi_desk/sync/merge.py: the field's register is then this one value), so it settles the conflict here
        exactly as it will on every registry it reaches. A conflict on ``deleted`` is settled by a write to any
        field: the row's liveness knows the whole row."""
        open_ = self.conn.execute("SELECT id, field FROM conflicts INDEXED BY conflicts_open "
                                  "WHERE tbl = ? AND row_id = ? AND status = 'open'",
                                  (table, row_id)).fetchall()
        for conflict_id, name in open_:
            if name not in diff and name != "deleted":
                continue
            value = diff[name][1] if name in diff else before["deleted"]
            self.close_conflict(conflict_id, "superseded", {"choice": "edited", "value": value})

    def close_conflict(self, conflict_id: str, status: str, resolution: dict) -> None:
        """Mark an open conflict resolved (by a person) or superseded (by a newer version), audited."""
        self.conn.execute("UPDATE conflicts SET status = ?, resolved_at = ?, resolved_hlc = ?, resolved_by = ?, "
                          "resolution = ? WHERE id = ?",
                          (status, self.at, self.stamp, self.actor, json.dumps(resolution, ensure_ascii=False),
                           conflict_id))
        self._audit("conflicts", conflict_id, "update", {"status": ["open", status]})

    def delete(self, table: str, row_id: str) -> bool:
        """Tombstone a row (rows are never removed: a delete must travel and merge like any edit)."""
        return bool(self.update(table, row_id, {"deleted": 1}))

    def bulk_insert(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        """Insert many new rows (tuples in ``columns`` order, without id; UUIDv7s are assigned). Callers validate.

        The per-row index triggers of the table are suspended inside this transaction and the indexes are filled
        with one set-based statement each afterwards (several times faster than a trigger per row); the triggers
        are recreated before commit, and a failure rolls the whole thing back, triggers included.
        """
        self._check_fields(table, dict.fromkeys(columns))
        rows = list(rows)
        ids = uuid7_batch(len(rows))
        audit_ids = uuid7_batch(len(rows))
        first = self.conn.execute(f"SELECT coalesce(max(seq), 0) FROM {table}").fetchone()[0]
        triggers = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN "
            f"({','.join('?' * len(BULK_INDEX_FILL))})", (table, *BULK_INDEX_FILL)).fetchall()
        for name, _sql in triggers:
            self.conn.execute(f"DROP TRIGGER {name}")
        self.conn.executemany(
            f"INSERT INTO {table} (id, {', '.join(columns)}, created_hlc, field_hlc, hlc) "
            f"VALUES ({','.join('?' * (len(columns) + 4))})",
            ((row_id, *row, self.stamp, "{}", self.stamp) for row_id, row in zip(ids, rows)))
        for name, sql in triggers:
            self.conn.execute(BULK_INDEX_FILL[name], (first,))
            self.conn.execute(sql)
        # A bulk insert's audit entry records who, when and which row; the inserted values are the row's created
        # state (its created_hlc equals this entry's stamp), so they are not copied a second time.
        stamp, at, actor, device = self.stamp, self.at, self.actor, self.device
        self.conn.executemany(
            "INSERT INTO audit (id, hlc, at, actor, device, tbl, row_id, action, changes) VALUES (?,?,?,?,?,?,?,?,?)",
            ((audit_id, stamp, at, actor, device, table, row_id, "insert", None)
             for audit_id, row_id in zip(audit_ids, ids)))
        self.changed.rows.setdefault(table, set()).add("*")
        return len(rows)

    # -- merged rows from other registries (nibi_desk/sync) -----------------------------------------------------
    def apply_remote(self, table: str, row_id: str, values: dict[str, Any], created_hlc: str,
                     field_stamps: dict[str, str], insert: bool) -> dict[str, list[Any]]:
        """Write a merged row with the GIVEN versions (the merge's, not a new local stamp) and audit the change.

        ``values`` are the fields to write (all of them for an insert); ``field_stamps`` is the row's whole new
        ``field_hlc``. The row's ``hlc`` becomes the newest of its stamps. Returns {field: [before, after]}.
        """
        self._check_fields(table, values)
        versions = json.dumps(dict(sorted(field_stamps.items())))
        newest = max([created_hlc, *field_stamps.values()])
        if insert:
            cols = list(values)
            self.conn.execute(
                f"INSERT INTO {table} (id, {''.join(c + ', ' for c in cols)}created_hlc, field_hlc, hlc) "
                f"VALUES ({','.join('?' * (len(cols) + 4))})",
                (row_id, *values.values(), created_hlc, versions, newest))
            diff = {k: [None, v] for k, v in values.items() if v is not None}
            self._audit(table, row_id, "insert", diff)
            return diff
        before = self.get(table, row_id)
        diff = {k: [before[k], v] for k, v in values.items() if before[k] != v}
        sets = "".join(f"{k} = ?, " for k in diff)
        self.conn.execute(f"UPDATE {table} SET {sets}field_hlc = ?, hlc = ? WHERE id = ?",
                          (*[v[1] for v in diff.values()], versions, max(newest, before["hlc"]), row_id))
        if diff:
            action = "delete" if diff.get("deleted") == [0, 1] else \
                "restore" if diff.get("deleted") == [1, 0] else "update"
            self._audit(table, row_id, action, diff)
        return diff

    def apply_remote_new(self, table: str, columns: list[str], rows: list[tuple]) -> int:
        """Insert many rows that arrived from another registry, each ``(id, *values, created_hlc, field_hlc, hlc)``
        (field_hlc as JSON text, hlc the newest of the row's stamps), keeping their ids and versions. Index triggers
        are suspended and filled set-based as in :meth:`bulk_insert`; one audit row per inserted row."""
        self._check_fields(table, dict.fromkeys(columns))
        first = self.conn.execute(f"SELECT coalesce(max(seq), 0) FROM {table}").fetchone()[0]
        triggers = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN "
            f"({','.join('?' * len(BULK_INDEX_FILL))})", (table, *BULK_INDEX_FILL)).fetchall() if len(rows) > 50 \
            else []
        for name, _sql in triggers:
            self.conn.execute(f"DROP TRIGGER {name}")

        self.conn.executemany(
            f"INSERT INTO {table} (id, {''.join(c + ', ' for c in columns)}created_hlc, field_hlc, hlc) "
            f"VALUES ({','.join('?' * (len(columns) + 4))})", rows)
        for name, sql in triggers:
            self.conn.execute(BULK_INDEX_FILL[name], (first,))
            self.conn.execute(sql)
        stamp, at, actor, device = self.stamp, self.at, self.actor, self.device
        self.conn.executemany(
            "INSERT INTO audit (id, hlc, at, actor, device, tbl, row_id, action, changes) VALUES (?,?,?,?,?,?,?,?,?)",
            ((audit_id, stamp, at, actor, device, table, row[0], "insert", None)
             for audit_id, row in zip(uuid7_batch(len(rows)), rows)))
        self.changed.rows.setdefault(table, set()).add("*")
        return len(rows)

    def audit_local(self, table: str, row_id: str, action: str, changes: dict[str, list[Any]] | None) -> None:
        """Audit a change to a local bookkeeping table (devices, exchanges, conflicts) written with execute()."""
        self._audit(table, row_id, action, changes)


# Insert triggers that bulk_insert suspends, and the set-based statement that does their work for new rows
# (rows whose seq is above the given value).
BULK_INDEX_FILL = {
    "assets_fts_ai": "INSERT INTO assets_fts (rowid, name, code, address) "
                     "SELECT seq, name, code, address FROM assets WHERE seq > ?",
    "assets_chars_ai": "INSERT INTO assets_chars (rowid, name, code, address) SELECT seq, nibi_chars(name), "
                       "nibi_chars(code), nibi_chars(address) FROM assets WHERE seq > ?",
    "assets_rtree_ai": "INSERT INTO assets_rtree SELECT seq, lon, lon, lat, lat, id, lon, lat, type, status, deleted "
                       "FROM assets "
                       "WHERE seq > ? AND lon IS NOT NULL AND lat IS NOT NULL",
    # The map's aggregate pyramid (db/migrations/0003_map_grid.sql): the finest level grouped from the new rows,
    # each coarser level from the one below (cells nest: a right shift), merged into the existing cells.
    "asset_grid_ai": "WITH f17 AS MATERIALIZED (SELECT CAST((lon + 180.0) * 524288.0 / 360.0 AS INTEGER) AS cx, "
                     "CAST((lat + 90.0) * 524288.0 / 360.0 AS INTEGER) AS cy, type, count(*) AS n, "
                     "sum(status = 'faulty') AS n_faulty, sum(lon) AS sum_lon, sum(lat) AS sum_lat FROM assets "
                     "WHERE seq > ? AND deleted = 0 AND lon IS NOT NULL AND lat IS NOT NULL GROUP BY 1, 2, 3), "
                     + ", ".join(f"f{z} AS MATERIALIZED (SELECT cx >> 1 AS cx, cy >> 1 AS cy, type, sum(n) AS n, "
                                 f"sum(n_faulty) AS n_faulty, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat "
                                 f"FROM f{z + 1} GROUP BY 1, 2, 3)" for z in range(16, -1, -1))
                     + " INSERT INTO asset_grid (z, cx, cy, type, n, n_faulty, sum_lon, sum_lat) SELECT * FROM ("
                     + " UNION ALL ".join(f"SELECT {z}, * FROM f{z}" for z in range(17, -1, -1))
                     + ") WHERE true ON CONFLICT (z, cx, cy, type) DO UPDATE SET n = n + excluded.n, "
                     "n_faulty = n_faulty + excluded.n_faulty, sum_lon = sum_lon + excluded.sum_lon, "
                     "sum_lat = sum_lat + excluded.sum_lat",
}


class Writer:
    """Runs write functions one at a time on its own thread with its own connection (BEGIN IMMEDIATE ... COMMIT).

    ``run(fn, *args)`` calls ``fn(txn, *args)`` and returns its result or raises its exception after a rollback.
    Listeners get a ``Changed`` after each commit (on the writer thread; the GUI re-posts to the main thread).
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], clock: HybridClock,
                 actor: Callable[[], str | None] = lambda: None):
        self._connect = connect
        self._clock = clock
        self._actor = actor
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nibi-writer")
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self.listeners: list[Callable[[Changed], None]] = []
        self._closed = False

    @property
    def device(self) -> str:
        return self._clock.device

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        return self._executor.submit(self._transaction, fn, args, kwargs)

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self.submit(fn, *args, **kwargs).result()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            conn.execute("PRAGMA synchronous = FULL")  # the writer's commits survive power loss
            conn.execute("PRAGMA cache_size = -65536")  # 64 MB: index builds of large imports stay in memory
            self._conns.append(conn)
        return conn

    def _transaction(self, fn, args, kwargs):
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            txn = WriteTxn(conn, self._clock.now(), self._actor(), self._clock.device)
            result = fn(txn, *args, **kwargs)
            conn.execute("INSERT OR REPLACE INTO registry_meta (key, value) VALUES ('hlc', ?)", (self._clock.last,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        for listener in list(self.listeners):
            try:
                listener(txn.changed)
            except Exception:  # a broken view must not turn a committed write into a reported failure
                log.exception("change listener failed")
        return result

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True

        def close_conn():
            conn = getattr(self._local, "conn", None)
            if conn is not None:
                conn.close()
                self._local.conn = None

        self._executor.submit(close_conn).result()
        self._executor.shutdown(wait=True)
