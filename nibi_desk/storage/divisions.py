"""Divisions in a registry: import (all or nothing), hierarchy queries, and membership of the registry's county."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from nibi_desk.domain.divisions import Division, normalize_code, parse_file
from nibi_desk.errors import ImportFailed, ValidationError, Where
from nibi_desk.storage.writer import WriteTxn


@dataclass
class ImportReport:
    added: int
    updated: int
    unchanged: int
    skipped_other_counties: int


def write_divisions(txn: WriteTxn, divisions: list[Division], county: str, source: str) -> ImportReport:
    """Upsert divisions of ``county`` (parents first); rows of other counties are skipped and counted."""
    mine = [d for d in divisions if d.county == county]
    if not mine:
        raise ImportFailed("The file has no divisions of county {county}", where=Where(file=source), county=county)
    existing = {r[0]: tuple(r[1:]) for r in txn.execute(
        "SELECT code, level, name, parent, county, township_type FROM divisions WHERE county = ?", (county,))}
    codes = set(existing) | {d.code for d in mine}
    added = updated = unchanged = 0
    order = {"county": 0, "township": 1, "village": 2}
    for d in sorted(mine, key=lambda d: (order[d.level], d.code)):
        if d.parent is not None and d.parent not in codes:
            raise ImportFailed("Township {code} of {file} is not in the registry or the file",
                               where=Where(file=source, record=d.code), code=d.parent, file=source)
        values = (d.level, d.name, d.parent, d.county, d.township_type)
        if d.code not in existing:
            added += 1
        elif existing[d.code] != values:
            updated += 1
        else:
            unchanged += 1
            continue
        txn.execute("INSERT INTO divisions (code, level, name, parent, county, township_type) VALUES (?,?,?,?,?,?) "
                    "ON CONFLICT(code) DO UPDATE SET level=excluded.level, name=excluded.name, "
                    "parent=excluded.parent, county=excluded.county, township_type=excluded.township_type",
                    (d.code, *values))
    return ImportReport(added, updated, unchanged, len(divisions) - len(mine))


def import_file(registry, path: Path | str) -> ImportReport:
    """Parse and import a division CSV in one transaction: any bad row means nothing is written."""
    path = Path(path)
    divisions = parse_file(path)
    return registry.writer.run(write_divisions, divisions, registry.county, path.name)


def get(conn: sqlite3.Connection, code: str) -> dict | None:
    row = conn.execute("SELECT * FROM divisions WHERE code = ?", (normalize_code(code),)).fetchone()
    return dict(row) if row else None


def children(conn: sqlite3.Connection, parent: str | None, county: str) -> list[dict]:
    if parent is None:
        rows = conn.execute("SELECT * FROM divisions WHERE level = 'county' AND county = ?", (county,))
    else:
        rows = conn.execute("SELECT * FROM divisions WHERE parent = ? ORDER BY code", (normalize_code(parent),))
    return [dict(r) for r in rows]


def townships(conn: sqlite3.Connection, county: str) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT * FROM divisions WHERE level = 'township' AND county = ? ORDER BY code", (county,))]


def ancestors(conn: sqlite3.Connection, code: str) -> list[dict]:
    """The division and its parents, county last."""
    chain, current = [], normalize_code(code)
    while current:
        row = conn.execute("SELECT * FROM divisions WHERE code = ?", (current,)).fetchone()
        if row is None:
            break
        chain.append(dict(row))
        current = row["parent"]
    return chain


def check_in_county(conn: sqlite3.Connection, code: str, county: str, field: str = "division") -> str:
    """Return the 12-digit code if it exists in the registry and lies in ``county``; raise otherwise."""
    where = Where(field=field)
    code12 = normalize_code(code, where)
    if code12[:6] != county:
        raise ValidationError("Division {code} belongs to county {other}, not to this registry's county {county}",
                              where=where, code=code12, other=code12[:6], county=county)
    if conn.execute("SELECT 1 FROM divisions WHERE code = ?", (code12,)).fetchone() is None:
        raise ValidationError("Division {code} does not exist in this registry", where=where, code=code12)
    return code12


def resolve_name(conn: sqlite3.Connection, name: str, county: str) -> str | None:
    """Township or village code from its name (ledgers often give 孟楼镇 instead of a code)."""
    row = conn.execute("SELECT code FROM divisions WHERE county = ? AND name = ? ORDER BY level LIMIT 1",
                       (county, name.strip())).fetchone()
    return row[0] if row else None
