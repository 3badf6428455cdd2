"""Defects and their rectification (整改) loop, with the role rules of each step.

    open ──issue_notice──▶ notice_issued ──rectify──▶ rectified ──close──▶ closed
      ▲                          ▲                       │  ▲               │
      │                          └────────┐              ▼  │               │
    raise                    reopened ◀──reopen─────────────┴───────────────┘
                                 └──issue_notice / rectify

Inspectors (and office users) raise defects from failed items and record rectifications with an after-photo;
only office users issue notices, verify and close, reopen and edit; supervisors only read. A step the role may
not take raises PermissionDenied; a step the state does not allow raises TransitionRefused. Overdue: the deadline
has passed and the defect is not closed.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from nibi_desk.domain.coords import haversine_m
from nibi_desk.errors import NotFound, TransitionRefused, ValidationError, Where
from nibi_desk.i18n import N_, _
from nibi_desk.inspection import evidence
from nibi_desk.inspection.form import FAIL
from nibi_desk.inspection.inspections import FIELD_ROLES, form_of, now_local, row_dict
from nibi_desk.inspection.users import INSPECTOR, OFFICE, Session, require, run_as
from nibi_desk.storage.writer import WriteTxn

if TYPE_CHECKING:
    from nibi_desk.context import Context

SEVERITIES = ("general", "major", "critical")
SEVERITY_TITLES = {"general": N_("general"), "major": N_("major"), "critical": N_("critical")}
STATUSES = ("open", "notice_issued", "rectified", "closed", "reopened")
STATUS_TITLES = {"open": N_("open"), "notice_issued": N_("notice issued"), "rectified": N_("rectified"),
                 "closed": N_("closed"), "reopened": N_("reopened")}
DEADLINE_DAYS = {"general": 30, "major": 15, "critical": 7}  # default deadline after raising, by severity
# action: (states it starts from, state it leads to, roles allowed, English phrase for messages)
TRANSITIONS = {
    "issue_notice": ({"open", "reopened"}, "notice_issued", (OFFICE,), N_("issue a rectification notice")),
    "rectify": ({"notice_issued", "reopened"}, "rectified", (INSPECTOR, OFFICE), N_("record a rectification")),
    "close": ({"rectified"}, "closed", (OFFICE,), N_("verify and close a defect")),
    "reopen": ({"rectified", "closed"}, "reopened", (OFFICE,), N_("reopen a defect")),
}


def allowed_actions(defect: Mapping, user: Session | None) -> list[str]:
    """The transitions this user may take from the defect's state (what the GUI enables)."""
    return [name for name, (sources, _to, roles, _a) in TRANSITIONS.items()
            if defect["status"] in sources and user is not None and user.role in roles]


def is_overdue(defect: Mapping, today: date | None = None) -> bool:
    return bool(defect["deadline"]) and defect["status"] != "closed" and \
        defect["deadline"] < (today or date.today()).isoformat()


def _transition(txn: WriteTxn, ctx: Context, defect_id: str, action: str, values: dict) -> dict:
    sources, target, roles, phrase = TRANSITIONS[action]
    user = require(ctx, *roles, action=phrase)
    defect = txn.get("defects", defect_id)
    if defect["deleted"]:
        raise NotFound("No defect {id}", id=defect_id)
    if defect["status"] not in sources:
        raise TransitionRefused("Cannot {action} while the defect is {status}", where=Where(record=defect_id),
                                action=_(phrase), status=_(STATUS_TITLES[defect["status"]]))
    txn.update("defects", defect_id, {**values, "status": target})
    return {"user": user, "defect": defect}


def _check_severity(severity: str) -> str:
    if severity not in SEVERITIES:
        raise ValidationError("Unknown severity {severity}; choose general, major or critical",
                              where=Where(field="severity"), severity=severity)
    return severity


def _check_date(value: str | date | None, field: str) -> str | None:
    if value is None or isinstance(value, date):
        return value.isoformat() if value else None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValidationError("{value} is not a date (YYYY-MM-DD)", where=Where(field=field), value=value) from None


