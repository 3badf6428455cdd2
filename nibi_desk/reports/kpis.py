"""The period summary's numbers: per township and asset type, the county total, each KPI against its target.

Definitions (PRODUCT.md "KPIs the supervisors print"), for a period [start, end]:

* assets: live assets that are not decommissioned;
* due: assets with a task (not skipped) due within the period; inspected: due assets with a submitted inspection
  in the period; coverage = inspected / due;
* defect rate = submitted inspections in the period that found defects / submitted inspections that reached
  the asset;
* rectified on time = defects due (deadline) in the period that were closed on or before the deadline / defects
  due in the period;
* camera online rate = cameras in service whose last check by the period's end says online (the checklist's
  ``online`` answer, else the registry's ``online`` attribute) / cameras in service;
* intact rate = assets in service whose last inspection by the period's end found no defect and that have no
  defect open / assets in service (never inspected counts as not proven intact);
* BeiDou coding rate = assets whose grid code decodes / assets;
* 5G sites per 10,000 people = base stations in service × 10,000 / population (data the office enters).
"""

from __future__ import annotations

import calendar
import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from nibi_desk.errors import ValidationError, Where
from nibi_desk.reports.data import grid_ok
from nibi_desk.reports.targets import KPIS, TargetBook, check_period

IN_SERVICE = ("in_service", "faulty")
TYPES = ("base_station", "smart_pole", "camera")


def period_bounds(label: str) -> tuple[date, date]:
    """First and last day of a period label (2026, 2026-H2, 2026-Q3, 2026-05)."""
    label = check_period(label)
    year = int(label[:4])
    rest = label[5:]
    if not rest:
        return date(year, 1, 1), date(year, 12, 31)
    kind, number = (rest[0], int(rest[1:])) if rest[0] in "HQ" else ("M", int(rest))
    months = {"H": 6, "Q": 3, "M": 1}[kind]
    first = (number - 1) * months + 1
    last = first + months - 1
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


@dataclass
class Counts:
    """Raw counts of one (township, type) cell; rates are derived."""

    assets: int = 0
    in_service: int = 0
    due: int = 0
    inspected: int = 0
    inspections: int = 0
    with_defects: int = 0
    defects_due: int = 0
    closed_on_time: int = 0
    cameras: int = 0
    online: int = 0
    intact: int = 0
    coded: int = 0
    stations: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    def values(self) -> dict[str, float | None]:
        return {"coverage": self.ratio(self.inspected, self.due),
                "defect_rate": self.ratio(self.with_defects, self.inspections),
                "on_time_rate": self.ratio(self.closed_on_time, self.defects_due),
                "online_rate": self.ratio(self.online, self.cameras),
                "intact_rate": self.ratio(self.intact, self.in_service),
                "coding_rate": self.ratio(self.coded, self.assets)}


@dataclass
class Summary:
    period: str
    start: date
    end: date
    as_of: date
    townships: list[dict]                                   # code, name
    cells: dict[tuple[str, str], Counts]                    # (township code, type) -> counts
    by_township: dict[str, Counts]
    total: Counts
    population: dict[str, tuple[int | None, int | None]]    # township code (and county) -> (population, year)
    book: TargetBook
    overdue: list[dict] = field(default_factory=list)
    unreachable: list[dict] = field(default_factory=list)
    county_code: str = ""
    county_name: str = ""

    def value(self, counts: Counts, kpi: str, division: str) -> float | None:
        if kpi == "sites_per_10k":
            people = self.population.get(division, (None, None))[0]
            return counts.stations * 10000 / people if people else None
        return counts.values()[kpi]

    def judged(self, counts: Counts, kpi: str, division: str) -> tuple[float | None, object, str | None]:
        """(value, target or None, red/amber/green or None)."""
        value = self.value(counts, kpi, division)
        target = self.book.target(kpi, division, self.period)
        return value, target, target.state(value) if target else None


def _township_of(division: str | None, townships: set[str]) -> str | None:
    if not division:
        return None
    code = division[:9] + "000"
    return code if code in townships else None


