"""Importing a ledger: a plan (every row new, update, unchanged, near-duplicate or error, with reasons), then apply."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nibi_desk.domain import asset_types, coords
from nibi_desk.domain.assets import check_asset
from nibi_desk.errors import ImportFailed, Problem, RecordInvalid, ValidationError, Where, field_title
from nibi_desk.i18n import N_, _
from nibi_desk.interop import errorbook, mapping as mapping_mod, readers
from nibi_desk.interop.progress import Steps, drive, on_writer, replace
from nibi_desk.interop.values import Cleaner
from nibi_desk.storage import backup, divisions, reference

OUTCOMES = ("new", "update", "unchanged", "duplicate", "error")
MODES = ("all-or-nothing", "valid-only")
INSERT_COLUMNS = ["type", "code", "name", "division", "address", "lon", "lat", "alt", "grid_code", "status", "owner",
                  "operator", "notes", "attrs"]
MERGED = ("name", "division", "address", "alt", "status", "owner", "operator", "notes")
CHUNK = 5000

E_TWICE = N_("Code {code} appears again in this file (first in row {row})")
E_NEAR = N_("Within {distance} m of the existing {name} ({code}); not imported as a possible duplicate")
F_NEAR = N_("within {distance} m of the existing {name} ({code})")
E_NO_TYPE = N_("Choose the asset type of the rows, or the column that gives it")


@dataclass
class Options:
    """What the wizard's pages or the command line chose."""

    sheet: str | None = None
    header_row: int | None = None        # 1-based; detected when None
    type_code: str | None = None         # every row is of this type
    type_column: str | None = None       # ... or this column gives it
    assignments: dict[str, str] = field(default_factory=dict)  # FIELD -> column (header, letter or number)
    constants: dict[str, Any] = field(default_factory=dict)    # FIELD -> value for every row
    crs: str = "WGS84"
    distance_m: float = 20.0             # near-duplicate radius; 0 turns the check off
    import_nearby: bool = False          # import near-duplicates anyway (a pole's cameras share a spot)


@dataclass
class RowOutcome:
    row: int                              # 1-based row of the sheet
    outcome: str
    code: str | None = None
    name: str | None = None
    problems: list[Problem] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    asset_id: str | None = None           # the matched (update) or nearby (duplicate) asset
    values: dict[str, Any] | None = None  # stored values: all of them for a new row, the changed ones for an update
    changes: dict[str, list[Any]] = field(default_factory=dict)

    def reasons(self) -> list[str]:
        return [f"{field_title(p.field)}: {p.message()}" if p.field else p.message() for p in self.problems]

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "outcome": self.outcome, "code": self.code, "name": self.name,
                "reasons": self.reasons(), "findings": [_(f) for f in self.findings], "asset": self.asset_id,
                "changes": self.changes}


@dataclass
class Plan:
    path: Path
    table: readers.Table
    mapping: mapping_mod.Mapping
    options: Options
    rows: list[RowOutcome]
    blank: int
    watermark: tuple

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for r in self.rows:
            counts[r.outcome] += 1
        return {**counts, "blank": self.blank}

    def as_json(self, rows: bool = True) -> dict[str, Any]:
        out = {"file": self.table.file, "sheet": self.table.sheet, "layout": self.table.layout,
               "encoding": self.table.encoding, "header_row": self.mapping.header_row,
               "mapping": self.mapping.describe(), "constants": self.mapping.constants,
               "type": self.mapping.type_code, "crs": self.options.crs, "counts": self.counts()}
        if rows:
            out["rows"] = [r.as_json() for r in self.rows]
        return out


def prepare(table: readers.Table, types, options: Options) -> mapping_mod.Mapping:
    """The mapping the options give: suggestions, then the chosen header row, columns, constants and type."""
    mapping = mapping_mod.suggest(table.rows, types, options.header_row, table.layout)
    mapping_mod.override(mapping, options.assignments, types)
    for name, value in options.constants.items():
        mapping.constants[mapping_mod.field_name(name, types)] = value
    if options.type_code:
        type_code = _type_code(options.type_code, types)
        mapping.type_code = type_code
        mapping.columns.pop("type", None)
    elif options.type_column:
        mapping_mod.override(mapping, {"type": options.type_column}, types)
    if mapping.type_code is None and "type" not in mapping.columns and "type" not in mapping.constants:
        raise ImportFailed(E_NO_TYPE, where=Where(file=table.file))
    return mapping


def _type_code(name: str, types) -> str:
    for code, t in types.items():
        if name.strip() in (code, t.name_zh, t.name_en):
            return code
    raise ImportFailed("Unknown asset type {type}; known types: {known}", where=Where(field="type"), type=name,
                       known=", ".join(types))


def plan(registry, path: Path | str, options: Options | None = None, progress=None) -> Plan:
    return drive(plan_steps(registry, path, options or Options()), progress)


