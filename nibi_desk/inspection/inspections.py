"""Inspection commands: start a draft, save answers as they come, photos, position, signature, submit, correct.

Each change is one writer transaction, committed with synchronous=FULL, so a draft survives a crash or a power cut
with everything up to the last saved answer; :func:`drafts` lists what can be continued. Only the inspector who
started a draft changes it. A submitted inspection never changes (the core refuses, and a trigger backs it up); an
office user corrects it with a new linked record (``corrects``).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Mapping

from nibi_desk.domain.coords import haversine_m
from nibi_desk.errors import NotFound, PermissionDenied, TransitionRefused, ValidationError, Where
from nibi_desk.i18n import N_, _
from nibi_desk.inspection import evidence, periods
from nibi_desk.inspection import templates as template_rows
from nibi_desk.inspection.form import Evaluation, Form
from nibi_desk.inspection.users import INSPECTOR, OFFICE, require, run_as
from nibi_desk.storage.writer import WriteTxn

if TYPE_CHECKING:
    from nibi_desk.context import Context

DEFAULT_PROXIMITY_M = 100.0
SOURCES = ("exif", "typed", "map")
FIELD_ROLES = (INSPECTOR, OFFICE)
TOO_FAR, POSITION_UNKNOWN, ASSET_UNLOCATED = "too_far", "position_unknown", "asset_unlocated"
PROXIMITY_FLAGS = {
    TOO_FAR: N_("The inspector stood {distance_m} m from the asset (more than {limit_m} m)"),
    POSITION_UNKNOWN: N_("Where the inspector stood is not known"),
    ASSET_UNLOCATED: N_("The asset has no coordinates, so the distance cannot be measured"),
}


def now_local() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def flag_message(flag: Mapping) -> str:
    """A stored flag (``{code, template, params, value}``) in the current language."""
    return _(flag["template"]).format(**flag.get("params", {}))


# -- reading -------------------------------------------------------------------------------------------------------
def row_dict(row: sqlite3.Row | dict) -> dict:
    out = dict(row)
    for key, empty in (("answers", "{}"), ("flags", "[]")):
        if isinstance(out.get(key), str):
            out[key] = json.loads(out[key] or empty)
    return out


def get(conn: sqlite3.Connection, inspection_id: str) -> dict:
    row = conn.execute("SELECT * FROM inspections WHERE id = ?", (inspection_id,)).fetchone()
    if row is None:
        raise NotFound("No inspection {id}", id=inspection_id)
    return row_dict(row)


def form_of(conn: sqlite3.Connection, inspection: Mapping) -> Form:
    return template_rows.form_of(conn, inspection["template"])


def evaluate(conn: sqlite3.Connection, inspection_id: str) -> Evaluation:
    """The form's verdict on an inspection as stored (problems per item, score, result, blocked items)."""
    row = get(conn, inspection_id)
    return form_of(conn, row).evaluate(row["answers"], evidence.counts_by_item(conn, inspection_id),
                                       row["unreachable_reason"])


def drafts(conn: sqlite3.Connection, inspector: str | None = None, asset: str | None = None) -> list[dict]:
    """Unsubmitted inspections to continue (newest first), with asset and template names and the last save time."""
    sql = ("SELECT i.id, i.asset, i.task, i.template, i.inspector, i.inspector_name, i.started_at, i.corrects, i.hlc, "
           "a.name AS asset_name, a.code AS asset_code, a.type AS asset_type, t.name AS template_name "
           "FROM inspections i JOIN assets a ON a.id = i.asset JOIN templates t ON t.id = i.template "
           "WHERE i.status = 'draft' AND i.deleted = 0")
    params: list = []
    for column, value in (("i.inspector", inspector), ("i.asset", asset)):
        if value:
            sql += f" AND {column} = ?"
            params.append(value)
    out = []
    for r in conn.execute(sql + " ORDER BY i.hlc DESC", params):
        d = dict(r)
        d["saved_at"] = datetime.fromtimestamp(int(d.pop("hlc")[:13]) / 1000).astimezone().isoformat(
            timespec="seconds")
        out.append(d)
    return out


def of_asset(conn: sqlite3.Connection, asset_id: str) -> list[dict]:
    """Submitted inspections of an asset, newest first; ``corrected_by`` names a submitted correction."""
    return [row_dict(r) for r in conn.execute(
        "SELECT i.*, (SELECT c.id FROM inspections c WHERE c.corrects = i.id AND c.status = 'submitted' "
        "AND c.deleted = 0) AS corrected_by FROM inspections i WHERE i.asset = ? AND i.status = 'submitted' "
        "AND i.deleted = 0 ORDER BY i.submitted_at DESC", (asset_id,))]


