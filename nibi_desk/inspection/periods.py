"""Inspection cycles as calendar periods: labels (2026-W05, 2026-03, 2026-Q1, 2026-H1, 2026), bounds, due dates.

A task covers one period of its plan's cycle and is due on the period's last day (or the plan's end date if that
comes first). A ``once`` plan has one period labelled with its start date, due on the plan's end date or
``ONCE_DAYS`` after the start. Labels describe themselves, so a task's period can be read back without its plan.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from nibi_desk.errors import ValidationError, Where

CYCLES = ("once", "weekly", "monthly", "quarterly", "half_yearly", "yearly")
ONCE_DAYS = 30


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    def due(self, plan_end: date | None = None) -> date:
        return min(self.end, plan_end) if plan_end else self.end


def _check(cycle: str) -> None:
    if cycle not in CYCLES:
        raise ValidationError("Unknown cycle {cycle}; choose one of {choices}", where=Where(field="cycle"),
                              cycle=cycle, choices=", ".join(CYCLES))


def period_of(cycle: str, day: date, plan_start: date | None = None, plan_end: date | None = None) -> Period:
    """The period of ``cycle`` that contains ``day`` (for ``once``: the plan's single period)."""
    _check(cycle)
    if cycle == "once":
        start = plan_start or day
        return Period(start.isoformat(), start, plan_end or start + timedelta(days=ONCE_DAYS))
    if cycle == "weekly":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return Period(f"{year}-W{week:02d}", start, start + timedelta(days=6))
    if cycle == "yearly":
        return Period(str(day.year), date(day.year, 1, 1), date(day.year, 12, 31))
    months = {"monthly": 1, "quarterly": 3, "half_yearly": 6}[cycle]
    index = (day.month - 1) // months  # 0-based period of the year
    first = index * months + 1
    last = first + months - 1
    label = {"monthly": f"{day.year}-{first:02d}", "quarterly": f"{day.year}-Q{index + 1}",
             "half_yearly": f"{day.year}-H{index + 1}"}[cycle]
    return Period(label, date(day.year, first, 1), date(day.year, last, calendar.monthrange(day.year, last)[1]))


def next_period(cycle: str, period: Period) -> Period | None:
    """The period after ``period`` (None for ``once``)."""
    return None if cycle == "once" else period_of(cycle, period.end + timedelta(days=1))


def upcoming(cycle: str, plan_start: date, plan_end: date | None, today: date, ahead: int = 1) -> list[Period]:
    """The current period (or the first, before the plan starts) and ``ahead`` more, within the plan's dates."""
    if cycle == "once":
        return [period_of(cycle, plan_start, plan_start, plan_end)]
    periods = [period_of(cycle, max(today, plan_start))]
    for _ in range(ahead):
        periods.append(next_period(cycle, periods[-1]))
    return [p for p in periods if plan_end is None or p.start <= plan_end]


_LABELS = (
    (re.compile(r"(\d{4})-W(\d{2})"), lambda y, n: date.fromisocalendar(y, n, 1)),
    (re.compile(r"(\d{4})-Q([1-4])"), lambda y, n: date(y, 3 * n - 2, 1)),
    (re.compile(r"(\d{4})-H([12])"), lambda y, n: date(y, 6 * n - 5, 1)),
    (re.compile(r"(\d{4})-(\d{2})"), lambda y, n: date(y, n, 1)),
    (re.compile(r"(\d{4})"), lambda y, n: date(y, 1, 1)),
)


def start_of(label: str) -> date:
    """First day of the period a label names (a ``once`` label is its start date)."""
    try:
        return date.fromisoformat(label)
    except ValueError:
        pass
    for pattern, first_day in _LABELS:
        match = pattern.fullmatch(label)
        if match:
            groups = [int(g) for g in match.groups()]
            return first_day(groups[0], groups[1] if len(groups) > 1 else 1)
    raise ValueError(f"not a period label: {label!r}")