def plan_steps(registry, path: Path | str, options: Options) -> Steps:
    """Read, clean and check every row against the registry; nothing is written. Yields progress, returns a Plan."""
    path = Path(path)
    yield 0, 0, _("Reading {file}").format(file=path.name)
    table = readers.read_table(path, options.sheet)
    conn, county = registry.read(), registry.county
    types = asset_types.load(conn)
    mapping = prepare(table, types, options)
    watermark = tuple(conn.execute("SELECT max(hlc), count(*) FROM assets").fetchone())
    extent = reference.read_extent(conn)
    cleaner = Cleaner(conn, county, types, extent)
    total = len(table.rows) - mapping.header_row
    cleaned, seen, blank = [], {}, 0
    for index in range(mapping.header_row, len(table.rows)):
        cells = table.rows[index]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            blank += 1
            continue
        row = cleaner.row(cells, mapping)
        outcome = RowOutcome(index + 1, "new", row.values.get("code"), row.values.get("name"),
                             list(row.problems), list(row.findings))
        key = (row.values.get("type"), row.values.get("code"))
        if key[1]:
            if key in seen:
                outcome.problems.append(Problem("code", E_TWICE, {"code": key[1], "row": seen[key]}))
            else:
                seen[key] = index + 1
        cleaned.append((outcome, row.values))
        if len(cleaned) % CHUNK == 0:
            yield index - mapping.header_row, total * 2, _("Reading rows")
    existing = _existing(conn, [k for k in seen])
    checked_cache: dict[str, Any] = {}

    def division_check(code: str) -> str:
        if code not in checked_cache:
            try:
                checked_cache[code] = divisions.check_in_county(conn, code, county)
            except ValidationError as e:
                checked_cache[code] = e
        result = checked_cache[code]
        if isinstance(result, Exception):
            raise result
        return result

    nearby = _Nearby(conn, options.distance_m)
    for i, (outcome, values) in enumerate(cleaned):
        _check_row(outcome, values, existing, types, county, extent, division_check, options, nearby)
        if i % CHUNK == 0:
            yield total + i, total * 2, _("Checking rows")
    yield total * 2, total * 2, _("Checked")
    return Plan(path, table, mapping, options, [o for o, _v in cleaned], blank, watermark)