def asset_summary(conn: sqlite3.Connection, asset_id: str, today: date | None = None) -> dict:
    """What an asset's detail view shows about inspections: the last submitted one, open and overdue defects,
    the next open task, and drafts in progress."""
    today_text = (today or date.today()).isoformat()
    last = conn.execute("SELECT id, submitted_at, inspector_name, score, result, flags FROM inspections "
                        "WHERE asset = ? AND status = 'submitted' AND deleted = 0 ORDER BY submitted_at DESC LIMIT 1",
                        (asset_id,)).fetchone()
    open_defects, overdue = conn.execute(
        "SELECT count(*), coalesce(sum(deadline < ?), 0) FROM defects WHERE asset = ? AND status != 'closed' "
        "AND deleted = 0", (today_text, asset_id)).fetchone()
    task = conn.execute("SELECT id, plan, period, due_date, inspector FROM tasks WHERE asset = ? AND status = 'open' "
                        "AND deleted = 0 ORDER BY due_date LIMIT 1", (asset_id,)).fetchone()
    drafts_ = conn.execute("SELECT count(*) FROM inspections WHERE asset = ? AND status = 'draft' AND deleted = 0",
                           (asset_id,)).fetchone()[0]
    return {"last_inspection": row_dict(last) if last else None, "open_defects": open_defects,
            "overdue_defects": overdue, "next_task": dict(task) if task else None,
            "task_overdue": bool(task and task["due_date"] < today_text), "drafts": drafts_}


# -- guards --------------------------------------------------------------------------------------------------------
def editable_draft(txn: WriteTxn, inspection_id: str, user_id: str) -> dict:
    row = txn.get("inspections", inspection_id)
    if row["deleted"]:
        raise NotFound("No inspection {id}", id=inspection_id)
    if row["status"] == "submitted":
        raise TransitionRefused("Inspection {id} is submitted and cannot change; an office user can record a "
                                "correction", where=Where(record=inspection_id), id=inspection_id)
    if row["inspector"] != user_id:
        raise PermissionDenied("Only {name}, who started this inspection, may change it",
                               where=Where(record=inspection_id), name=row["inspector_name"])
    return row_dict(row)


def _open_task(txn: WriteTxn, asset_id: str, user_id: str, today: date) -> str | None:
    """The asset's open task whose period has begun, the user's own first, the earliest due first."""
    for task_id, period in txn.execute("SELECT id, period FROM tasks WHERE asset = ? AND status = 'open' "
                                       "AND deleted = 0 ORDER BY inspector IS NOT ?, due_date",
                                       (asset_id, user_id)).fetchall():
        if periods.start_of(period) <= today:
            return task_id
    return None


# -- commands ------------------------------------------------------------------------------------------------------
def start(ctx: Context, asset_id: str, template_id: str | None = None, task_id: str | None = None,
          resume: bool = True, today: date | None = None) -> str:
    """Open a draft inspection of an asset (or return the user's draft of it when ``resume``).

    The template defaults to the active one for the asset's type; the task to the asset's open task whose period
    has begun, so that submitting completes it.
    """
    user = require(ctx, *FIELD_ROLES, action=N_("inspect assets"))
    today = today or date.today()

    def write(txn: WriteTxn) -> str:
        asset = txn.get("assets", asset_id)
        if asset["deleted"]:
            raise NotFound("No asset with id {id}", id=asset_id)
        if resume:
            row = txn.execute("SELECT id FROM inspections WHERE asset = ? AND inspector = ? AND status = 'draft' "
                              "AND deleted = 0 AND corrects IS NULL ORDER BY seq DESC", (asset_id, user.user_id)
                              ).fetchone()
            if row:
                return row[0]
        template = template_rows.get(txn.conn, template_id) if template_id else \
            template_rows.default_for(txn.conn, asset["type"])
        if template["asset_type"] != asset["type"]:
            raise ValidationError("Template {name} is for {template_type}, not {type}", where=Where(field="template"),
                                  name=template["name"], template_type=template["asset_type"], type=asset["type"])
        task = task_id
        if task is not None:
            if txn.get("tasks", task)["asset"] != asset_id:
                raise ValidationError("Task {task} is for another asset", where=Where(field="task"), task=task)
        else:
            task = _open_task(txn, asset_id, user.user_id, today)
        return txn.insert("inspections", {
            "asset": asset_id, "task": task, "template": template["id"], "inspector": user.user_id,
            "inspector_name": user.display_name, "started_at": now_local()})

    return run_as(ctx, write)


def _parsed(form: Form, key: str, answer: Any) -> dict | None:
    if isinstance(answer, Mapping):
        return form.answer(key, answer.get("value"), answer.get("note"), bool(answer.get("na")))
    return form.answer(key, answer)


def save_answers(ctx: Context, inspection_id: str, answers: Mapping[str, Any]) -> Evaluation:
    """Save answers (``{key: value}`` or ``{key: {"value", "note", "na"}}``; None clears) in one transaction and
    return the form's verdict on the whole draft."""
    user = require(ctx, *FIELD_ROLES, action=N_("inspect assets"))

    def write(txn: WriteTxn) -> Evaluation:
        row = editable_draft(txn, inspection_id, user.user_id)
        form = form_of(txn.conn, row)
        stored = dict(row["answers"])
        for key, answer in answers.items():
            parsed = _parsed(form, key, answer)
            if parsed is None:
                stored.pop(key, None)
            else:
                stored[key] = parsed
        txn.update("inspections", inspection_id, {"answers": json.dumps(stored, ensure_ascii=False, sort_keys=True)})
        return form.evaluate(stored, evidence.counts_by_item(txn.conn, inspection_id), row["unreachable_reason"])

    return run_as(ctx, write)


