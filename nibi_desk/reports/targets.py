"""KPI targets per division and period, and population per division and year: data the county office edits.

A target is looked up from the most specific row to the least: the township and the exact period, the township and
the period's year, the county and the period, the county and the year, and finally the built-in default
(:data:`DEFAULTS`, from the county plans: 完好率 ≥ 80 %, 视频在线率 ≥ 95 %, 赋码率 ≥ 60 %, coverage ≥ 95 %,
5G sites ≥ 20 per 10,000 people). Setting a target that exists updates it (a versioned field edit that travels
in bundles); readers take the newest live row, so duplicates made by two offices before a merge stay harmless.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nibi_desk.domain.divisions import normalize_code
from nibi_desk.errors import ValidationError, Where
from nibi_desk.i18n import N_, _
from nibi_desk.inspection.users import OFFICE, require, run_as
from nibi_desk.storage.divisions import check_in_county
from nibi_desk.storage.writer import WriteTxn

if TYPE_CHECKING:
    from nibi_desk.context import Context


@dataclass(frozen=True)
class Kpi:
    key: str
    title: str            # English source, translated when shown
    higher_is_better: bool
    rate: bool            # a fraction shown as a percentage
    default: float | None
    default_margin: float


KPIS = {k.key: k for k in (
    Kpi("coverage", N_("Inspection coverage"), True, True, 0.95, 0.05),
    Kpi("defect_rate", N_("Defect rate"), False, True, None, 0.05),
    Kpi("on_time_rate", N_("Rectified on time"), True, True, None, 0.05),
    Kpi("online_rate", N_("Camera online rate"), True, True, 0.95, 0.03),
    Kpi("intact_rate", N_("Intact rate"), True, True, 0.80, 0.05),
    Kpi("coding_rate", N_("BeiDou coding rate"), True, True, 0.60, 0.10),
    Kpi("sites_per_10k", N_("5G sites per 10,000 people"), True, False, 20.0, 2.0),
)}
DEFAULTS = {k: v.default for k, v in KPIS.items() if v.default is not None}
_PERIOD = re.compile(r"\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?")


@dataclass(frozen=True)
class Target:
    kpi: str
    target: float
    amber_margin: float
    division: str | None      # where the row came from (None: the built-in default)
    period: str | None

    def state(self, value: float | None) -> str | None:
        """green, amber or red for a measured value (None when there is no value)."""
        if value is None:
            return None
        better = KPIS[self.kpi].higher_is_better
        gap = (self.target - value) if better else (value - self.target)
        if gap <= 1e-9:
            return "green"
        return "amber" if gap <= self.amber_margin + 1e-9 else "red"


def kpi_title(key: str) -> str:
    return _(KPIS[key].title)


def check_kpi(kpi: str) -> Kpi:
    if kpi not in KPIS:
        raise ValidationError("Unknown KPI {kpi}; choose one of {choices}", where=Where(field="kpi"), kpi=kpi,
                              choices=", ".join(KPIS))
    return KPIS[kpi]


def check_period(period: str) -> str:
    period = str(period).strip().upper()
    if not _PERIOD.fullmatch(period):
        raise ValidationError("Period {period} must be a year (2026), half (2026-H2), quarter (2026-Q3) or month "
                              "(2026-05)", where=Where(field="period"), period=period)
    return period


def parse_value(kpi: str, text: str | float) -> float:
    """A target as typed: "80%", "80" or "0.8" for a rate; a number for sites per 10,000 people."""
    info = check_kpi(kpi)
    raw = str(text).strip().replace("％", "%")
    percent = raw.endswith("%")
    try:
        value = float(raw.rstrip("%").strip())
    except ValueError:
        raise ValidationError("{value} is not a number", where=Where(field="target"), value=text) from None
    if info.rate and (percent or value > 1):
        value /= 100
    if value < 0 or (info.rate and value > 1):
        raise ValidationError("Target {value} is out of range", where=Where(field="target"), value=text)
    return value


def format_value(kpi: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if KPIS[kpi].rate else f"{value:.1f}"


# -- commands ------------------------------------------------------------------------------------------------------
def set_target(ctx: Context, division: str, period: str, kpi: str, target: float | str,
               amber_margin: float | str | None = None, notes: str | None = None) -> str:
    """Set (or change) one target (office only); returns the row id."""
    require(ctx, OFFICE, action=N_("edit targets"))
    info = check_kpi(kpi)
    period = check_period(period)
    value = parse_value(kpi, target)
    margin = info.default_margin if amber_margin is None else parse_value(kpi, amber_margin) if info.rate \
        else float(amber_margin)

    def write(txn: WriteTxn) -> str:
        code = check_in_county(txn.conn, division, ctx.registry.county)
        row = txn.execute("SELECT id FROM targets WHERE division = ? AND period = ? AND kpi = ? AND deleted = 0 "
                          "ORDER BY hlc DESC LIMIT 1", (code, period, kpi)).fetchone()
        values = {"target": value, "amber_margin": margin, "notes": notes}
        if row:
            txn.update("targets", row[0], values)
            return row[0]
        return txn.insert("targets", {"division": code, "period": period, "kpi": kpi, **values})

    return run_as(ctx, write)


def remove_target(ctx: Context, division: str, period: str, kpi: str) -> bool:
    """Remove a target (office only): the next less specific one applies again."""
    require(ctx, OFFICE, action=N_("edit targets"))
    code, period = normalize_code(division), check_period(period)

    def write(txn: WriteTxn) -> bool:
        rows = txn.execute("SELECT id FROM targets WHERE division = ? AND period = ? AND kpi = ? AND deleted = 0",
                           (code, period, kpi)).fetchall()
        return any([txn.delete("targets", r[0]) for r in rows])

    return run_as(ctx, write)


def set_population(ctx: Context, division: str, year: int, population: int, source: str | None = None) -> str:
    """Set the population of a county or township for a year (office only)."""
    require(ctx, OFFICE, action=N_("edit targets"))
    try:
        year, population = int(year), int(population)
    except (TypeError, ValueError):
        raise ValidationError("Year and population must be whole numbers", where=Where(field="population")) from None
    if population <= 0 or not 1900 <= year <= 2200:
        raise ValidationError("Year and population must be whole numbers", where=Where(field="population"))

    def write(txn: WriteTxn) -> str:
        code = check_in_county(txn.conn, division, ctx.registry.county)
        row = txn.execute("SELECT id FROM division_population WHERE division = ? AND year = ? AND deleted = 0 "
                          "ORDER BY hlc DESC LIMIT 1", (code, year)).fetchone()
        if row:
            txn.update("division_population", row[0], {"population": population, "source": source})
            return row[0]
        return txn.insert("division_population", {"division": code, "year": year, "population": population,
                                                   "source": source})

    return run_as(ctx, write)


# -- reading -------------------------------------------------------------------------------------------------------
class TargetBook:
    """All live targets and populations of a registry, read once, answering lookups for a summary."""

    def __init__(self, conn: sqlite3.Connection, county: str):
        self.county = county + "000000"
        self.rows: dict[tuple[str, str, str], tuple[float, float]] = {}
        for r in conn.execute("SELECT division, period, kpi, target, amber_margin FROM targets WHERE deleted = 0 "
                              "ORDER BY hlc"):
            self.rows[(r[0], r[1], r[2])] = (r[3], r[4])  # newest last wins
        self.population: dict[tuple[str, int], int] = {}
        for r in conn.execute("SELECT division, year, population FROM division_population WHERE deleted = 0 "
                              "ORDER BY hlc"):
            self.population[(r[0], r[1])] = r[2]

    def target(self, kpi: str, division: str | None, period: str) -> Target | None:
        year = period[:4]
        places = [d for d in (division, self.county) if d]
        for place in places:
            for when in dict.fromkeys((period, year)):
                found = self.rows.get((place, when, kpi))
                if found:
                    return Target(kpi, found[0], found[1], place, when)
        info = KPIS[kpi]
        if info.default is None:
            return None
        return Target(kpi, info.default, info.default_margin, None, None)

    def population_of(self, division: str, year: int) -> tuple[int | None, int | None]:
        """(population, the year it is from): the given year, else the latest earlier one, else the earliest."""
        years = sorted(y for d, y in self.population if d == division)
        if not years:
            return None, None
        chosen = max((y for y in years if y <= year), default=years[0])
        return self.population[(division, chosen)], chosen


def list_targets(conn: sqlite3.Connection) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT t.id, t.division, d.name AS division_name, t.period, t.kpi, t.target, t.amber_margin, t.notes "
        "FROM targets t LEFT JOIN divisions d ON d.code = t.division WHERE t.deleted = 0 "
        "ORDER BY t.division, t.period, t.kpi")]


def list_population(conn: sqlite3.Connection) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT p.id, p.division, d.name AS division_name, p.year, p.population, p.source "
        "FROM division_population p LEFT JOIN divisions d ON d.code = p.division WHERE p.deleted = 0 "
        "ORDER BY p.division, p.year")]
