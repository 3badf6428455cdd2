"""Asset states that come from the inspection records, for the map: open defects and overdue inspections.

The conditions are the asset table's own filters (nibi_desk.storage.assets.Filters ``open_defects`` and
``inspection_due``), so the map and the table agree on what they mean:

* open defect: a defect of the asset that is not closed (nor deleted);
* inspection overdue: an open task of the asset whose due date has passed (``inspection_due`` with "due on or
  before yesterday" instead of "within a week").

``of_assets`` answers for a whole viewport answer (a few thousand assets) with ONE statement that returns one row:
SQLite does the work in a single step, during which Python's GIL is released, so the GUI thread keeps running.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from typing import Iterable

from nibi_desk.storage import assets as store

def conditions(today: date | None = None) -> tuple[str, list, str, list]:
    """(open defect SQL, its parameters, inspection overdue SQL, its parameters): conditions on ``assets a``."""
    today = today or date.today()
    defect_sql, defect_params = store.Filters(include_deleted=True, open_defects=True).where()
    due_sql, due_params = store.Filters(include_deleted=True, inspection_due=True).where()
    if len(due_params) != 1:  # the filter binds exactly its "due on or before" date; anything else is a new filter
        raise RuntimeError(f"Filters.inspection_due changed shape: {due_sql!r} {due_params!r}")
    return defect_sql, defect_params, due_sql, [(today - timedelta(days=1)).isoformat()]


def _has_inspections(conn: sqlite3.Connection) -> bool:
    return store.has_table(conn, "defects") and store.has_table(conn, "tasks")


def of_assets(conn: sqlite3.Connection, seqs: Iterable[int] | str, today: date | None = None) -> dict[str, list[int]]:
    """Which of the assets (by ``seq``; or a JSON array text of seqs) have an open defect and which an overdue
    inspection: ``{"defect": [seq, ...], "overdue": [seq, ...]}`` in ascending seq order."""
    text = seqs if isinstance(seqs, str) else json.dumps([int(s) for s in seqs])
    if text in ("[]", "") or not _has_inspections(conn):
        return {"defect": [], "overdue": []}
    defect_sql, defect_params, overdue_sql, overdue_params = conditions(today)
    row = conn.execute(
        f"SELECT group_concat(CASE WHEN {defect_sql} THEN a.seq END), "
        f"group_concat(CASE WHEN {overdue_sql} THEN a.seq END) "
        f"FROM assets a WHERE a.seq IN (SELECT value FROM json_each(?))",
        (*defect_params, *overdue_params, text)).fetchone()
    return {"defect": _ints(row[0]), "overdue": _ints(row[1])}


def _ints(packed: str | None) -> list[int]:
    return sorted(int(s) for s in packed.split(",")) if packed else []


class InspectionStates:
    """The map's state provider (viewport.StateProvider): states as of today. Besides answering for a list of seqs
    like any provider, it hands its conditions to the viewport query (``sql``), which then finds the states while it
    reads the points: half the cost of a second pass over the same assets."""

    def __call__(self, conn: sqlite3.Connection, seqs: Iterable[int] | str) -> dict[str, list[int]]:
        return of_assets(conn, seqs)

    def sql(self, conn: sqlite3.Connection) -> tuple[str, str, list] | None:
        """(open defect condition, inspection overdue condition, their parameters) on ``assets a``; None when the
        registry has no inspection tables."""
        if not _has_inspections(conn):
            return None
        defect_sql, defect_params, overdue_sql, overdue_params = conditions()
        return defect_sql, overdue_sql, [*defect_params, *overdue_params]


provider = InspectionStates()


def no_states(conn: sqlite3.Connection, seqs: Iterable[int] | str) -> dict[str, list[int]]:
    """A provider that knows of no defects and no overdue inspections (for tests and benchmarks)."""
    return {"defect": [], "overdue": []}


def of_asset(conn: sqlite3.Connection, asset_id: str, today: date | None = None) -> dict:
    """What the map's popup says about one asset's inspections: the last submitted inspection's date (or None),
    open and overdue defects, and whether an inspection is overdue (nibi_desk.inspection.inspections.asset_summary)."""
    if not _has_inspections(conn):
        return {"last": None, "open_defects": 0, "overdue_defects": 0, "inspection_overdue": False}
    from nibi_desk.inspection.inspections import asset_summary

    summary = asset_summary(conn, asset_id, today)
    last = summary["last_inspection"]
    return {"last": (last["submitted_at"] or "")[:10] or None if last is not None else None,
            "open_defects": summary["open_defects"], "overdue_defects": summary["overdue_defects"],
            "inspection_overdue": summary["task_overdue"]}


def last_inspections(conn: sqlite3.Connection) -> dict[str, str]:
    """{asset id: date of its last submitted inspection} for every asset inspected (the exported page's popups)."""
    if not store.has_table(conn, "inspections"):
        return {}
    return {asset: (at or "")[:10] for asset, at in conn.execute(
        "SELECT asset, max(submitted_at) FROM inspections WHERE status = 'submitted' AND deleted = 0 GROUP BY asset")}
