"""One checklist item of the generated form: the input widget its kind needs, note, N/A, photos, problems, defect."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, \
    QPushButton, QSizePolicy, QVBoxLayout, QWidget

from nibi_desk.gui.detail_sections import alert_colours
from nibi_desk.gui.inspection.common import TAP, problem_label, set_problems, severity_title, status_title, tap_button
from nibi_desk.inspection.form import FAIL, INFO, NA, PASS, Field

OUTCOME_COLOURS = {PASS: "#2e7d32", FAIL: "#c62828", NA: "#757575", INFO: "#546e7a"}
NUMBER = QRegularExpression(r"[-+−]?\d{0,9}([.,]\d{0,6})?")
OPTION_COLUMNS = 3


def _num(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"


class FieldRow(QFrame):
    """The widgets of one item. ``edited(key, immediate)``: the answer changed (buttons: immediate; typing: not)."""

    edited = Signal(str, bool)
    photo_requested = Signal(str)
    defect_requested = Signal(str)

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setObjectName(f"item_{field.key}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._loading = False
        self._inputs: list[QWidget] = []
        self.option_buttons: dict[str, QPushButton] = {}
        self.pass_button = self.fail_button = self.number = self.text = self.none_button = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 8)
        layout.setSpacing(4)
        self.title = QLabel()
        self.title.setObjectName("itemTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.outcome, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        self.hint = QLabel()
        self.hint.setObjectName("itemHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.hint)
        input_widget = self._build_input()
        if input_widget is not None:
            layout.addWidget(input_widget)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMinimumHeight(TAP)
        self.note.textChanged.connect(lambda: self._changed(False))
        self.note.editingFinished.connect(lambda: self._changed(True))
        self.na_button = tap_button("", "na", checkable=True) if field.allow_na else None
        if self.na_button is not None:
            self.na_button.setProperty("answer", True)
            self.na_button.setProperty("neutral", True)
        self.photo_button = tap_button("", "photos", icon_name="fa5s.camera")
        self.photo_button.clicked.connect(lambda: self.photo_requested.emit(field.key))
        self.defect_button = tap_button("", "raiseDefect", icon_name="fa5s.exclamation-triangle")
        self.defect_button.clicked.connect(lambda: self.defect_requested.emit(field.key))
        self.defect_badge = QLabel()
        self.defect_badge.setObjectName("defectBadge")
        self.defect_badge.setStyleSheet(f"color: {alert_colours()[1]}; font-weight: bold;")
        tools = QHBoxLayout()
        if field.kind != "text":
            tools.addWidget(self.note, 1)
        else:
            self.note.hide()
            tools.addStretch(1)
        if self.na_button is not None:
            self.na_button.toggled.connect(self._na_toggled)
            tools.addWidget(self.na_button)
        tools.addWidget(self.photo_button)
        tools.addWidget(self.defect_button)
        layout.addLayout(tools)
        layout.addWidget(self.defect_badge)
        self.problem = problem_label("problem")
        layout.addWidget(self.problem)
        self._photos, self._outcome, self._defect, self._editable, self._colour = 0, None, None, True, None
        self.retranslate()
        self.set_state(None, [], 0, None, True)

    # -- building ------------------------------------------------------------------------------------------
    def _buttons(self, exclusive: bool) -> tuple[QWidget, QButtonGroup]:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        group = QButtonGroup(box)
        group.setExclusive(exclusive)
        return box, group

    def _add_button(self, box: QWidget, group: QButtonGroup | None, name: str, index: int,
                    fails: bool = False) -> QPushButton:
        button = tap_button("", name, checkable=True)
        button.setProperty("answer", True)
        button.setProperty("fails", fails)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        if group is not None:
            group.addButton(button)
        box.layout().addWidget(button, index // OPTION_COLUMNS, index % OPTION_COLUMNS)
        self._inputs.append(button)
        return button

    def _build_input(self) -> QWidget | None:
        f = self.field
        if f.kind == "pass_fail":
            box, group = self._buttons(True)
            self.pass_button = self._add_button(box, group, "pass", 0)
            self.fail_button = self._add_button(box, group, "fail", 1, fails=True)
            group.buttonClicked.connect(lambda _b: self._changed(True))
            return box
        if f.kind in ("choice", "multi"):
            box, group = self._buttons(f.kind == "choice")
            for i, option in enumerate(f.options):
                self.option_buttons[option.value] = self._add_button(box, group, f"option_{option.value}", i,
                                                                     fails=option.fails)
            if f.kind == "multi":
                self.none_button = self._add_button(box, None, "option_none", len(f.options))
                self.none_button.clicked.connect(self._none_clicked)
            group.buttonClicked.connect(self._option_clicked)
            return box
        if f.kind == "number":
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            self.number = QLineEdit()
            self.number.setObjectName("number")
            self.number.setMinimumHeight(TAP)
            self.number.setMaximumWidth(200)
            self.number.setValidator(QRegularExpressionValidator(NUMBER, self.number))
            self.number.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
            self.number.textChanged.connect(lambda: self._changed(False))
            self.number.editingFinished.connect(lambda: self._changed(True))
            self._inputs.append(self.number)
            row.addWidget(self.number)
            row.addWidget(QLabel(f.unit or ""))
            row.addStretch(1)
            return box
        if f.kind == "text":
            self.text = QPlainTextEdit()
            self.text.setObjectName("text")
            self.text.setFixedHeight(72)
            self.text.setTabChangesFocus(True)
            self.text.textChanged.connect(lambda: self._changed(False))
            self.text.installEventFilter(self)
            self._inputs.append(self.text)
            return self.text
        return None  # a photo item: answered by its photos

    def retranslate(self) -> None:
        f = self.field
        self.title.setText(f.title() + (" *" if f.required else ""))
        self.setToolTip(f.help_text())
        hints = []
        if f.kind == "number":
            hints.append(self.tr("Range {0}–{1} {2}").format(_num(f.min), _num(f.max), f.unit or "").strip())
            if f.pass_min is not None and f.pass_max is not None:
                hints.append(self.tr("passes at {0}–{1}").format(_num(f.pass_min), _num(f.pass_max)))
            elif f.pass_max is not None:
                hints.append(self.tr("passes at ≤ {0}").format(_num(f.pass_max)))
            elif f.pass_min is not None:
                hints.append(self.tr("passes at ≥ {0}").format(_num(f.pass_min)))
        if f.needs_photo:
            hints.append(self.tr("photo required") if f.required or f.kind != "photo" else self.tr("photo"))
        if f.help_text():
            hints.append(f.help_text())
        self.hint.setText(" · ".join(hints))
        self.hint.setVisible(bool(hints))
        if self.pass_button is not None:
            self.pass_button.setText(self.tr("✓ Pass"))
            self.fail_button.setText(self.tr("✗ Fail"))
        for value, button in self.option_buttons.items():
            button.setText(f.option(value).title())
        if self.none_button is not None:
            self.none_button.setText(self.tr("None of these"))
        if self.number is not None:
            self.number.setPlaceholderText(f"{_num(f.min)}–{_num(f.max)}")
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        if self.na_button is not None:
            self.na_button.setText(self.tr("N/A"))
            self.na_button.setToolTip(self.tr("Not applicable at this asset"))
        self.photo_button.setText(self.tr("Photos ({0})").format(self._photos))
        self.defect_button.setText(self.tr("Raise defect…"))

    # -- values --------------------------------------------------------------------------------------------
    def raw_value(self) -> Any:
        f = self.field
        if f.kind == "pass_fail":
            return True if self.pass_button.isChecked() else False if self.fail_button.isChecked() else None
        if f.kind == "choice":
            return next((v for v, b in self.option_buttons.items() if b.isChecked()), None)
        if f.kind == "multi":
            chosen = [v for v, b in self.option_buttons.items() if b.isChecked()]
            return chosen or ([] if self.none_button.isChecked() else None)
        if f.kind == "number":
            return self.number.text().strip().replace("−", "-") or None
        if f.kind == "text":
            return self.text.toPlainText().strip() or None
        return None

    def answer(self) -> dict:
        na = bool(self.na_button and self.na_button.isChecked())
        return {"value": None if na else self.raw_value(), "note": self.note.text().strip() or None, "na": na}

    def set_answer(self, answer: dict | None) -> None:
        """Show a stored answer without reporting it as an edit."""
        answer = answer or {}
        value = answer.get("value")
        self._loading = True
        try:
            if self.pass_button is not None:
                for button, on in ((self.pass_button, value is True), (self.fail_button, value is False)):
                    button.group().setExclusive(False)
                    button.setChecked(on)
                    button.group().setExclusive(True)
            chosen = value if isinstance(value, list) else [value]
            for option, button in self.option_buttons.items():
                group = button.group()
                exclusive = group.exclusive()
                group.setExclusive(False)
                button.setChecked(option in chosen)
                group.setExclusive(exclusive)
            if self.none_button is not None:
                self.none_button.setChecked(value == [])
            if self.number is not None:
                self.number.setText("" if value is None else f"{value:g}")
            if self.text is not None:
                self.text.setPlainText(value or "")
            self.note.setText(answer.get("note") or "")
            if self.na_button is not None:
                self.na_button.setChecked(bool(answer.get("na")))
                self._enable_inputs()
        finally:
            self._loading = False

    def set_state(self, outcome: str | None, problems: list[str], photos: int, defect: dict | None,
                  editable: bool) -> None:
        """What the form says about this item: its outcome, problems, photo count, the defect raised from it."""
        self._outcome, self._photos, self._defect, self._editable = outcome, photos, defect, editable
        titles = {PASS: self.tr("Pass"), FAIL: self.tr("Fail"), NA: self.tr("N/A"), INFO: ""}
        self.outcome.setText(titles.get(outcome, "") if outcome else "")
        colour = OUTCOME_COLOURS.get(outcome or "", "")
        if colour != self._colour:  # restyling repolishes the row: only when the outcome's colour changes
            self._colour = colour
            self.outcome.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
            self.setStyleSheet(f"#item_{self.field.key} {{ border-left: 4px solid {colour or 'transparent'}; }}")
        set_problems(self.problem, problems)
        self.photo_button.setText(self.tr("Photos ({0})").format(photos))
        self.photo_button.setVisible(self.field.needs_photo or outcome == FAIL or photos > 0)
        self.photo_button.setEnabled(editable or photos > 0)
        self.defect_button.setVisible(editable and outcome == FAIL and defect is None)
        if defect is not None:
            self.defect_badge.setText(self.tr("Defect raised: {severity} · {status}").format(
                severity=severity_title(defect["severity"]), status=status_title(defect["status"])))
        self.defect_badge.setVisible(defect is not None)
        for widget in (*self._inputs, self.note, *([self.na_button] if self.na_button else [])):
            widget.setEnabled(editable)
        if editable:
            self._enable_inputs()

    # -- reactions -----------------------------------------------------------------------------------------
    def _changed(self, immediate: bool) -> None:
        if not self._loading:
            self.edited.emit(self.field.key, immediate)

    def _option_clicked(self, button: QPushButton) -> None:
        if self.none_button is not None and button.isChecked():
            self.none_button.setChecked(False)
        self._changed(True)

    def _none_clicked(self, checked: bool) -> None:
        if checked:
            for button in self.option_buttons.values():
                button.setChecked(False)
        self._changed(True)

    def _na_toggled(self, _checked: bool) -> None:
        self._enable_inputs()
        self._changed(True)

    def _enable_inputs(self) -> None:
        na = bool(self.na_button and self.na_button.isChecked())
        for widget in self._inputs:
            widget.setEnabled(self._editable and not na)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text and event.type() == QEvent.Type.FocusOut:
            self._changed(True)
        return super().eventFilter(watched, event)