def save_answer(ctx: Context, inspection_id: str, key: str, value: Any = None, note: str | None = None,
                na: bool = False) -> Evaluation:
    """Save one item's answer (what the form calls on every change)."""
    return save_answers(ctx, inspection_id, {key: {"value": value, "note": note, "na": na}})


def update_draft(ctx: Context, inspection_id: str, **values: Any) -> Evaluation:
    """Change ``notes`` or ``unreachable_reason`` (a reason, even empty, marks the asset unreachable; None clears)."""
    user = require(ctx, *FIELD_ROLES, action=N_("inspect assets"))
    unknown = set(values) - {"notes", "unreachable_reason"}
    if unknown:
        raise ValidationError("Unknown field {fields}", where=Where(field=", ".join(sorted(unknown))),
                              fields=", ".join(sorted(unknown)))

    def write(txn: WriteTxn) -> Evaluation:
        row = editable_draft(txn, inspection_id, user.user_id)
        txn.update("inspections", inspection_id, values)
        row.update(values)
        return form_of(txn.conn, row).evaluate(row["answers"], evidence.counts_by_item(txn.conn, inspection_id),
                                               row["unreachable_reason"])

    return run_as(ctx, write)


def proximity(asset: Mapping, lon: float | None, lat: float | None, threshold_m: float) -> tuple[float | None, list]:
    """(distance in metres or None, proximity flags) for where the inspector stood."""
    if asset.get("lon") is None or asset.get("lat") is None:
        return None, [{"code": ASSET_UNLOCATED, "template": PROXIMITY_FLAGS[ASSET_UNLOCATED], "params": {}}]
    if lon is None or lat is None:
        return None, [{"code": POSITION_UNKNOWN, "template": PROXIMITY_FLAGS[POSITION_UNKNOWN], "params": {}}]
    distance = round(haversine_m(lon, lat, asset["lon"], asset["lat"]), 1)
    if distance <= threshold_m:
        return distance, []
    return distance, [{"code": TOO_FAR, "template": PROXIMITY_FLAGS[TOO_FAR], "value": distance,
                       "params": {"distance_m": f"{distance:.0f}", "limit_m": f"{threshold_m:g}"}}]


def proximity_values(txn: WriteTxn, row: dict, lon, lat, threshold_m: float) -> dict:
    distance, found = proximity(txn.get("assets", row["asset"]), lon, lat, threshold_m)
    flags = [f for f in row["flags"] if f.get("code") not in PROXIMITY_FLAGS] + found
    return {"distance_m": distance, "flags": json.dumps(flags, ensure_ascii=False)}


def set_position(ctx: Context, inspection_id: str, lon: float, lat: float, source: str = "typed",
                 threshold_m: float = DEFAULT_PROXIMITY_M) -> dict:
    """Record where the inspector stood (exif, typed or map); returns {distance_m, too_far, flags}."""
    user = require(ctx, *FIELD_ROLES, action=N_("inspect assets"))
    if source not in SOURCES:
        raise ValidationError("Unknown position source {source}", where=Where(field="stood_source"), source=source)
    lon, lat = float(lon), float(lat)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError("{lon}, {lat} is not a position on Earth", where=Where(field="lon"), lon=lon, lat=lat)

    def write(txn: WriteTxn) -> dict:
        row = editable_draft(txn, inspection_id, user.user_id)
        values = {"stood_lon": lon, "stood_lat": lat, "stood_source": source,
                  **proximity_values(txn, row, lon, lat, threshold_m)}
        txn.update("inspections", inspection_id, values)
        flags = json.loads(values["flags"])
        return {"distance_m": values["distance_m"], "too_far": any(f["code"] == TOO_FAR for f in flags),
                "flags": flags}

    return run_as(ctx, write)


def position_from_photo(ctx: Context, inspection_id: str, evidence_id: str,
                        threshold_m: float = DEFAULT_PROXIMITY_M) -> dict:
    """Take where the inspector stood from an attached photo's EXIF GPS."""
    row = ctx.registry.read().execute("SELECT p.lon, p.lat FROM evidence e JOIN photos p ON p.id = e.photo "
                                      "WHERE e.id = ? AND e.inspection = ?", (evidence_id, inspection_id)).fetchone()
    if row is None:
        raise NotFound("No photo {id} in this inspection", id=evidence_id)
    if row["lon"] is None or row["lat"] is None:
        raise ValidationError("The photo has no GPS position", where=Where(record=evidence_id))
    return set_position(ctx, inspection_id, row["lon"], row["lat"], "exif", threshold_m)