# -- commands ------------------------------------------------------------------------------------------------------
def raise_defect(ctx: Context, inspection_id: str, item: str, description: str | None = None,
                 category: str | None = None, severity: str | None = None, deadline: str | date | None = None,
                 today: date | None = None) -> str:
    """Raise a defect from a failed item (the item's photos become its "before" photos); returns its id.

    Category and severity default to the item's hints, the description to the item's label and note, the deadline
    to DEADLINE_DAYS after today by severity.
    """
    user = require(ctx, *FIELD_ROLES, action=N_("raise a defect"))
    today = today or date.today()

    def write(txn: WriteTxn) -> str:
        inspection = row_dict(txn.get("inspections", inspection_id))
        if inspection["status"] == "draft" and inspection["inspector"] != user.user_id:
            raise TransitionRefused("Inspection {id} is another inspector's draft", where=Where(record=inspection_id),
                                    id=inspection_id)
        form = form_of(txn.conn, inspection)
        field = form.field(item)
        answer = inspection["answers"].get(item)
        if field.outcome(answer) != FAIL:
            raise TransitionRefused("{label} did not fail; only a failed item raises a defect",
                                    where=Where(field=item), label=field.title())
        if txn.execute("SELECT 1 FROM defects WHERE inspection = ? AND item = ? AND status != 'closed' "
                       "AND deleted = 0", (inspection_id, item)).fetchone():
            raise ValidationError("{label} already has an open defect from this inspection", where=Where(field=item),
                                  label=field.title())
        chosen = _check_severity(severity or field.severity_hint)
        note = (answer or {}).get("note")
        text = (description or "").strip() or (f"{field.title()}: {note}" if note else field.title())
        due = _check_date(deadline, "deadline") or (today + timedelta(days=DEADLINE_DAYS[chosen])).isoformat()
        defect_id = txn.insert("defects", {
            "asset": inspection["asset"], "inspection": inspection_id, "item": item,
            "category": category or field.defect_category or "other", "severity": chosen, "description": text,
            "deadline": due})
        for link in evidence.of_inspection(txn.conn, inspection_id):
            if link["item"] == item:
                evidence.add(txn, link["photo"], inspection=inspection_id, defect=defect_id, item=item,
                             phase="before", caption=link["caption"], flags=link["flags"])
        return defect_id

    return run_as(ctx, write)


def issue_notice(ctx: Context, defect_id: str, notice_no: str, responsible_unit: str,
                 notice_date: str | date | None = None) -> None:
    """Record the rectification notice (number, date, responsible unit): office only."""
    if not (notice_no or "").strip() or not (responsible_unit or "").strip():
        raise ValidationError("A notice needs its number and the responsible unit", where=Where(field="notice_no"))
    values = {"notice_no": notice_no.strip(), "responsible_unit": responsible_unit.strip(),
              "notice_date": _check_date(notice_date, "notice_date") or date.today().isoformat()}
    run_as(ctx, lambda txn: _transition(txn, ctx, defect_id, "issue_notice", values) and None)


def attach_photo(ctx: Context, defect_id: str, photo: Mapping[str, Any], phase: str = "after",
                 caption: str | None = None) -> str:
    """Add a before or after photo to a defect that is not closed; returns the evidence id."""
    require(ctx, *FIELD_ROLES, action=N_("add defect photos"))
    if phase not in ("before", "after"):
        raise ValidationError("Unknown photo phase {phase}", where=Where(field="phase"), phase=phase)

    def write(txn: WriteTxn) -> str:
        defect = txn.get("defects", defect_id)
        if defect["status"] == "closed":
            raise TransitionRefused("Defect {id} is closed; reopen it first", where=Where(record=defect_id),
                                    id=defect_id)
        photo_id = evidence.ensure_photo(txn, photo)
        return evidence.add(txn, photo_id, defect=defect_id, inspection=defect["inspection"], item=defect["item"],
                            phase=phase, caption=caption)

    return run_as(ctx, write)


def rectify(ctx: Context, defect_id: str, note: str | None = None, photos: Iterable[Mapping[str, Any]] = (),
            rectified_at: str | None = None) -> None:
    """Record that the defect was rectified; needs an after-photo (given here or attached before)."""
    photos = list(photos)

    def write(txn: WriteTxn) -> None:
        result = _transition(txn, ctx, defect_id, "rectify", {
            "rectified_at": rectified_at or now_local(), "rectification_note": (note or "").strip() or None})
        for photo in photos:
            evidence.add(txn, evidence.ensure_photo(txn, photo), defect=defect_id, inspection=result["defect"]
                         ["inspection"], item=result["defect"]["item"], phase="after")
        if not txn.execute("SELECT 1 FROM evidence WHERE defect = ? AND phase = 'after' AND deleted = 0",
                           (defect_id,)).fetchone():
            raise ValidationError("A rectification needs a photo taken after it", where=Where(record=defect_id))

    run_as(ctx, write)


def close(ctx: Context, defect_id: str) -> None:
    """Verify the rectification and close the defect: office only."""
    run_as(ctx, lambda txn: _transition(txn, ctx, defect_id, "close", {
        "verified_by": ctx.user.user_id if ctx.user else None, "closed_at": now_local()}) and None)


