"""The inspector's "today" dock: open tasks that are overdue, due today or this week (and later in the period),
with "start inspection" on a task."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QDockWidget, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from nibi_desk.gui.inspection.common import tablet_font, TAP, InspectionTexts, show_error, tap_button
from nibi_desk.inspection import plans

BUCKETS = ("overdue", "today", "this_week", "later")
OVERDUE = QColor("#c62828")


class TodayDock(QDockWidget):
    """``start_requested(asset_id, task_id)``: the inspector wants to inspect a task's asset."""

    start_requested = Signal(str, str)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("todayDock")
        tablet_font(self)
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.texts = InspectionTexts(self)
        self.tasks: list[dict] = []
        self.message = QLabel()
        self.message.setObjectName("todayMessage")
        self.message.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("todayTree")
        self.tree.setColumnCount(3)
        self.tree.setUniformRowHeights(True)
        self.tree.setStyleSheet(f"QTreeWidget::item {{ min-height: {TAP}px; }}")
        self.tree.itemSelectionChanged.connect(self._selected)
        self.tree.itemActivated.connect(lambda *_: self.start_current())
        self.start_button = tap_button("", "startTask")
        self.start_button.clicked.connect(self.start_current)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.start_button)
        self.setWidget(body)
        self.setMinimumWidth(340)
        ctx.notifier.registry_changed.connect(self._registry_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Today's tasks"))
        self.tree.setHeaderLabels([self.tr("Asset"), self.tr("Due"), self.tr("Plan")])
        self.start_button.setText(self.tr("Start inspection"))
        self._fill()

    def reload(self) -> None:
        if self.ctx.user is None:
            self.tasks = []
            self._fill()
            return
        registry, user_id = self.ctx.registry, self.ctx.user.user_id
        self.ctx.tasks.run(lambda: plans.today_list(registry.read(), user_id), key=f"today-{id(self)}",
                           on_done=self._loaded, on_error=lambda e: show_error(self.ctx, e))

    def _loaded(self, tasks: list[dict]) -> None:
        self.tasks = tasks
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        if self.ctx.user is None:
            self.message.setText(self.tr("Sign in to see your tasks."))
        elif not self.tasks:
            self.message.setText(self.tr("No open tasks for you. Well done."))
        else:
            overdue = sum(1 for t in self.tasks if t["bucket"] == "overdue")
            self.message.setText(self.tr("{0} open tasks, {1} overdue").format(len(self.tasks), overdue))
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for bucket in BUCKETS:
            found = [t for t in self.tasks if t["bucket"] == bucket]
            if not found:
                continue
            group = QTreeWidgetItem([f"{self.texts.bucket(bucket)} ({len(found)})"])
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            if bucket == "overdue":
                group.setForeground(0, QBrush(OVERDUE))
            self.tree.addTopLevelItem(group)
            for task in found:
                name = f"{task['asset_name']} ({task['asset_code'] or '—'})"
                item = QTreeWidgetItem([name, task["due_date"], task["plan_name"]])
                item.setData(0, Qt.ItemDataRole.UserRole, task["id"])
                item.setToolTip(0, task["address"] or name)
                if bucket == "overdue":
                    item.setForeground(1, QBrush(OVERDUE))
                group.addChild(item)
            group.setExpanded(bucket != "later" or len(self.tasks) <= 30)  # a long "later" list stays folded
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self._selected()

    def current(self) -> dict | None:
        item = self.tree.currentItem()
        task_id = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return next((t for t in self.tasks if t["id"] == task_id), None)

    def select(self, task_id: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, Qt.ItemDataRole.UserRole) == task_id:
                    self.tree.setCurrentItem(group.child(j))

    def _selected(self) -> None:
        self.start_button.setEnabled(self.current() is not None)

    def start_current(self) -> None:
        task = self.current()
        if task is not None:
            self.start_requested.emit(task["asset"], task["id"])

    def _registry_changed(self, changed) -> None:
        if changed.touches("tasks") or changed.touches("plans") or changed.touches("inspections"):
            self.reload()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
