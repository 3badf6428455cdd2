"""The defects window: filter by status, severity and overdue; act on one defect as the role allows (notice,
rectification with after-photos, verify and close, reopen); its before/after photos side by side."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, \
    QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from nibi_desk.gui.inspection.common import tablet_font, TAP, severity_title, show_error, status_title, tap_button
from nibi_desk.gui.inspection.defect_dialogs import NoticeDialog, PhotoPairs, RectifyDialog, ReopenDialog
from nibi_desk.gui.inspection.photo_import import import_photos
from nibi_desk.inspection import defects
from nibi_desk.inspection import templates as template_rows
from nibi_desk.inspection.form import Form

OVERDUE_BACKGROUND = QColor(198, 40, 40, 48)
ACTIONS = ("issue_notice", "rectify", "close", "reopen")


def load_defects(registry, status: list | None, severity: str | None, overdue: bool) -> list[dict]:
    """Defects as the filters say, with their category's title from the inspection's template."""
    conn = registry.read()
    rows = defects.list_defects(conn, status=status, overdue=overdue)
    if severity:
        rows = [r for r in rows if r["severity"] == severity]
    forms: dict[str, Form] = {}
    templates = dict(conn.execute("SELECT i.id, i.template FROM inspections i JOIN defects d ON d.inspection = i.id "
                                  "WHERE d.deleted = 0"))
    for row in rows:
        template = templates.get(row["inspection"])
        if template and template not in forms:
            forms[template] = template_rows.form_of(conn, template)
        form = forms.get(template)
        row["category_title"] = (form.category_title(row["category"]) if form else "") or row["category"]
        row["item_title"] = form.field(row["item"]).title() if form and row["item"] and \
            any(f.key == row["item"] for f in form.fields) else ""
    return rows


class DefectsView(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("defectsView")
        tablet_font(self)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.rows: list[dict] = []
        self.status_combo, self.severity_combo = QComboBox(), QComboBox()
        self.status_combo.setObjectName("statusFilter")
        self.severity_combo.setObjectName("severityFilter")
        self.status_combo.addItem("", "open_only")
        self.status_combo.addItem("", None)
        for key in defects.STATUSES:
            self.status_combo.addItem("", key)
        self.severity_combo.addItem("", None)
        for key in defects.SEVERITIES:
            self.severity_combo.addItem("", key)
        self.overdue_check = QCheckBox()
        self.overdue_check.setObjectName("overdueOnly")
        for widget in (self.status_combo, self.severity_combo, self.overdue_check):
            widget.setMinimumHeight(TAP)
        self.status_combo.currentIndexChanged.connect(self.reload)
        self.severity_combo.currentIndexChanged.connect(self.reload)
        self.overdue_check.toggled.connect(self.reload)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("defectTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(TAP)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = QLabel()
        self.detail.setObjectName("defectDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pairs = PhotoPairs(ctx)
        self.buttons = {name: tap_button("", name) for name in ACTIONS}
        self.buttons["issue_notice"].clicked.connect(lambda: self.issue_notice())
        self.buttons["rectify"].clicked.connect(lambda: self.rectify())
        self.buttons["close"].clicked.connect(lambda: self.close_defect())
        self.buttons["reopen"].clicked.connect(lambda: self.reopen())
        self.count = QLabel()
        filters = QHBoxLayout()
        for widget in (self.status_combo, self.severity_combo, self.overdue_check):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count)
        side = QWidget()
        column = QVBoxLayout(side)
        column.addWidget(self.detail)
        column.addWidget(self.pairs)
        column.addStretch(1)
        for button in self.buttons.values():
            column.addWidget(button)
        side.setMinimumWidth(380)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        ctx.notifier.registry_changed.connect(self._registry_changed)
        self.retranslate()
        self.resize(1200, 680)
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Defects and rectification"))
        self.status_combo.setItemText(0, self.tr("Not closed"))
        self.status_combo.setItemText(1, self.tr("All statuses"))
        for i, key in enumerate(defects.STATUSES, start=2):
            self.status_combo.setItemText(i, status_title(key))
        self.severity_combo.setItemText(0, self.tr("All severities"))
        for i, key in enumerate(defects.SEVERITIES, start=1):
            self.severity_combo.setItemText(i, severity_title(key))
        self.overdue_check.setText(self.tr("Overdue only"))
        self.table.setHorizontalHeaderLabels([self.tr("Asset"), self.tr("Code"), self.tr("Defect"),
                                              self.tr("Severity"), self.tr("Status"), self.tr("Deadline"),
                                              self.tr("Responsible unit")])
        titles = {"issue_notice": self.tr("Issue notice…"), "rectify": self.tr("Record rectification…"),
                  "close": self.tr("Verify and close"), "reopen": self.tr("Reopen…")}
        for name, button in self.buttons.items():
            button.setText(titles[name])
        self._fill()

    # -- loading -------------------------------------------------------------------------------------------
    def reload(self) -> None:
        choice = self.status_combo.currentData()
        status = None if choice in (None, "open_only") else [choice]
        if choice == "open_only":
            status = [s for s in defects.STATUSES if s != "closed"]
        self.ctx.tasks.run(load_defects, self.ctx.registry, status, self.severity_combo.currentData(),
                           self.overdue_check.isChecked(), key=f"defects-view-{id(self)}", on_done=self._loaded,
                           on_error=lambda e: show_error(self.ctx, e))

    def _loaded(self, rows: list[dict]) -> None:
        self.rows = rows
        self._fill()

    def _fill(self) -> None:
        current = self.current()
        self.table.setRowCount(len(self.rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, row in enumerate(self.rows):
            defect = row["item_title"] or row["category_title"]
            cells = (row["asset_name"], row["asset_code"] or "—", f"{defect}: {row['description']}",
                     severity_title(row["severity"]), status_title(row["status"]),
                     (row["deadline"] or "—") + (" ⚠" if row["overdue"] else ""), row["responsible_unit"] or "")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row["id"])
                if row["overdue"]:
                    item.setBackground(QBrush(OVERDUE_BACKGROUND))
                    if c == 5:
                        item.setFont(bold)
                self.table.setItem(r, c, item)
        self.count.setText(self.tr("{0} defects").format(len(self.rows)))
        if current is not None:
            self.select(current["id"])
        self._selected()

    def select(self, defect_id: str) -> None:
        for r, row in enumerate(self.rows):
            if row["id"] == defect_id:
                self.table.selectRow(r)

    def current(self) -> dict | None:
        items = self.table.selectedItems()
        if not items:
            return None
        defect_id = items[0].data(Qt.ItemDataRole.UserRole)
        return next((r for r in self.rows if r["id"] == defect_id), None)

    def _selected(self) -> None:
        defect = self.current()
        allowed = defects.allowed_actions(defect, self.ctx.user) if defect else []
        for name, button in self.buttons.items():
            button.setEnabled(name in allowed)
        if defect is None:
            self.detail.setText(self.tr("Select a defect to see it and act on it."))
            self.pairs.show_pairs([])
            return
        lines = [f"<b>{html.escape(defect['asset_name'])}</b> ({html.escape(defect['asset_code'] or '—')})",
                 defect["description"],
                 self.tr("Category: {0}").format(defect["category_title"]),
                 self.tr("Deadline: {0}").format(defect["deadline"] or "—")]
        if defect["notice_no"]:
            lines.append(self.tr("Notice {no} of {date} to {unit}").format(
                no=defect["notice_no"], date=defect["notice_date"] or "—", unit=defect["responsible_unit"] or "—"))
        if defect["rectification_note"]:
            lines.append(self.tr("Rectification note: {0}").format(defect["rectification_note"]))
        if defect["overdue"]:
            overdue = self.tr("Overdue")
            lines.append(f"<span style='color:#c62828'><b>{html.escape(overdue)}</b></span>")
        self.detail.setText("<br>".join(line if line.startswith("<") else html.escape(line) for line in lines))
        self.pairs.show_pairs(defects.photo_pairs(self.ctx.registry.read(), defect["id"]))

    def _registry_changed(self, changed) -> None:
        if changed.touches("defects") or changed.touches("evidence"):
            self.reload()

    # -- actions (the core checks the role again: a disabled button is a courtesy, not the rule) --------------
    def _run(self, fn, *args, **kwargs) -> None:
        self.ctx.tasks.run(fn, self.ctx, *args, on_done=lambda _r: self.reload(),
                           on_error=lambda e: show_error(self.ctx, e), **kwargs)

    def issue_notice(self, values: dict | None = None) -> None:
        defect = self.current()
        if defect is None:
            return
        if values is None:
            dialog = NoticeDialog(defect, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            values = dialog.values()
        self._run(defects.issue_notice, defect["id"], **values)

    def rectify(self, values: dict | None = None) -> None:
        defect = self.current()
        if defect is None:
            return
        if values is None:
            after = sum(1 for p in defects.photo_pairs(self.ctx.registry.read(), defect["id"]) if p["after"])
            dialog = RectifyDialog(after, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            values = dialog.values()
        paths, note = values.get("paths") or [], values.get("note")
        if not paths:
            self._run(defects.rectify, defect["id"], note)
            return
        import_photos(self.ctx, self, paths, lambda photo: photo, on_finished=lambda result: result and result[
            "linked"] and self._run(defects.rectify, defect["id"], note, result["linked"]))

    def close_defect(self, confirm: bool = True) -> None:
        defect = self.current()
        if defect is None:
            return
        if confirm and not self.ctx.interaction.confirm(self.tr("Verify and close"), self.tr(
                "Has the rectification of this defect been checked, and should it be closed?")):
            return
        self._run(defects.close, defect["id"])

    def reopen(self, values: dict | None = None) -> None:
        defect = self.current()
        if defect is None:
            return
        if values is None:
            dialog = ReopenDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            values = dialog.values()
        self._run(defects.reopen, defect["id"], values["reason"])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
