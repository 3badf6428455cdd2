"""The asset detail dock's "Inspections" section: the last submitted inspections (result, score, date, flags),
the open defects with the overdue ones marked, the next task and drafts in progress. Read-only."""

from __future__ import annotations

import html
import sqlite3

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QLayout

from nibi_desk.gui.detail_sections import alert_colours, muted_label, value_label
from nibi_desk.gui.inspection.common import InspectionTexts, flag_text, severity_title, short_time, status_title
from nibi_desk.inspection import defects, inspections

SHOWN_INSPECTIONS = 10
RESULT_COLOURS = {"normal": "#2e7d32", "defects": "#c62828", "unreachable": "#757575"}


def load_history(conn: sqlite3.Connection, asset_id: str) -> dict | None:
    """What the section shows (worker thread). None for a registry without the inspection tables."""
    try:
        done = inspections.of_asset(conn, asset_id)
        return {"summary": inspections.asset_summary(conn, asset_id), "inspections": done[:SHOWN_INSPECTIONS],
                "more": max(0, len(done) - SHOWN_INSPECTIONS),
                "defects": defects.list_defects(conn, asset=asset_id, open_only=True)}
    except sqlite3.OperationalError:
        return None


def touches(conn: sqlite3.Connection, asset_id: str, rows: dict[str, set[str]]) -> bool:
    """Whether a commit changed what the section shows for ``asset_id``: one of its defects, or one of its
    inspections that is submitted (saving a draft's answers, many times a minute, does not count)."""
    for table, status in (("inspections", " AND status = 'submitted'"), ("defects", "")):
        ids = rows.get(table) or set()
        if "*" in ids:
            return True
        if ids and conn.execute(f"SELECT 1 FROM {table} WHERE asset = ?{status} AND id IN "
                                f"({','.join('?' * len(ids))}) LIMIT 1", (asset_id, *ids)).fetchone():
            return True
    return False


class History(QObject):
    """Fills a section's layout from :func:`load_history` (Qt Linguist context "History")."""

    def fill(self, layout: QLayout, history: dict | None) -> None:
        texts = InspectionTexts(self)
        if not history or not (history["inspections"] or history["defects"] or history["summary"]["next_task"]
                               or history["summary"]["drafts"]):
            layout.addWidget(muted_label(self.tr("No inspections yet")))
            return
        error, amber = alert_colours()
        for row in history["inspections"]:
            colour = RESULT_COLOURS.get(row["result"], "")
            head = self.tr("{0} · {1}").format(short_time(row["submitted_at"]), row["inspector_name"])
            lines = [f"<b>{html.escape(head)}</b>",
                     f"<span style='color:{colour}'><b>{html.escape(texts.result(row['result']))}</b></span> · "
                     f"{html.escape(texts.score(row['score']))}"]
            lines += [f"<span style='color:{amber}'>⚠ {html.escape(flag_text(f))}</span>" for f in row["flags"]]
            if row.get("corrected_by"):
                lines.append(html.escape(self.tr("Corrected by a later record")))
            label = value_label("<br>".join(lines), "inspectionEntry", rich=True)
            label.setProperty("inspectionId", row["id"])
            layout.addWidget(label)
        if history["more"]:
            layout.addWidget(muted_label(self.tr("and {0} earlier inspections").format(history["more"])))
        summary = history["summary"]
        task = summary["next_task"]
        if task:
            text = self.tr("Next inspection due {0}").format(task["due_date"])
            label = value_label(text + (" ⚠ " + self.tr("overdue") if summary["task_overdue"] else ""), "nextTask")
            if summary["task_overdue"]:
                label.setStyleSheet(f"color: {error}; font-weight: bold;")
            layout.addWidget(label)
        if summary["drafts"]:
            layout.addWidget(muted_label(self.tr("{0} inspection(s) in progress (drafts)").format(summary["drafts"])))
        if history["defects"]:
            title = QLabel(self.tr("Open defects: {0}, overdue: {1}").format(summary["open_defects"],
                                                                            summary["overdue_defects"]))
            title.setObjectName("openDefectsTitle")
            title.setStyleSheet("font-weight: bold;")
            layout.addWidget(title)
        for d in history["defects"]:
            text = self.tr("{severity} · {status} · due {deadline}: {description}").format(
                severity=severity_title(d["severity"]), status=status_title(d["status"]),
                deadline=d["deadline"] or "—", description=d["description"])
            label = value_label(("⚠ " + self.tr("Overdue") + " · " if d["overdue"] else "") + text, "defectEntry")
            if d["overdue"]:
                label.setStyleSheet(f"color: {error};")
            layout.addWidget(label)