def compute(conn: sqlite3.Connection, county: str, period: str, as_of: date | None = None,
            township: str | None = None) -> Summary:
    """Every number of the period summary, in a handful of grouped queries (fast on a county of 20,000 assets)."""
    start, end = period_bounds(period)
    as_of = as_of or date.today()
    cutoff = min(end, as_of).isoformat()
    first, last = start.isoformat(), end.isoformat()
    towns = [dict(r) for r in conn.execute("SELECT code, name FROM divisions WHERE level = 'township' AND county = ? "
                                           "ORDER BY code", (county,))]
    if township:
        prefix = str(township)[:9]
        towns = [t for t in towns if t["code"].startswith(prefix)]
        if not towns:
            raise ValidationError("No township {code} in this registry", where=Where(field="township"),
                                  code=township)
    codes = {t["code"] for t in towns}
    cells: dict[tuple[str, str], Counts] = defaultdict(Counts)

    def cell(division, type_) -> Counts | None:
        code = _township_of(division, codes)
        return cells[(code, type_)] if code else None

    # Assets: counts, in service, coding, base stations.
    for division, type_, status, grid_code in conn.execute(
            "SELECT division, type, status, grid_code FROM assets WHERE deleted = 0 AND status != 'decommissioned'"):
        c = cell(division, type_)
        if c is None:
            continue
        c.assets += 1
        c.coded += grid_ok(grid_code)
        if status in IN_SERVICE:
            c.in_service += 1
            c.stations += type_ == "base_station"
    # Due and inspected in the period.
    due = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT DISTINCT t.asset, a.division, a.type FROM tasks t JOIN assets a ON a.id = t.asset "
        "WHERE t.deleted = 0 AND t.status != 'skipped' AND t.due_date BETWEEN ? AND ? AND a.deleted = 0",
        (first, last))}
    inspected_assets = set()
    for asset, division, type_, result in conn.execute(
            "SELECT i.asset, a.division, a.type, i.result FROM inspections i JOIN assets a ON a.id = i.asset "
            "WHERE i.status = 'submitted' AND i.deleted = 0 AND substr(i.submitted_at, 1, 10) BETWEEN ? AND ? "
            "AND NOT EXISTS (SELECT 1 FROM inspections c WHERE c.corrects = i.id AND c.status = 'submitted' "
            "AND c.deleted = 0)", (first, last)):
        c = cell(division, type_)
        if c is None:
            continue
        inspected_assets.add(asset)
        if result != "unreachable":
            c.inspections += 1
            c.with_defects += result == "defects"
    for asset, (division, type_) in due.items():
        c = cell(division, type_)
        if c is not None:
            c.due += 1
            c.inspected += asset in inspected_assets
    # Rectifications due in the period and closed on time.
    for division, type_, deadline, status, closed_at in conn.execute(
            "SELECT a.division, a.type, d.deadline, d.status, d.closed_at FROM defects d JOIN assets a "
            "ON a.id = d.asset WHERE d.deleted = 0 AND d.deadline BETWEEN ? AND ?", (first, last)):
        c = cell(division, type_)
        if c is None:
            continue
        c.defects_due += 1
        c.closed_on_time += status == "closed" and bool(closed_at) and closed_at[:10] <= deadline
    # Last inspection by the cutoff per asset: result, open defects, camera online answer.
    last_of: dict[str, tuple[str, str]] = {}
    for asset, result, answers in conn.execute(
            "SELECT i.asset, i.result, i.answers FROM inspections i WHERE i.status = 'submitted' AND i.deleted = 0 "
            "AND substr(i.submitted_at, 1, 10) <= ? ORDER BY i.submitted_at", (cutoff,)):
        last_of[asset] = (result, answers)
    open_defects = {r[0] for r in conn.execute(
        "SELECT DISTINCT asset FROM defects WHERE deleted = 0 AND status != 'closed'")}
    for asset_id, division, type_, status, attrs in conn.execute(
            "SELECT id, division, type, status, attrs FROM assets WHERE deleted = 0 AND status IN (?, ?)",
            IN_SERVICE):
        c = cell(division, type_)
        if c is None:
            continue
        latest = last_of.get(asset_id)
        if latest and latest[0] == "normal" and asset_id not in open_defects:
            c.intact += 1
        if type_ == "camera":
            c.cameras += 1
            online = None
            if latest and latest[1]:
                answer = json.loads(latest[1]).get("online") or {}
                if answer.get("value") in ("online", "offline"):
                    online = answer["value"] == "online"
            if online is None:
                online = bool(json.loads(attrs or "{}").get("online"))
            c.online += online
    by_township: dict[str, Counts] = {t["code"]: Counts() for t in towns}
    total = Counts()
    for (code, _type), c in cells.items():
        by_township[code].add(c)
        total.add(c)
    book = TargetBook(conn, county)
    county_code = county + "000000"
    population = {code: book.population_of(code, start.year) for code in [*codes, county_code]}
    if township is None and population[county_code][0] is None:
        known = [population[c][0] for c in codes]
        if known and all(known):  # every township entered: the county is their sum
            population[county_code] = (sum(known), start.year)
    county_row = conn.execute("SELECT name FROM divisions WHERE code = ?", (county_code,)).fetchone()
    summary = Summary(period, start, end, as_of, towns, dict(cells), by_township, total, population, book,
                      county_code=county_code, county_name=county_row[0] if county_row else county)
    summary.overdue = overdue_rectifications(conn, codes, min(end, as_of))
    summary.unreachable = unreachable_assets(conn, codes, first, last)
    return summary


def overdue_rectifications(conn: sqlite3.Connection, townships: set[str], as_of: date) -> list[dict]:
    rows = conn.execute(
        "SELECT d.id, d.deadline, d.severity, d.status, d.description, d.responsible_unit, d.notice_no, a.code, "
        "a.name, a.type, a.division FROM defects d JOIN assets a ON a.id = d.asset WHERE d.deleted = 0 "
        "AND d.status != 'closed' AND d.deadline < ? ORDER BY d.deadline, d.seq", (as_of.isoformat(),))
    out = []
    for r in rows:
        if _township_of(r["division"], townships):
            d = dict(r)
            d["days"] = (as_of - date.fromisoformat(d["deadline"])).days
            out.append(d)
    return out


def unreachable_assets(conn: sqlite3.Connection, townships: set[str], first: str, last: str) -> list[dict]:
    rows = conn.execute(
        "SELECT i.id, i.submitted_at, i.inspector_name, i.unreachable_reason, a.code, a.name, a.type, a.division "
        "FROM inspections i JOIN assets a ON a.id = i.asset WHERE i.status = 'submitted' AND i.deleted = 0 "
        "AND i.result = 'unreachable' AND substr(i.submitted_at, 1, 10) BETWEEN ? AND ? ORDER BY i.submitted_at",
        (first, last))
    return [dict(r) for r in rows if _township_of(r["division"], townships)]


KPI_ORDER = [k for k in KPIS]
PERIOD_RE = re.compile(r"\d{4}")
