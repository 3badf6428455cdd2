"""One generated widget per attribute of an asset type's schema (text, number, yes/no, date, choice, several)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QIntValidator, QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from nibi_desk.domain.asset_types import Attribute


class AttributeField(QObject):
    """The widget generated for one schema attribute, with its value in the form check_asset expects."""

    changed = Signal()

    def __init__(self, attribute: Attribute, parent: QObject | None = None):
        super().__init__(parent)
        self.attribute = attribute
        self.widget = self._build()
        self.widget.setObjectName(f"attr_{attribute.key}")

    def _build(self) -> QWidget:
        a = self.attribute
        if a.kind in ("text", "int", "float"):
            edit = self.edit = QLineEdit()
            if a.kind == "int":
                edit.setValidator(QIntValidator(-2_000_000_000, 2_000_000_000, edit))
            elif a.kind == "float":
                edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[-+]?\d*\.?\d*"), edit))
            if a.min is not None and a.max is not None:
                edit.setPlaceholderText(f"{a.min:g}–{a.max:g}")
            edit.textChanged.connect(self.changed)
            if not a.unit:
                return edit
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(edit, 1)
            row.addWidget(QLabel(a.unit))
            return box
        if a.kind == "bool":
            check = self.check = QCheckBox()
            check.setTristate(True)
            check.setCheckState(Qt.CheckState.PartiallyChecked)
            check.setToolTip(self.tr("Click to cycle: yes, not set, no"))
            check.checkStateChanged.connect(self._bool_text)
            check.checkStateChanged.connect(self.changed)
            self._bool_text()
            return check
        if a.kind == "date":
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            self.has_date = QCheckBox(self.tr("set"))
            self.date = QDateEdit(QDate.currentDate())
            self.date.setCalendarPopup(True)
            self.date.setDisplayFormat("yyyy-MM-dd")
            self.date.setEnabled(False)
            self.has_date.toggled.connect(self.date.setEnabled)
            self.has_date.toggled.connect(self.changed)
            self.date.dateChanged.connect(self.changed)
            row.addWidget(self.has_date)
            row.addWidget(self.date, 1)
            return box
        if a.kind == "enum":
            combo = self.combo = QComboBox()
            combo.addItem(self.tr("— not set —"), None)
            for value in a.values:
                combo.addItem(a.value_title(value), value)
            combo.currentIndexChanged.connect(self.changed)
            return combo
        # multi: one check box per value, three to a row
        box = QWidget()
        layout = QGridLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(12)
        self.checks = {}
        for i, value in enumerate(a.values):
            check = self.checks[value] = QCheckBox(a.value_title(value))
            check.toggled.connect(self.changed)
            layout.addWidget(check, i // 3, i % 3)
        return box

    def _bool_text(self, *_args) -> None:
        state = self.check.checkState()
        self.check.setText(self.tr("yes") if state == Qt.CheckState.Checked else
                           self.tr("no") if state == Qt.CheckState.Unchecked else self.tr("not set"))

    def value(self) -> Any:
        kind = self.attribute.kind
        if kind in ("text", "int", "float"):
            return self.edit.text().strip() or None
        if kind == "bool":
            state = self.check.checkState()
            return None if state == Qt.CheckState.PartiallyChecked else state == Qt.CheckState.Checked
        if kind == "date":
            return self.date.date().toString("yyyy-MM-dd") if self.has_date.isChecked() else None
        if kind == "enum":
            return self.combo.currentData()
        return [v for v, check in self.checks.items() if check.isChecked()] or None

    def set_value(self, value: Any) -> None:
        kind = self.attribute.kind
        if kind in ("text", "int", "float"):
            self.edit.setText("" if value is None else str(value))
        elif kind == "bool":
            self.check.setCheckState(Qt.CheckState.PartiallyChecked if value is None else
                                     Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        elif kind == "date":
            date = QDate.fromString(str(value), "yyyy-MM-dd") if value else QDate()
            self.has_date.setChecked(date.isValid())
            if date.isValid():
                self.date.setDate(date)
        elif kind == "enum":
            index = self.combo.findData(value)
            self.combo.setCurrentIndex(max(index, 0))
        else:
            chosen = set(value or ())
            for v, check in self.checks.items():
                check.setChecked(v in chosen)
