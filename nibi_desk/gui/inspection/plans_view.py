"""The plans window: every plan with its progress (done of due, overdue), per-period progress of the chosen plan,
"new plan" and "generate tasks" for office users."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QProgressBar, \
    QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from nibi_desk.gui.inspection.common import tablet_font, TAP, InspectionTexts, show_error, tap_button
from nibi_desk.gui.inspection.plan_dialog import NewPlanDialog, create_plan
from nibi_desk.inspection import plans
from nibi_desk.inspection.users import OFFICE
from nibi_desk.storage.assets import Filters


def load_plans(registry) -> list[dict]:
    conn = registry.read()
    return [{**plan, "progress": plans.progress(conn, plan["id"])} for plan in plans.list_plans(conn, True)]


def progress_bar(done: int, base: int) -> QProgressBar:
    bar = QProgressBar()
    bar.setObjectName("planProgress")
    bar.setRange(0, max(base, 1))
    bar.setValue(done)
    bar.setFormat(f"{done} / {base}  (%p%)")
    bar.setMinimumHeight(TAP - 8)
    return bar


class PlansView(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None, filters: Filters | None = None,
                 selected_ids: list[str] | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.filters, self.selected_ids = filters, selected_ids
        self.setObjectName("plansView")
        tablet_font(self)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.texts = InspectionTexts(self)
        self.rows: list[dict] = []
        self._select_after: str | None = None
        self.table = self._table("planTable", 7)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(5, 220)
        self.table.itemSelectionChanged.connect(self._selected)
        self.periods = self._table("periodTable", 5)
        self.periods.horizontalHeader().setMinimumSectionSize(110)
        self.periods.horizontalHeader().setStretchLastSection(True)
        self.new_button = tap_button("", "newPlan")
        self.generate_button = tap_button("", "generateTasks")
        self.new_button.clicked.connect(lambda: self.new_plan())
        self.generate_button.clicked.connect(self.generate)
        self.note = QLabel()
        self.note.setObjectName("plansNote")
        self.note.setStyleSheet("color: palette(placeholder-text);")
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.note, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.periods)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        office = ctx.user is not None and ctx.user.role == OFFICE
        self.new_button.setEnabled(office)
        self.generate_button.setEnabled(False)
        ctx.notifier.registry_changed.connect(self._registry_changed)
        self.retranslate()
        self.resize(1100, 640)
        self.reload()

    @staticmethod
    def _table(name: str, columns: int) -> QTableWidget:
        table = QTableWidget(0, columns)
        table.setObjectName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(TAP + 2)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setMinimumSectionSize(72)
        return table

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Inspection plans"))
        self.table.setHorizontalHeaderLabels([self.tr("Plan"), self.tr("Cycle"), self.tr("From"), self.tr("To"),
                                              self.tr("Inspector"), self.tr("Progress"), self.tr("Overdue")])
        self.periods.setHorizontalHeaderLabels([self.tr("Period"), self.tr("Due"), self.tr("Done"),
                                                self.tr("Open"), self.tr("Overdue")])
        self.new_button.setText(self.tr("New plan…"))
        self.generate_button.setText(self.tr("Generate tasks"))
        self.generate_button.setToolTip(self.tr("Create the missing tasks of the current and the next period"))
        if self.ctx.user is None or self.ctx.user.role != OFFICE:
            self.note.setText(self.tr("Only office users plan inspections."))
        self._fill()

    # -- loading -------------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.ctx.tasks.run(load_plans, self.ctx.registry, key=f"plans-view-{id(self)}", on_done=self._loaded,
                           on_error=lambda e: show_error(self.ctx, e))

    def _loaded(self, rows: list[dict]) -> None:
        self.rows = rows
        self._fill()
        if self._select_after:
            self.select(self._select_after)
            self._select_after = None

    def _fill(self) -> None:
        current = self.current()
        self.table.setRowCount(len(self.rows))
        for r, plan in enumerate(self.rows):
            p = plan["progress"]
            cells = (plan["name"], self.texts.cycle(plan["cycle"]), plan["start_date"], plan["end_date"] or "—",
                     plan["inspector_name"] or "—", None, str(p["overdue"]))
            for c, text in enumerate(cells):
                if text is None:
                    self.table.setCellWidget(r, c, progress_bar(p["done"], p["total"] - p["skipped"]))
                    continue
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, plan["id"])
                if c == 6 and p["overdue"]:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, item)
        if current is not None:
            for r, plan in enumerate(self.rows):
                if plan["id"] == current["id"]:
                    self.table.selectRow(r)
        self._selected()

    def current(self) -> dict | None:
        items = self.table.selectedItems()
        if not items:
            return None
        plan_id = items[0].data(Qt.ItemDataRole.UserRole)
        return next((p for p in self.rows if p["id"] == plan_id), None)

    def select(self, plan_id: str) -> None:
        for r, plan in enumerate(self.rows):
            if plan["id"] == plan_id:
                self.table.selectRow(r)

    def _selected(self) -> None:
        plan = self.current()
        office = self.ctx.user is not None and self.ctx.user.role == OFFICE
        self.generate_button.setEnabled(office and plan is not None)
        periods = plan["progress"]["periods"] if plan else []
        self.periods.setRowCount(len(periods))
        for r, period in enumerate(periods):
            base = period["total"] - period["skipped"]
            for c, text in enumerate((period["period"], period["due_date"], f"{period['done']} / {base}",
                                      str(period["open"]), str(period["overdue"]))):
                self.periods.setItem(r, c, QTableWidgetItem(text))

    def _registry_changed(self, changed) -> None:
        if changed.touches("plans") or changed.touches("tasks"):
            self.reload()

    # -- actions -------------------------------------------------------------------------------------------
    def new_plan(self, values: dict | None = None) -> None:
        if values is None:
            dialog = NewPlanDialog(self.ctx, self, self.filters, self.selected_ids)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            values = dialog.values()

        def done(result: dict) -> None:
            self.note.setText(self.tr("Plan created with {0} tasks.").format(result["created"]))
            self._select_after = result["id"]
            self.reload()

        self.ctx.tasks.run(create_plan, self.ctx, values, on_done=done, on_error=lambda e: show_error(self.ctx, e))

    def generate(self) -> None:
        plan = self.current()
        if plan is None:
            return

        def done(result: dict) -> None:
            self.note.setText(self.tr("{0} new tasks ({1}).").format(result["created"], ", ".join(result["periods"])))

        self.ctx.tasks.run(plans.generate_tasks, self.ctx, plan["id"], on_done=done,
                           on_error=lambda e: show_error(self.ctx, e))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
