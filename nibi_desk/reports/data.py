"""The queries behind the printed documents: everything one inspection report, notice or tag prints, as plain
dicts (Qt-free, no reportlab), so the builders only lay out and tests can check the facts without a PDF."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Iterable, Iterator

from nibi_desk.domain import asset_types as asset_type_rows
from nibi_desk.domain import gb28181, grid
from nibi_desk.domain.assets import STATUSES
from nibi_desk.errors import NibiError, NotFound
from nibi_desk.i18n import N_, _
from nibi_desk.inspection import defects as defect_rows
from nibi_desk.inspection import evidence as evidence_rows
from nibi_desk.inspection import inspections as inspection_rows
from nibi_desk.inspection import templates as template_rows
from nibi_desk.inspection.form import FAIL, INFO, NA, PASS
from nibi_desk.storage import assets as asset_rows
from nibi_desk.storage import divisions as division_rows


# -- assets --------------------------------------------------------------------------------------------------------
def township_of(conn: sqlite3.Connection, division: str | None) -> dict | None:
    """The township row of a division code (itself when it is one), or None."""
    if not division:
        return None
    for row in division_rows.ancestors(conn, division):
        if row["level"] == "township":
            return row
    return None


def grid_ok(code: str | None) -> bool:
    """Whether a stored BeiDou grid code decodes (what the 赋码率 counts as coded)."""
    if not code:
        return False
    try:
        grid.decode(code)
    except NibiError:
        return False
    return True


def asset_card(conn: sqlite3.Connection, asset_id: str, types: dict | None = None) -> dict:
    """An asset with what its card prints: type and code titles, township, status, attribute lines, GB/T 28181
    decoding (cameras), grid code validity."""
    asset = asset_rows.get(conn, asset_id)
    types = types or asset_type_rows.load(conn)
    kind = types.get(asset["type"])
    township = township_of(conn, asset["division"])
    division = division_rows.get(conn, asset["division"]) if asset["division"] else None
    attrs = []
    if kind is not None:
        for key, value in (asset.get("attrs") or {}).items():
            attribute = kind.attribute(key)
            if attribute is None or value in (None, "", []):
                continue
            if isinstance(value, list):
                shown = "、".join(attribute.value_title(v) for v in value)
            elif isinstance(value, bool):
                shown = _("yes") if value else _("no")
            elif attribute.values:
                shown = attribute.value_title(value)
            else:
                shown = f"{value} {attribute.unit}" if attribute.unit else str(value)
            attrs.append((attribute.title(), shown))
    decoded = None
    if asset["type"] == "camera" and asset.get("code"):
        try:
            decoded = gb28181.parse(asset["code"], conn.execute(
                "SELECT value FROM registry_meta WHERE key = 'county'").fetchone()[0]).labels()
        except NibiError as e:
            decoded = [e.message()]
    return {**asset, "type_title": kind.title() if kind else asset["type"],
            "code_title": kind.code_title() if kind else _("code"),
            "status_title": _(STATUSES.get(asset["status"], asset["status"])),
            "township": township["name"] if township else None, "township_code": township["code"] if township else None,
            "division_name": division["name"] if division else None, "attr_lines": attrs, "gb28181": decoded,
            "grid_ok": grid_ok(asset.get("grid_code"))}


# -- one inspection ------------------------------------------------------------------------------------------------
def _answer_text(field, answer: dict | None) -> str:
    answer = answer or {}
    if answer.get("na"):
        return _("not applicable")
    value = answer.get("value")
    if field.kind == "photo":
        return ""
    if value is None:
        return ""
    if field.kind == "pass_fail":
        return _("pass") if value else _("fail")
    if field.kind == "number":
        number = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{number} {field.unit}" if field.unit else number
    if field.kind == "choice":
        option = field.option(value)
        return option.title() if option else str(value)
    if field.kind == "multi":
        return "、".join((field.option(v).title() if field.option(v) else str(v)) for v in value) or _("none")
    return str(value)


def inspection_report(conn: sqlite3.Connection, inspection_id: str) -> dict:
    """Everything a per-inspection report prints."""
    row = inspection_rows.get(conn, inspection_id)
    if row["deleted"]:
        raise NotFound("No inspection {id}", id=inspection_id)
    template = template_rows.get(conn, row["template"])
    form = template_rows.form_of(conn, row["template"])
    photos = evidence_rows.of_inspection(conn, inspection_id)
    counts = evidence_rows.counts_by_item(conn, inspection_id)
    verdict = form.evaluate(row["answers"], counts, row["unreachable_reason"])
    by_item: dict[str | None, list[dict]] = {}
    for p in photos:
        by_item.setdefault(p["item"], []).append(p)
    items = []
    for section_key, section_label, fields in form.sections:
        for f in fields:
            outcome = verdict.outcomes.get(f.key)
            answer = row["answers"].get(f.key)
            items.append({"key": f.key, "section": section_key, "section_title": form_label(section_label),
                          "title": f.title(), "kind": f.kind, "answer": _answer_text(f, answer),
                          "note": (answer or {}).get("note") or "", "outcome": outcome,
                          "photos": len(by_item.get(f.key, [])), "weight": f.weight})
    defect_list = [dict(r) for r in conn.execute(
        "SELECT * FROM defects WHERE inspection = ? AND deleted = 0 ORDER BY seq", (inspection_id,))]
    for d in defect_list:
        d["item_title"] = next((i["title"] for i in items if i["key"] == d["item"]), d["item"] or "")
        d["category_title"] = form.category_title(d["category"]) or d["category"]
    task = plan = None
    if row["task"]:
        task = conn.execute("SELECT * FROM tasks WHERE id = ?", (row["task"],)).fetchone()
        if task:
            task = dict(task)
            plan = conn.execute("SELECT id, name, cycle FROM plans WHERE id = ?", (task["plan"],)).fetchone()
            plan = dict(plan) if plan else None
    corrected_by = conn.execute("SELECT id FROM inspections WHERE corrects = ? AND status = 'submitted' AND "
                                "deleted = 0", (inspection_id,)).fetchone()
    flags = [inspection_rows.flag_message(f) for f in row["flags"]]
    photo_flags = []
    for p in photos:
        for f in p["flags"]:
            photo_flags.append((p, _(f["template"]).format(**f.get("params", {})) if "template" in f
                                else f.get("code", "")))
    return {"inspection": row, "template": template, "template_title": form.title(), "items": items,
            "verdict": verdict, "photos": photos, "defects": defect_list, "task": task, "plan": plan,
            "flags": flags, "photo_flags": photo_flags, "asset": asset_card(conn, row["asset"]),
            "corrected_by": corrected_by[0] if corrected_by else None,
            "outcome_titles": {PASS: _("pass"), FAIL: _("fail"), NA: _("n/a"), INFO: _("noted"), None: "—"}}


def form_label(label: dict) -> str:
    from nibi_desk.inspection.form import label_text

    return label_text(label)


RESULT_TITLES = {"normal": N_("Normal"), "defects": N_("Defects found"), "unreachable": N_("Unreachable")}


def result_title(result: str | None) -> str:
    return _(RESULT_TITLES.get(result, result or "—")) if result else "—"


# -- choosing inspections for a batch ------------------------------------------------------------------------------
def batch_inspections(conn: sqlite3.Connection, plan: str | None = None, township: str | None = None,
                      start: date | str | None = None, end: date | str | None = None,
                      ids: Iterable[str] | None = None, limit: int | None = None) -> list[dict]:
    """Submitted inspections of a plan, a township and/or a period (submitted between start and end, inclusive),
    ordered by township, asset code and time: (id, asset, asset code and name, submitted_at) per row."""
    sql = ("SELECT i.id, i.asset, i.submitted_at, a.code AS asset_code, a.name AS asset_name, a.division "
           "FROM inspections i JOIN assets a ON a.id = i.asset "
           "WHERE i.status = 'submitted' AND i.deleted = 0")
    params: list = []
    if plan:
        sql += " AND i.task IN (SELECT id FROM tasks WHERE plan = ?)"
        params.append(plan)
    if township:
        prefix = str(township)[:9]
        sql += " AND a.division BETWEEN ? AND ?"
        params += [prefix + "000", prefix + "999"]
    if start:
        sql += " AND substr(i.submitted_at, 1, 10) >= ?"
        params.append(str(start)[:10])
    if end:
        sql += " AND substr(i.submitted_at, 1, 10) <= ?"
        params.append(str(end)[:10])
    if ids is not None:
        ids = list(ids)
        sql += f" AND i.id IN ({','.join('?' * len(ids))})"
        params += ids
    sql += " ORDER BY a.division, a.code, i.submitted_at"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [dict(r) for r in conn.execute(sql, params)]


# -- defects -------------------------------------------------------------------------------------------------------
def defect_notice(conn: sqlite3.Connection, defect_id: str) -> dict:
    """A defect with its asset card, the inspection it came from, the item and the before/after photo pairs."""
    defect = defect_rows.get(conn, defect_id)
    inspection = form = None
    if defect["inspection"]:
        inspection = inspection_rows.get(conn, defect["inspection"])
        form = template_rows.form_of(conn, inspection["template"])
    item_title = defect["item"] or ""
    category = defect["category"]
    if form is not None:
        if defect["item"]:
            try:
                item_title = form.field(defect["item"]).title()
            except NibiError:
                pass
        category = form.category_title(defect["category"]) or defect["category"]
    pairs = defect_rows.photo_pairs(conn, defect_id)
    verifier = None
    if defect["verified_by"]:
        row = conn.execute("SELECT display_name FROM users WHERE id = ?", (defect["verified_by"],)).fetchone()
        verifier = row[0] if row else None
    return {"defect": defect, "asset": asset_card(conn, defect["asset"]), "inspection": inspection,
            "item_title": item_title, "category_title": category, "pairs": pairs,
            "before": [p["before"] for p in pairs if p["before"]], "after": [p["after"] for p in pairs if p["after"]],
            "severity_title": _(defect_rows.SEVERITY_TITLES[defect["severity"]]),
            "status_title": _(defect_rows.STATUS_TITLES[defect["status"]]), "verifier": verifier}


def defects_of_unit(conn: sqlite3.Connection, unit: str, open_only: bool = True) -> list[str]:
    """Ids of the defects a responsible unit must rectify (open ones by default), most urgent first."""
    sql = "SELECT id FROM defects WHERE deleted = 0 AND responsible_unit = ?"
    if open_only:
        sql += " AND status != 'closed'"
    return [r[0] for r in conn.execute(sql + " ORDER BY deadline IS NULL, deadline, seq", (unit,))]


# -- tags ----------------------------------------------------------------------------------------------------------
def tag_assets(conn: sqlite3.Connection, ids: Iterable[str] | None = None, township: str | None = None,
               types: Iterable[str] | None = None) -> Iterator[dict]:
    """Assets to print tags for (id, type, code, name, grid code, township name), in registry order; streamed."""
    if ids is not None:
        for asset_id in ids:
            row = asset_rows.find(conn, asset_id)
            yield _tag_row(conn, row)
        return
    filters = asset_rows.Filters(types=tuple(types) if types else None, township=township)
    where, params = filters.where()
    for row in conn.execute(f"SELECT a.id, a.type, a.code, a.name, a.grid_code, a.division FROM assets a "
                            f"WHERE {where} ORDER BY a.division, a.type, a.code, a.seq", params):
        yield _tag_row(conn, dict(row))


_township_names: dict[str, str | None] = {}


def _tag_row(conn: sqlite3.Connection, row: dict) -> dict:
    township = township_of(conn, row.get("division")) if row.get("division") else None
    return {"id": row["id"], "type": row["type"], "code": row.get("code"), "name": row["name"],
            "grid_code": row.get("grid_code"), "township": township["name"] if township else None}


def json_list(text: str | None) -> list:
    return json.loads(text or "[]")