def reopen(ctx: Context, defect_id: str, reason: str) -> None:
    """Send a rectified or closed defect back (office only); the reason replaces the rectification note."""
    if not (reason or "").strip():
        raise ValidationError("Say why the defect is reopened", where=Where(field="rectification_note"))
    run_as(ctx, lambda txn: _transition(txn, ctx, defect_id, "reopen", {
        "rectification_note": reason.strip(), "verified_by": None, "closed_at": None}) and None)


def edit(ctx: Context, defect_id: str, **changes: Any) -> dict:
    """Change category, severity, description, deadline or responsible_unit (office only)."""
    require(ctx, OFFICE, action=N_("edit a defect"))
    unknown = set(changes) - {"category", "severity", "description", "deadline", "responsible_unit"}
    if unknown:
        raise ValidationError("Unknown field {fields}", where=Where(field=", ".join(sorted(unknown))),
                              fields=", ".join(sorted(unknown)))
    if "severity" in changes:
        _check_severity(changes["severity"])
    if "deadline" in changes:
        changes["deadline"] = _check_date(changes["deadline"], "deadline")
    return run_as(ctx, lambda txn: txn.get("defects", defect_id) and txn.update("defects", defect_id,
                                                                                            changes))


# -- reading -------------------------------------------------------------------------------------------------------
def get(conn: sqlite3.Connection, defect_id: str) -> dict:
    row = conn.execute("SELECT * FROM defects WHERE id = ?", (defect_id,)).fetchone()
    if row is None:
        raise NotFound("No defect {id}", id=defect_id)
    return dict(row)


def list_defects(conn: sqlite3.Connection, status: Iterable[str] | None = None, overdue: bool = False,
                 asset: str | None = None, open_only: bool = False, today: date | None = None,
                 limit: int | None = None) -> list[dict]:
    """Defects with their asset's name and code and an ``overdue`` flag, most urgent deadline first."""
    today_text = (today or date.today()).isoformat()
    sql = ("SELECT d.*, a.name AS asset_name, a.code AS asset_code, a.type AS asset_type, "
           "(d.deadline IS NOT NULL AND d.deadline < ? AND d.status != 'closed') AS overdue "
           "FROM defects d JOIN assets a ON a.id = d.asset WHERE d.deleted = 0")
    params: list = [today_text]
    if status:
        status = list(status)
        sql += f" AND d.status IN ({','.join('?' * len(status))})"
        params += status
    if open_only:
        sql += " AND d.status != 'closed'"
    if overdue:
        sql += " AND d.status != 'closed' AND d.deadline < ?"
        params.append(today_text)
    if asset:
        sql += " AND d.asset = ?"
        params.append(asset)
    sql += " ORDER BY d.status = 'closed', d.deadline IS NULL, d.deadline, d.seq"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [{**dict(r), "overdue": bool(r["overdue"])} for r in conn.execute(sql, params)]


def counts(conn: sqlite3.Connection, today: date | None = None) -> dict:
    """Dashboard numbers: per status, open (not closed), overdue, and open ones per severity."""
    today_text = (today or date.today()).isoformat()
    by_status = dict(conn.execute("SELECT status, count(*) FROM defects WHERE deleted = 0 GROUP BY status"))
    by_severity = dict(conn.execute("SELECT severity, count(*) FROM defects WHERE deleted = 0 AND status != 'closed' "
                                    "GROUP BY severity"))
    overdue = conn.execute("SELECT count(*) FROM defects WHERE deleted = 0 AND status != 'closed' AND deadline < ?",
                           (today_text,)).fetchone()[0]
    return {"by_status": by_status, "open": sum(n for s, n in by_status.items() if s != "closed"),
            "overdue": overdue, "open_by_severity": by_severity}


def photo_pairs(conn: sqlite3.Connection, defect_id: str) -> list[dict]:
    """Before/after photos kept together: each after-photo beside the before-photo taken nearest to it (by GPS
    when both have a position, else in order); before-photos left over have ``after`` None."""
    links = evidence.of_defect(conn, defect_id)
    before = [e for e in links if e["phase"] == "before"]
    after = [e for e in links if e["phase"] == "after"]
    pairs = []
    for a in after:
        def distance(b: dict) -> float:
            if None in (a["lon"], a["lat"], b["lon"], b["lat"]):
                return float("inf")
            return haversine_m(a["lon"], a["lat"], b["lon"], b["lat"])

        match = min(before, key=distance) if before else None
        if match is not None:
            before.remove(match)
        pairs.append({"before": match, "after": a})
    return pairs + [{"before": b, "after": None} for b in before]
