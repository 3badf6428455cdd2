"""The browser's filter bar: type, township, status and operator combos and the inspection options."""

from __future__ import annotations

from dataclasses import replace

import shiboken6
from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QSizePolicy, QWidget

from nibi_desk import i18n
from nibi_desk.domain import asset_types
from nibi_desk.domain.assets import STATUSES
from nibi_desk.storage import assets as store
from nibi_desk.storage import divisions
from nibi_desk.storage.assets import Filters

# Tables that the inspection feature adds; the options that need them stay disabled until a migration creates them.
INSPECTION_TABLE, DEFECT_TABLE = "tasks", "defects"


class FilterBar(QWidget):
    filters_changed = Signal(object)  # a storage.assets.Filters

    def __init__(self, ctx, parent: QWidget | None = None, *, operators_delay_ms: int = 2000):
        super().__init__(parent)
        self.ctx = ctx
        self._filters = Filters()
        conn = ctx.registry.read()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self._types = asset_types.load(conn)
        self.type_combo = self._combo()
        for code in self._types:
            self.type_combo.addItem("", code)
        self.township_combo = self._combo()
        for township in divisions.townships(conn, ctx.registry.county):
            self.township_combo.addItem(township["name"], township["code"])  # proper names: never translated
        self.status_combo = self._combo()
        for code in STATUSES:
            self.status_combo.addItem("", code)
        self.operator_combo = self._combo()
        self.operator_combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.due_check = QCheckBox()
        self.defects_check = QCheckBox()
        self.retranslate()
        for combo in (self.type_combo, self.township_combo, self.status_combo, self.operator_combo):
            layout.addWidget(combo)
        layout.addWidget(self.due_check)
        layout.addWidget(self.defects_check)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)

        self.type_combo.currentIndexChanged.connect(lambda: self._update(types=self._one(self.type_combo)))
        self.township_combo.currentIndexChanged.connect(
            lambda: self._update(township=self.township_combo.currentData()))
        self.status_combo.currentIndexChanged.connect(lambda: self._update(status=self._one(self.status_combo)))
        self.operator_combo.currentIndexChanged.connect(
            lambda: self._update(operator=self.operator_combo.currentData()))
        self.due_check.toggled.connect(lambda on: self._update(inspection_due=on))
        self.defects_check.toggled.connect(lambda on: self._update(open_defects=on))

        self._operators_timer = QTimer(self)  # operators change rarely: reload at most once per burst of edits
        self._operators_timer.setSingleShot(True)
        self._operators_timer.setInterval(operators_delay_ms)
        self._operators_timer.timeout.connect(self.load_operators)
        ctx.notifier.registry_changed.connect(self._on_registry_changed)
        QTimer.singleShot(0, self.load_operators)  # after the browser's first query: the pool has two threads

    @staticmethod
    def _combo() -> QComboBox:
        combo = QComboBox()
        combo.addItem("", None)  # "all", named by retranslate()
        return combo

    def retranslate(self) -> None:
        for combo, everything, title in (
                (self.type_combo, self.tr("All types"), self.tr("Asset type")),
                (self.township_combo, self.tr("All townships"), self.tr("Township")),
                (self.status_combo, self.tr("All statuses"), self.tr("Status")),
                (self.operator_combo, self.tr("All operators"), self.tr("Operator"))):
            combo.setItemText(0, everything)
            combo.setToolTip(title)
            combo.setAccessibleName(title)
        for i in range(1, self.type_combo.count()):
            self.type_combo.setItemText(i, self._types[self.type_combo.itemData(i)].title())
        for i in range(1, self.status_combo.count()):
            self.status_combo.setItemText(i, i18n._(STATUSES[self.status_combo.itemData(i)]))
        self.due_check.setText(self.tr("Inspection due/overdue"))
        self.defects_check.setText(self.tr("Open defects"))
        self.update_availability()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @staticmethod
    def _one(combo: QComboBox) -> tuple[str, ...] | None:
        value = combo.currentData()
        return (value,) if value else None

    # -- state ---------------------------------------------------------------------------------------------------
    def filters(self) -> Filters:
        return self._filters

    def set_filters(self, filters: Filters) -> None:
        """Show ``filters`` in the combos (a value a combo cannot show, e.g. two statuses, is kept as given)."""
        self._filters = filters
        self._select(self.type_combo, filters.types[0] if filters.types and len(filters.types) == 1 else None)
        township = next((self.township_combo.itemData(i) for i in range(1, self.township_combo.count())
                         if filters.township and self.township_combo.itemData(i)[:9] == filters.township[:9]), None)
        self._select(self.township_combo, township)
        self._select(self.status_combo, filters.status[0] if filters.status and len(filters.status) == 1 else None)
        if filters.operator and self.operator_combo.findData(filters.operator) < 0:
            self.operator_combo.addItem(filters.operator, filters.operator)
        self._select(self.operator_combo, filters.operator)
        for check, on in ((self.due_check, filters.inspection_due), (self.defects_check, filters.open_defects)):
            check.blockSignals(True)
            check.setChecked(on)
            check.blockSignals(False)
        self.filters_changed.emit(self._filters)

    @staticmethod
    def _select(combo: QComboBox, value) -> None:
        combo.blockSignals(True)
        combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)
        combo.blockSignals(False)

    def _update(self, **changes) -> None:
        filters = replace(self._filters, **changes)
        if filters != self._filters:
            self._filters = filters
            self.filters_changed.emit(filters)

    @property
    def inspection_due(self) -> bool:
        return self.due_check.isEnabled() and self.due_check.isChecked()

    @property
    def open_defects(self) -> bool:
        return self.defects_check.isEnabled() and self.defects_check.isChecked()

    # -- availability and background loading --------------------------------------------------------------------
    def update_availability(self) -> None:
        """Enable the inspection options once the registry has their tables (added by the inspections migration)."""
        conn = self.ctx.registry.read()
        for check, table in ((self.due_check, INSPECTION_TABLE), (self.defects_check, DEFECT_TABLE)):
            present = store.has_table(conn, table)
            check.setEnabled(present)
            check.setToolTip("" if present else self.tr("Available once inspections arrive in this registry"))
            if not present:
                check.setChecked(False)

    def load_operators(self) -> None:
        registry, holder = self.ctx.registry, []

        def load():  # a full scan: interruptible, so that closing the registry does not wait for it
            return store.distinct_operators(registry.read(), cancelled=lambda: bool(holder and holder[0].cancelled))

        holder.append(self.ctx.tasks.run(load, on_done=self._set_operators, key=f"browser-operators-{id(self)}"))

    def _set_operators(self, operators: list[str] | None) -> None:
        if operators is None or not shiboken6.isValid(self):  # cancelled, or the bar was closed meanwhile
            return
        combo, current = self.operator_combo, self.operator_combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for operator in sorted(set(operators) | ({current} if current else set())):
            combo.addItem(operator, operator)
        combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
        combo.blockSignals(False)

    def operators(self) -> list[str]:
        return [self.operator_combo.itemData(i) for i in range(1, self.operator_combo.count())]

    def _on_registry_changed(self, changed) -> None:
        if changed.touches("assets"):
            self._operators_timer.start()