def _existing(conn, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    found: dict[tuple[str, str], dict] = {}
    codes = sorted({code for _t, code in keys})
    for i in range(0, len(codes), 500):
        chunk = codes[i:i + 500]
        for row in conn.execute(f"SELECT * FROM assets WHERE deleted = 0 AND code IN ({','.join('?' * len(chunk))}) "
                                "ORDER BY seq", chunk):
            found.setdefault((row["type"], row["code"]), dict(row))
    return found


def _check_row(outcome, values, existing, types, county, extent, division_check, options, nearby) -> None:
    current = existing.get((values.get("type"), values.get("code"))) if values.get("code") else None
    given = dict(values)
    location_given = "lon" in given or "lat" in given
    if current is not None:
        # A blank cell keeps what the registry has: re-importing a ledger never wipes a field by leaving it empty.
        for name in MERGED:
            if given.get(name) is None:
                given[name] = current[name]
        if given.get("lon") is None or given.get("lat") is None:
            given["lon"], given["lat"] = current["lon"], current["lat"]
            location_given = False
        given["attrs"] = {**json.loads(current["attrs"]), **(values.get("attrs") or {})}
    try:
        checked = check_asset(given, types=types, county=county, extent=extent, division_check=division_check,
                              crs=options.crs if location_given else "WGS84")
    except RecordInvalid as e:
        outcome.problems.extend(e.problems)
        checked = None
    if outcome.problems or checked is None:
        outcome.outcome = "error"
        return
    outcome.findings.extend(checked.findings)
    outcome.code, outcome.name = checked.values.get("code"), checked.values.get("name")
    stored = dict(checked.values)
    stored["attrs"] = json.dumps(stored.get("attrs") or {}, ensure_ascii=False, sort_keys=True)
    if current is not None:
        outcome.asset_id = current["id"]
        changes = {k: [current[k], v] for k, v in stored.items() if k != "type" and _differs(current[k], v, k)}
        outcome.outcome = "update" if changes else "unchanged"
        outcome.values = {k: v[1] for k, v in changes.items()}
        outcome.changes = changes
        return
    outcome.values = stored
    near = nearby.find(stored["type"], stored.get("lon"), stored.get("lat"))
    if near is not None:
        params = {"distance": f"{near[0]:.1f}", "name": near[1]["name"], "code": near[1]["code"] or "—"}
        outcome.asset_id = near[1]["id"]
        if options.import_nearby:
            outcome.findings.append(_(F_NEAR).format(**params))
        else:
            outcome.outcome = "duplicate"
            outcome.problems.append(Problem("", E_NEAR, params))


def _differs(before: Any, after: Any, name: str) -> bool:
    if name == "attrs":
        return json.loads(before or "{}") != json.loads(after or "{}")
    return before != after


class _Nearby:
    """Existing assets of the same type within a radius: R*Tree box, then haversine."""

    def __init__(self, conn, distance_m: float):
        self.conn, self.distance = conn, distance_m
        self._has: dict[str, bool] = {}

    def find(self, type_code: str, lon: float | None, lat: float | None):
        if self.distance <= 0 or lon is None or lat is None:
            return None
        if type_code not in self._has:
            self._has[type_code] = self.conn.execute(
                "SELECT 1 FROM assets WHERE type = ? AND deleted = 0 AND lon IS NOT NULL LIMIT 1",
                (type_code,)).fetchone() is not None
        if not self._has[type_code]:
            return None
        dlat = self.distance / 111_000 * 1.01
        dlon = dlat / max(0.01, math.cos(math.radians(lat)))
        best = None
        for row in self.conn.execute(
                "SELECT a.id, a.code, a.name, a.lon, a.lat FROM assets_rtree r JOIN assets a ON a.seq = r.seq "
                "WHERE r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? AND r.max_lat >= ? "
                "AND a.type = ? AND a.deleted = 0", (lon + dlon, lon - dlon, lat + dlat, lat - dlat, type_code)):
            d = coords.haversine_m(lon, lat, row["lon"], row["lat"])
            if d <= self.distance and (best is None or d < best[0]):
                best = (d, dict(row))
        return best


# -- apply ----------------------------------------------------------------------------------------------------------
@dataclass
class Result:
    inserted: int
    updated: int
    unchanged: int
    refused: int
    errors_file: str | None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def apply(registry, plan_: Plan, mode: str = "all-or-nothing", errors_path: Path | str | None = None,
          progress=None) -> Result:
    return drive(apply_steps(registry, plan_, mode, errors_path), progress)


def apply_steps(registry, plan_: Plan, mode: str = "all-or-nothing", errors_path: Path | str | None = None) -> Steps:
    """Write the plan in one writer transaction. ``all-or-nothing`` writes nothing if any row has an error;
    ``valid-only`` writes the good rows and puts the others, with reasons, in the error workbook."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    counts = plan_.counts()
    refused = [r for r in plan_.rows if r.outcome in ("error", "duplicate")]
    if mode == "all-or-nothing" and counts["error"]:
        if errors_path:
            write_errors(plan_, errors_path)
        raise ImportFailed("{n} rows have errors; nothing was imported", where=Where(file=plan_.table.file),
                           n=counts["error"])
    tmp = write_errors(plan_, errors_path, final=False) if errors_path and refused else None
    new = [tuple(r.values.get(c) for c in INSERT_COLUMNS) for r in plan_.rows if r.outcome == "new"]
    updates = [(r.asset_id, r.values) for r in plan_.rows if r.outcome == "update"]
    if new or updates:
        backup.before_import(registry, "ledger")  # a rolling backup to go back to (storage/backup.py)
    try:
        yield from on_writer(registry, _write, plan_.watermark, new, updates)
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    if tmp is not None:
        replace(tmp, Path(errors_path))
    return Result(len(new), len(updates), counts["unchanged"], len(refused),
                  str(errors_path) if tmp is not None else None)


def _write(txn, reporter, watermark: tuple, new: list[tuple], updates: list[tuple[str, dict]]) -> None:
    now = tuple(txn.execute("SELECT max(hlc), count(*) FROM assets").fetchone())
    if now != tuple(watermark):
        raise ImportFailed("The registry changed after the preview; preview the ledger again")
    total = len(new) + len(updates)
    for i in range(0, len(new), CHUNK * 4):
        reporter.report(i, total, _("Writing new assets"))
        txn.bulk_insert("assets", INSERT_COLUMNS, new[i:i + CHUNK * 4])
    for i, (asset_id, values) in enumerate(updates):
        if i % 500 == 0:
            reporter.report(len(new) + i, total, _("Updating assets"))
        txn.update("assets", asset_id, values)
    reporter.report(total, total, _("Committing"))


def write_errors(plan_: Plan, path: Path | str, final: bool = True) -> Path:
    """The rows that were not imported, as they were in the file, with the reasons (see errorbook)."""
    table, mapping = plan_.table, plan_.mapping
    width = table.source_width or len(mapping.headers)
    headers = (mapping.headers + [mapping_mod.column_letter(i) for i in range(len(mapping.headers), width)])[:width]
    rows = ((r.row, table.original(r.row - 1), _("; ").join(r.reasons()))
            for r in plan_.rows if r.outcome in ("error", "duplicate"))
    code_col = mapping.columns.get("code")
    return errorbook.write(path, headers, rows, [code_col] if code_col is not None else [], final=final)
