"""Finishing an inspection: evidence photos, the signature, submitting (final checks, score, flags, task done),
corrections as new linked records, and discarding a draft."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Mapping

from nibi_desk.errors import NotFound, PermissionDenied, Problem, RecordInvalid, TransitionRefused, Where
from nibi_desk.i18n import N_
from nibi_desk.inspection import evidence
from nibi_desk.inspection.inspections import DEFAULT_PROXIMITY_M, FIELD_ROLES, editable_draft, form_of, now_local, \
    proximity_values, row_dict
from nibi_desk.inspection.users import OFFICE, require, run_as
from nibi_desk.storage.writer import WriteTxn

if TYPE_CHECKING:
    from nibi_desk.context import Context


def attach_photo(ctx: Context, inspection_id: str, photo: Mapping[str, Any], item: str | None = None,
                 caption: str | None = None, max_distance_m: float = DEFAULT_PROXIMITY_M) -> str:
    """Link a stored photo (:func:`evidence.photo_values`) to a draft, optionally to one item; returns the evidence
    id. Its time and place are checked against the inspection and the asset (findings in ``evidence.flags``)."""
    user = require(ctx, *FIELD_ROLES, action=N_("inspect assets"))

    def write(txn: WriteTxn) -> str:
        row = editable_draft(txn, inspection_id, user.user_id)
        if item is not None:
            form_of(txn.conn, row).field(item)  # the item must exist
        photo_id = evidence.ensure_photo(txn, photo)
        found = evidence.findings(txn.get("photos", photo_id), row["started_at"], txn.get("assets", row["asset"]),
                                  max_distance_m)
        return evidence.add(txn, photo_id, inspection=inspection_id, item=item, caption=caption, flags=found)

    return run_as(ctx, write)


def detach_photo(ctx: Context, evidence_id: str) -> None:
    """Remove a photo from a draft (the original stays in the store)."""
    user = require(ctx, *FIELD_ROLES, action=N_("inspect assets"))

    def write(txn: WriteTxn) -> None:
        link = txn.get("evidence", evidence_id)
        if link["inspection"] is None or link["defect"] is not None:
            raise NotFound("No photo {id} in this inspection", id=evidence_id)
        editable_draft(txn, link["inspection"], user.user_id)
        txn.delete("evidence", evidence_id)

    run_as(ctx, write)


def set_signature(ctx: Context, inspection_id: str, png: bytes) -> str:
    """Store the drawn signature (PNG bytes) in the photo store and with the draft; returns its SHA-256."""
    user = require(ctx, *FIELD_ROLES, action=N_("inspect assets"))
    values = evidence.store_png(ctx.registry.path, png, "signature.png")

    def write(txn: WriteTxn) -> str:
        editable_draft(txn, inspection_id, user.user_id)
        evidence.ensure_photo(txn, values)
        txn.update("inspections", inspection_id, {"signature": values["sha256"]})
        return values["sha256"]

    return run_as(ctx, write)


def submit(ctx: Context, inspection_id: str, threshold_m: float = DEFAULT_PROXIMITY_M) -> dict:
    """Check the draft fully and make it final: score, result, proximity flags, submitted_at; its task is done.

    Raises RecordInvalid listing every problem (required items, ranges, photos, signature, unreachable reason).
    Returns {id, score, result, flags, failed}.
    """
    user = require(ctx, *FIELD_ROLES, action=N_("inspect assets"))

    def write(txn: WriteTxn) -> dict:
        row = editable_draft(txn, inspection_id, user.user_id)
        form = form_of(txn.conn, row)
        verdict = form.evaluate(row["answers"], evidence.counts_by_item(txn.conn, inspection_id),
                                row["unreachable_reason"])
        problems = list(verdict.problems)
        if form.signature_required and not row["signature"]:
            problems.append(Problem("signature", "Sign the inspection before submitting"))
        if problems:
            raise RecordInvalid(problems, where=Where(record=inspection_id))
        values = {"status": "submitted", "submitted_at": now_local(), "score": verdict.score,
                  "result": verdict.result,
                  **proximity_values(txn, row, row["stood_lon"], row["stood_lat"], threshold_m)}
        txn.update("inspections", inspection_id, values)
        if row["task"]:
            task = txn.get("tasks", row["task"])
            if task["status"] == "open" or row["corrects"]:
                txn.update("tasks", row["task"], {"status": "done", "inspection": inspection_id})
        return {"id": inspection_id, "score": verdict.score, "result": verdict.result,
                "flags": json.loads(values["flags"]), "failed": verdict.failed}

    return run_as(ctx, write)


def correct(ctx: Context, inspection_id: str) -> str:
    """Start a correction of a submitted inspection (office only): a new draft linked by ``corrects`` that copies
    the answers, position, notes and photos; the corrector signs it and submits it like any inspection. An
    existing draft correction is returned instead of a second one."""
    user = require(ctx, OFFICE, action=N_("correct a submitted inspection"))

    def write(txn: WriteTxn) -> str:
        old = row_dict(txn.get("inspections", inspection_id))
        if old["status"] != "submitted" or old["deleted"]:
            raise TransitionRefused("Only a submitted inspection can be corrected; inspection {id} is a draft",
                                    where=Where(record=inspection_id), id=inspection_id)
        for other_id, status in txn.execute("SELECT id, status FROM inspections WHERE corrects = ? AND deleted = 0",
                                            (inspection_id,)).fetchall():
            if status == "submitted":
                raise TransitionRefused("Inspection {id} was already corrected by {other}; correct that one",
                                        where=Where(record=inspection_id), id=inspection_id, other=other_id)
            return other_id
        copied = {k: old[k] for k in ("asset", "task", "template", "stood_lon", "stood_lat", "stood_source",
                                      "distance_m", "notes", "unreachable_reason")}
        new_id = txn.insert("inspections", {
            **copied, "answers": json.dumps(old["answers"], ensure_ascii=False, sort_keys=True),
            "flags": json.dumps(old["flags"], ensure_ascii=False), "inspector": user.user_id,
            "inspector_name": user.display_name, "started_at": now_local(), "corrects": inspection_id})
        for link in evidence.of_inspection(txn.conn, inspection_id):
            evidence.add(txn, link["photo"], inspection=new_id, item=link["item"], caption=link["caption"],
                         flags=link["flags"])
        return new_id

    return run_as(ctx, write)


def discard(ctx: Context, inspection_id: str) -> None:
    """Throw a draft away (its inspector or an office user); a submitted inspection cannot be discarded."""
    user = require(ctx, *FIELD_ROLES, action=N_("inspect assets"))

    def write(txn: WriteTxn) -> None:
        row = txn.get("inspections", inspection_id)
        if row["status"] == "submitted":
            raise TransitionRefused("Inspection {id} is submitted and cannot change; an office user can record a "
                                    "correction", where=Where(record=inspection_id), id=inspection_id)
        if row["inspector"] != user.user_id and user.role != OFFICE:
            raise PermissionDenied("Only {name}, who started this inspection, may change it",
                                   where=Where(record=inspection_id), name=row["inspector_name"])
        if txn.execute("SELECT 1 FROM defects WHERE inspection = ? AND deleted = 0", (inspection_id,)).fetchone():
            raise TransitionRefused("Defects were raised from inspection {id}; submit it instead of discarding it",
                                    where=Where(record=inspection_id), id=inspection_id)
        for (link,) in txn.execute("SELECT id FROM evidence WHERE inspection = ? AND defect IS NULL AND deleted = 0",
                                   (inspection_id,)).fetchall():
            txn.delete("evidence", link)
        txn.delete("inspections", inspection_id)

    run_as(ctx, write)

