"""The inspection form, generated from the template's ``Form``: sections of items, a live score/result header,
inline problems, and the answers handed on for saving (typing after a pause or on leaving the field; buttons at once).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QScroller, QVBoxLayout, QWidget

from nibi_desk.errors import NibiError, Problem
from nibi_desk.gui.inspection.common import ANSWER_STYLE, InspectionTexts, alert_colours
from nibi_desk.gui.inspection.fields import OUTCOME_COLOURS, FieldRow
from nibi_desk.inspection.form import FAIL, Evaluation, Form, label_text

TYPING_DEBOUNCE_MS = 800
RESULT_COLOURS = {"normal": OUTCOME_COLOURS["pass"], "defects": OUTCOME_COLOURS["fail"], "unreachable": "#757575"}


class FormWidget(QWidget):
    """``answer_changed(key, answer)`` asks for a save of one item ({value, note, na}); ``photo_requested(key)``
    and ``defect_requested(key)`` come from the items' buttons; ``evaluated(Evaluation)`` after every change."""

    answer_changed = Signal(str, object)
    photo_requested = Signal(str)
    defect_requested = Signal(str)
    evaluated = Signal(object)

    def __init__(self, form: Form, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("inspectionForm")
        self.setStyleSheet(ANSWER_STYLE)
        self.form = form
        self.texts = InspectionTexts(self)
        self.answers: dict[str, dict] = {}
        self.photo_counts: dict[str, int] = {}
        self.defects: dict[str, dict] = {}      # item → the defect raised from it {id, severity, status}
        self.unreachable_reason: str | None = None
        self.editable = True
        self.show_all = False                   # after a submit attempt: also "required" problems of empty items
        self.parse_errors: dict[str, str] = {}  # items whose typed value cannot be stored
        self.evaluation: Evaluation = form.evaluate({})
        self.rows: dict[str, FieldRow] = {}
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush_typing)

        self.header = QLabel()
        self.header.setObjectName("formHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("formScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 6, 0)
        self.section_boxes: list[tuple[QLabel, dict]] = []
        for key, label, fields in form.sections:
            heading = QLabel()
            heading.setObjectName(f"heading_{key}")
            font = heading.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.15)
            heading.setFont(font)
            column.addWidget(heading)
            box = QFrame()
            box.setObjectName(f"section_{key}")
            box.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(box)
            inner.setSpacing(2)
            for f in fields:
                row = FieldRow(f)
                row.edited.connect(self._edited)
                row.photo_requested.connect(self.photo_requested)
                row.defect_requested.connect(self.defect_requested)
                self.rows[f.key] = row
                inner.addWidget(row)
            self.section_boxes.append((heading, label))
            column.addWidget(box)
        column.addStretch(1)
        self.scroll.setWidget(content)
        QScroller.grabGesture(self.scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        self.retranslate()

    # -- loading -------------------------------------------------------------------------------------------
    def load(self, answers: dict, photo_counts: dict, defects_by_item: dict, unreachable_reason: str | None,
             editable: bool) -> None:
        self.answers = {k: dict(v) for k, v in (answers or {}).items()}
        self.photo_counts = dict(photo_counts or {})
        self.defects = dict(defects_by_item or {})
        self.unreachable_reason = unreachable_reason
        self.editable = editable
        for key, row in self.rows.items():
            row.set_answer(self.answers.get(key))
        self.refresh()

    def set_photo_counts(self, counts: dict) -> None:
        self.photo_counts = dict(counts)
        self.refresh()

    def set_defects(self, defects_by_item: dict) -> None:
        self.defects = dict(defects_by_item)
        self.refresh()

    def set_unreachable(self, reason: str | None) -> None:
        self.unreachable_reason = reason
        self.refresh()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.refresh()

    # -- editing -------------------------------------------------------------------------------------------
    def _edited(self, key: str, immediate: bool) -> None:
        row = self.rows[key]
        answer = row.answer()
        try:
            stored = self.form.answer(key, answer["value"], answer["note"], answer["na"])
        except NibiError as e:  # a value that cannot be stored (half a number): say so, keep the last good one
            self.parse_errors[key] = e.message()
            self._pending.discard(key)
            self.refresh()
            return
        self.parse_errors.pop(key, None)
        if stored is None:
            self.answers.pop(key, None)
        else:
            self.answers[key] = stored
        self.refresh()
        self._pending.add(key)
        if immediate:
            self._timer.stop()
            self.flush_typing()
        else:
            self._timer.start()

    def flush_typing(self) -> None:
        """Hand every item changed since the last save to ``answer_changed`` (the debounce timer's end)."""
        self._timer.stop()
        pending, self._pending = self._pending, set()
        for key in sorted(pending):
            row = self.rows[key]
            answer = row.answer()
            self.answer_changed.emit(key, answer)

    # -- problems ------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Evaluate the answers and show outcomes, problems and the header (cheap; after every change)."""
        self.evaluation = ev = self.form.evaluate(self.answers, self.photo_counts, self.unreachable_reason)
        for key, row in self.rows.items():
            messages = [p.message() for p in self.problems_of(key)]
            row.set_state(ev.outcomes.get(key), messages, self.photo_counts.get(key, 0), self.defects.get(key),
                          self.editable and self.unreachable_reason is None)
        self._render_header()
        self.evaluated.emit(ev)

    def problems_of(self, key: str) -> list[Problem]:
        shown = [p for p in self.evaluation.problems_of(key) if self.show_all or self._touched(key)]
        if key in self.parse_errors:
            shown.append(Problem(key, "{message}", {"message": self.parse_errors[key]}))
        return shown

    def _touched(self, key: str) -> bool:
        return key in self.answers

    def all_problems(self) -> list[Problem]:
        """Everything that blocks submitting, as the form sees it (plus values that could not be stored)."""
        problems = list(self.evaluation.problems)
        problems += [Problem(k, "{message}", {"message": m}) for k, m in self.parse_errors.items()]
        return problems

    def show_problems(self) -> None:
        """After a submit attempt: every problem next to its item, required ones included. The core's verdict and
        the form's are the same rules on the same answers, so the items keep following the live evaluation."""
        self.show_all = True
        self.refresh()

    def scroll_to(self, key: str) -> None:
        row = self.rows.get(key)
        if row is not None:
            self.scroll.ensureWidgetVisible(row, 0, 40)

    def _render_header(self) -> None:
        ev = self.evaluation
        colour = RESULT_COLOURS.get(ev.result, "")
        failed = sum(1 for o in ev.outcomes.values() if o == FAIL)
        problems = len(self.all_problems())
        parts = [self.tr("Score: <b>{0}</b>").format(self.texts.score(ev.score)),
                 self.tr("Result: <b style='color:{0}'>{1}</b>").format(colour, self.texts.result(ev.result)),
                 self.tr("{0} of {1} answered").format(ev.answered, ev.total)]
        if failed:
            parts.append(self.tr("{0} failed").format(failed))
        if problems:
            parts.append(self.tr("<span style='color:{0}'>{1} to complete</span>").format(alert_colours()[0],
                                                                                          problems))
        self.header.setText(" · ".join(parts))

    def retranslate(self) -> None:
        for heading, label in self.section_boxes:
            heading.setText(label_text(label))
        for row in self.rows.values():
            row.retranslate()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
