"""Inspection plans and their tasks: which assets, which cycle, who; task generation, progress, the "today" list.

A plan stores how its assets are chosen (``selection``: types, township, status, operator and/or explicit ids)
and resolves it each time tasks are generated, so assets added later join the plan. Without a status in the
selection, only assets in service or faulty are inspected. :func:`generate_tasks` creates the tasks of the current
period and the next one (see :mod:`.periods`) and is idempotent: a (plan, asset, period) task is made once.
Only office users plan; everyone reads.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Mapping

from nibi_desk.errors import NotFound, ValidationError, Where
from nibi_desk.i18n import N_
from nibi_desk.inspection import periods
from nibi_desk.inspection.users import OFFICE, require, run_as
from nibi_desk.storage.assets import Filters
from nibi_desk.storage.writer import WriteTxn

if TYPE_CHECKING:
    from nibi_desk.context import Context

SELECTION_KEYS = ("types", "township", "status", "operator", "ids")
DEFAULT_STATUSES = ("in_service", "faulty")
PLAN_STATUSES = ("active", "paused", "finished")


def _date(value: str | date | None, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError("{value} is not a date (YYYY-MM-DD)", where=Where(field=field), value=value) from None


def _selection(selection: Mapping[str, Any]) -> dict:
    unknown = set(selection) - set(SELECTION_KEYS)
    if unknown:
        raise ValidationError("Unknown field {fields}", where=Where(field="selection"),
                              fields=", ".join(sorted(unknown)))
    out = {k: v for k, v in selection.items() if v not in (None, "", [], ())}
    for key in ("types", "status", "ids"):
        if key in out:
            out[key] = [out[key]] if isinstance(out[key], str) else list(out[key])
    if not out:
        raise ValidationError("Choose the plan's assets: by type, township, status, operator or a list",
                              where=Where(field="selection"))
    return out


def selected_assets(conn: sqlite3.Connection, selection: Mapping[str, Any]) -> list[str]:
    """Ids of the live assets a selection names, in registry order."""
    filters = Filters(types=tuple(selection.get("types") or ()) or None, township=selection.get("township"),
                      status=tuple(selection.get("status") or DEFAULT_STATUSES), operator=selection.get("operator"))
    where, params = filters.where()
    ids = selection.get("ids")
    if ids:
        where += f" AND a.id IN ({','.join('?' * len(ids))})"
        params = [*params, *ids]
    return [r[0] for r in conn.execute(f"SELECT a.id FROM assets a WHERE {where} ORDER BY a.seq", params)]


# -- commands ------------------------------------------------------------------------------------------------------
def create_plan(ctx: Context, name: str, cycle: str, start_date: str | date, selection: Mapping[str, Any],
                inspector: str | None = None, end_date: str | date | None = None, notes: str | None = None) -> str:
    """Create a plan (office only); tasks come from :func:`generate_tasks`."""
    require(ctx, OFFICE, action=N_("plan inspections"))
    periods.period_of(cycle, date.today())  # checks the cycle
    start, end = _date(start_date, "start_date"), _date(end_date, "end_date")
    if start is None:
        raise ValidationError("A plan needs a start date", where=Where(field="start_date"))
    if end is not None and end < start:
        raise ValidationError("The plan ends before it starts", where=Where(field="end_date"))
    if not (name or "").strip():
        raise ValidationError("A plan needs a name", where=Where(field="name"))
    chosen = _selection(selection)

    def write(txn: WriteTxn) -> str:
        if inspector is not None and txn.get("users", inspector)["role"] == "supervisor":
            raise ValidationError("Tasks go to inspectors or office users, not supervisors",
                                  where=Where(field="inspector"))
        return txn.insert("plans", {"name": name.strip(), "cycle": cycle, "start_date": start.isoformat(),
                                    "end_date": end.isoformat() if end else None, "inspector": inspector,
                                    "selection": json.dumps(chosen, ensure_ascii=False, sort_keys=True),
                                    "notes": notes})

    return run_as(ctx, write)


def generate_tasks(ctx: Context, plan_id: str, today: date | None = None, ahead: int = 1) -> dict:
    """Create the missing tasks of the current and the next ``ahead`` periods; returns {created, periods}."""
    require(ctx, OFFICE, action=N_("plan inspections"))
    today = today or date.today()

    def write(txn: WriteTxn) -> dict:
        plan = txn.get("plans", plan_id)
        if plan["deleted"] or plan["status"] != "active":
            return {"created": 0, "periods": []}
        start, end = date.fromisoformat(plan["start_date"]), _date(plan["end_date"], "end_date")
        chosen = selected_assets(txn.conn, json.loads(plan["selection"]))
        rows, labels = [], []
        for period in periods.upcoming(plan["cycle"], start, end, today, ahead):
            labels.append(period.label)
            have = {r[0] for r in txn.execute("SELECT asset FROM tasks WHERE plan = ? AND period = ?",
                                              (plan_id, period.label))}
            due = period.due(end).isoformat()
            rows += [(plan_id, asset, plan["inspector"], period.label, due, "open")
                     for asset in chosen if asset not in have]
        if rows:
            txn.bulk_insert("tasks", ["plan", "asset", "inspector", "period", "due_date", "status"], rows)
        return {"created": len(rows), "periods": labels}

    return run_as(ctx, write)


def generate_all(ctx: Context, today: date | None = None) -> int:
    """Generate tasks for every active plan (e.g. when an office user opens the registry); returns tasks made."""
    require(ctx, OFFICE, action=N_("plan inspections"))
    ids = [r[0] for r in ctx.registry.read().execute("SELECT id FROM plans WHERE status = 'active' AND deleted = 0")]
    return sum(generate_tasks(ctx, plan_id, today)["created"] for plan_id in ids)


def edit_plan(ctx: Context, plan_id: str, **changes: Any) -> dict:
    """Change name, inspector, end_date, status or notes (office only); a new inspector takes the open tasks."""
    require(ctx, OFFICE, action=N_("plan inspections"))
    unknown = set(changes) - {"name", "inspector", "end_date", "status", "notes"}
    if unknown:
        raise ValidationError("Unknown field {fields}", where=Where(field=", ".join(sorted(unknown))),
                              fields=", ".join(sorted(unknown)))
    if changes.get("status", "active") not in PLAN_STATUSES:
        raise ValidationError("Unknown plan status {status}", where=Where(field="status"), status=changes["status"])
    if "end_date" in changes:
        end = _date(changes["end_date"], "end_date")
        changes["end_date"] = end.isoformat() if end else None

    def write(txn: WriteTxn) -> dict:
        txn.get("plans", plan_id)
        diff = txn.update("plans", plan_id, changes)
        if "inspector" in diff:
            for (task_id,) in txn.execute("SELECT id FROM tasks WHERE plan = ? AND status = 'open' AND deleted = 0",
                                          (plan_id,)).fetchall():
                txn.update("tasks", task_id, {"inspector": changes["inspector"]})
        return diff

    return run_as(ctx, write)


def edit_task(ctx: Context, task_id: str, **changes: Any) -> dict:
    """Reassign (``inspector``), move (``due_date``) or skip (``status="skipped"``) an open task (office only)."""
    require(ctx, OFFICE, action=N_("plan inspections"))
    unknown = set(changes) - {"inspector", "due_date", "status"}
    if unknown or changes.get("status", "skipped") not in ("skipped", "open"):
        raise ValidationError("Unknown field {fields}", where=Where(field="task"),
                              fields=", ".join(sorted(unknown)) or "status")
    if "due_date" in changes:
        changes["due_date"] = _date(changes["due_date"], "due_date").isoformat()

    def write(txn: WriteTxn) -> dict:
        if txn.get("tasks", task_id)["status"] == "done":
            raise ValidationError("Task {id} is done and stays as it is", where=Where(record=task_id), id=task_id)
        return txn.update("tasks", task_id, changes)

    return run_as(ctx, write)


# -- reading -------------------------------------------------------------------------------------------------------
def get_plan(conn: sqlite3.Connection, plan_id: str) -> dict:
    row = conn.execute("SELECT * FROM plans WHERE id = ?", (plan_id,)).fetchone()
    if row is None:
        raise NotFound("No plan {id}", id=plan_id)
    return {**dict(row), "selection": json.loads(row["selection"])}


def list_plans(conn: sqlite3.Connection, include_finished: bool = False) -> list[dict]:
    sql = ("SELECT p.id, p.name, p.cycle, p.start_date, p.end_date, p.inspector, p.status, u.display_name AS "
           "inspector_name FROM plans p LEFT JOIN users u ON u.id = p.inspector WHERE p.deleted = 0")
    if not include_finished:
        sql += " AND p.status != 'finished'"
    return [dict(r) for r in conn.execute(sql + " ORDER BY p.start_date DESC, p.seq")]


def progress(conn: sqlite3.Connection, plan_id: str, today: date | None = None) -> dict:
    """Tasks per period: total, done, skipped, open, overdue (open past due) and the done share of the rest."""
    today_text = (today or date.today()).isoformat()
    rows = conn.execute(
        "SELECT period, min(due_date), count(*), sum(status = 'done'), sum(status = 'skipped'), sum(status = 'open'), "
        "sum(status = 'open' AND due_date < ?) FROM tasks WHERE plan = ? AND deleted = 0 GROUP BY period "
        "ORDER BY min(due_date)", (today_text, plan_id)).fetchall()
    out = [{"period": r[0], "due_date": r[1], "total": r[2], "done": r[3], "skipped": r[4], "open": r[5],
            "overdue": r[6], "rate": round(r[3] / (r[2] - r[4]), 3) if r[2] - r[4] else None} for r in rows]
    totals = {k: sum(p[k] for p in out) for k in ("total", "done", "skipped", "open", "overdue")}
    base = totals["total"] - totals["skipped"]
    return {"plan": get_plan(conn, plan_id), "periods": out, **totals,
            "rate": round(totals["done"] / base, 3) if base else None}


def today_list(conn: sqlite3.Connection, inspector: str, today: date | None = None,
               horizon_days: int = 7) -> list[dict]:
    """An inspector's open tasks that are due: ``overdue``, due ``today``, due ``this_week`` (within horizon), or
    ``later`` in a period that has begun; most urgent first, with the asset's name, code, type and position."""
    today = today or date.today()
    out = []
    for r in conn.execute(
            "SELECT t.id, t.plan, t.asset, t.period, t.due_date, p.name AS plan_name, a.name AS asset_name, "
            "a.code AS asset_code, a.type AS asset_type, a.lon, a.lat, a.address FROM tasks t "
            "JOIN assets a ON a.id = t.asset JOIN plans p ON p.id = t.plan WHERE t.inspector = ? AND t.status = 'open' "
            "AND t.deleted = 0 AND a.deleted = 0 AND p.status = 'active' ORDER BY t.due_date, a.seq", (inspector,)):
        due = date.fromisoformat(r["due_date"])
        if due < today:
            bucket = "overdue"
        elif due == today:
            bucket = "today"
        elif due <= today + timedelta(days=horizon_days - 1):
            bucket = "this_week"
        elif periods.start_of(r["period"]) <= today:
            bucket = "later"
        else:
            continue
        out.append({**dict(r), "bucket": bucket})
    return out
