"""The "new inspection plan" dialog: name, cycle, dates, inspector and which assets (types, township, the
browser's current filters or the selected assets), with a live count of the assets it would cover."""

from __future__ import annotations

from datetime import date

import shiboken6
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, \
    QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from nibi_desk.domain import asset_types
from nibi_desk.gui.inspection.common import TAP, InspectionTexts, problem_label, set_problems
from nibi_desk.inspection import periods, plans, users
from nibi_desk.storage import divisions
from nibi_desk.storage.assets import Filters


def _date_edit() -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumHeight(TAP)
    return edit


def selection_from_filters(filters: Filters) -> dict:
    return {"types": list(filters.types or ()), "township": filters.township, "status": list(filters.status or ()),
            "operator": filters.operator}


class NewPlanDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None, filters: Filters | None = None,
                 selected_ids: list[str] | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("newPlanDialog")
        self.filters, self.selected_ids = filters, list(selected_ids or [])
        texts = InspectionTexts(self)
        conn = ctx.registry.read()
        self.name = QLineEdit()
        self.name.setObjectName("planName")
        self.cycle = QComboBox()
        self.cycle.setObjectName("cycle")
        for key in periods.CYCLES:
            self.cycle.addItem(texts.cycle(key), key)
        self.cycle.setCurrentIndex(self.cycle.findData("monthly"))
        self.start = _date_edit()
        self.start.setObjectName("startDate")
        self.has_end = QCheckBox(self.tr("ends on"))
        self.end = _date_edit()
        self.end.setObjectName("endDate")
        self.end.setEnabled(False)
        self.has_end.toggled.connect(self.end.setEnabled)
        self.inspector = QComboBox()
        self.inspector.setObjectName("inspector")
        self.inspector.addItem(self.tr("— nobody yet —"), None)
        for user in users.list_users(conn, include_inactive=False):
            if user["role"] != users.SUPERVISOR:
                self.inspector.addItem(f"{user['display_name']} ({user['login']})", user["id"])
        self.types: dict[str, QCheckBox] = {}
        type_box = QWidget()
        type_row = QHBoxLayout(type_box)
        type_row.setContentsMargins(0, 0, 0, 0)
        for code, t in asset_types.load(conn).items():
            self.types[code] = QCheckBox(t.title())
            self.types[code].setObjectName(f"type_{code}")
            self.types[code].toggled.connect(self._update_count)
            type_row.addWidget(self.types[code])
        type_row.addStretch(1)
        self.township = QComboBox()
        self.township.setObjectName("township")
        self.township.addItem(self.tr("All townships"), None)
        for township in divisions.townships(conn, ctx.registry.county):
            self.township.addItem(township["name"], township["code"])
        self.township.currentIndexChanged.connect(self._update_count)
        self.use_filters = QCheckBox(self.tr("The assets the registry browser shows now (its filters)"))
        self.use_filters.setObjectName("useFilters")
        self.use_filters.setEnabled(filters is not None)
        self.use_ids = QCheckBox(self.tr("Only the selected assets ({0})").format(len(self.selected_ids)))
        self.use_ids.setObjectName("useSelection")
        self.use_ids.setEnabled(bool(self.selected_ids))
        for check in (self.use_filters, self.use_ids):
            check.toggled.connect(self._update_count)
        self.generate = QCheckBox(self.tr("Create the tasks of this period and the next now"))
        self.generate.setObjectName("generateNow")
        self.generate.setChecked(True)
        self.count = QLabel()
        self.count.setObjectName("assetCount")
        self.problems = problem_label("planProblems")
        for widget in (self.name, self.cycle, self.inspector, self.township):
            widget.setMinimumHeight(TAP)
        dates = QGridLayout()
        dates.addWidget(self.start, 0, 0)
        dates.addWidget(self.has_end, 0, 1)
        dates.addWidget(self.end, 0, 2)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Cycle"), self.cycle)
        form.addRow(self.tr("Starts"), dates)
        form.addRow(self.tr("Inspector"), self.inspector)
        form.addRow(self.tr("Asset types"), type_box)
        form.addRow(self.tr("Township"), self.township)
        form.addRow("", self.use_filters)
        form.addRow("", self.use_ids)
        form.addRow(self.tr("Covers"), self.count)
        form.addRow("", self.generate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        for button in buttons.buttons():
            button.setMinimumHeight(TAP)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("New inspection plan"))
        self.setMinimumWidth(620)
        self._update_count()

    def selection(self) -> dict:
        chosen: dict = {}
        if self.use_filters.isChecked() and self.filters is not None:
            chosen.update({k: v for k, v in selection_from_filters(self.filters).items() if v})
        types = [code for code, check in self.types.items() if check.isChecked()]
        if types:
            chosen["types"] = types
        if self.township.currentData():
            chosen["township"] = self.township.currentData()
        if self.use_ids.isChecked():
            chosen["ids"] = list(self.selected_ids)
        return chosen

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "cycle": self.cycle.currentData(),
                "start_date": self.start.date().toString("yyyy-MM-dd"),
                "end_date": self.end.date().toString("yyyy-MM-dd") if self.has_end.isChecked() else None,
                "inspector": self.inspector.currentData(), "selection": self.selection(),
                "generate": self.generate.isChecked()}

    def _update_count(self) -> None:
        selection = self.selection()
        if not selection:
            self.count.setText(self.tr("Choose asset types, a township, the browser's filters or assets."))
            return
        self.count.setText(self.tr("Counting…"))
        self.ctx.tasks.run(lambda: len(plans.selected_assets(self.ctx.registry.read(), selection)),
                           key=f"plan-count-{id(self)}", on_done=self._counted, on_error=lambda _e: None)

    def _counted(self, n: int) -> None:
        if not shiboken6.isValid(self):
            return
        self.count.setText(self.tr("{0} assets in service or faulty").format(n))

    def _accept(self) -> None:
        v, problems = self.values(), []
        if not v["name"]:
            problems.append(self.tr("Give the plan a name."))
        if not v["selection"]:
            problems.append(self.tr("Choose which assets the plan covers."))
        if v["end_date"] and v["end_date"] < v["start_date"]:
            problems.append(self.tr("The plan ends before it starts."))
        set_problems(self.problems, problems)
        if not problems:
            self.accept()


def create_plan(ctx, values: dict, today: date | None = None) -> dict:
    """Worker: create the plan and, if asked, its first tasks; returns {id, created}."""
    values = dict(values)
    generate = values.pop("generate", False)
    plan_id = plans.create_plan(ctx, **values)
    created = plans.generate_tasks(ctx, plan_id, today)["created"] if generate else 0
    return {"id": plan_id, "created": created}
