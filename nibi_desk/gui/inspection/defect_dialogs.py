"""Small dialogs of the rectification loop (raise, notice, rectify, reopen) and the before/after photo pairs."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QLabel, \
    QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from nibi_desk.gui.inspection.common import TAP, THUMB, load_thumbnail, problem_label, set_problems, severity_title, \
    short_time, tap_button, thumb_label
from nibi_desk.gui.inspection.photo_import import choose_files
from nibi_desk.inspection.defects import DEADLINE_DAYS, SEVERITIES
from nibi_desk.inspection.form import Form


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumHeight(TAP)
    return edit


def _iso(edit: QDateEdit) -> str:
    return edit.date().toString("yyyy-MM-dd")


class _Dialog(QDialog):
    """A form, a red problem line and OK/Cancel; ``check()`` returns the problems that keep it open."""

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.problems = problem_label("dialogProblems")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        for button in self.buttons.buttons():
            button.setMinimumHeight(TAP)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def check(self) -> list[str]:
        return []

    def _accept(self) -> None:
        problems = self.check()
        set_problems(self.problems, problems)
        if not problems:
            self.accept()


class RaiseDefectDialog(_Dialog):
    """Category, severity (一般/较大/重大), description, deadline and photos of a defect from a failed item.
    ``photos_requested`` asks the window to add photos to the item (they become the defect's "before" photos)."""

    photos_requested = Signal()

    def __init__(self, form: Form, key: str, note: str | None, photos: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("raiseDefectDialog")
        field = form.field(key)
        self.setWindowTitle(self.tr("Raise a defect: {0}").format(field.title()))
        self.category = QComboBox()
        self.category.setObjectName("category")
        for code in form.categories:
            self.category.addItem(form.category_title(code), code)
        if self.category.findData("other") < 0:
            self.category.addItem(self.tr("Other"), "other")
        self.category.setCurrentIndex(max(0, self.category.findData(field.defect_category or "other")))
        self.severity = QComboBox()
        self.severity.setObjectName("severity")
        for code in SEVERITIES:
            self.severity.addItem(severity_title(code), code)
        self.severity.setCurrentIndex(max(0, self.severity.findData(field.severity_hint)))
        self.description = QPlainTextEdit(f"{field.title()}: {note}" if note else field.title())
        self.description.setObjectName("description")
        self.description.setFixedHeight(90)
        self.deadline = _date_edit(self._default_deadline())
        self.deadline.setObjectName("deadline")
        self._deadline_touched = False
        self.deadline.dateChanged.connect(lambda: setattr(self, "_deadline_touched", True))
        self.severity.currentIndexChanged.connect(self._severity_changed)
        self.photo_count = QLabel()
        self.photo_button = tap_button(self.tr("Add photos…"), "defectPhotos", icon_name="fa5s.camera")
        self.photo_button.clicked.connect(self.photos_requested)
        for combo in (self.category, self.severity):
            combo.setMinimumHeight(TAP)
        self.form.addRow(self.tr("Category"), self.category)
        self.form.addRow(self.tr("Severity"), self.severity)
        self.form.addRow(self.tr("Description"), self.description)
        self.form.addRow(self.tr("Deadline"), self.deadline)
        self.form.addRow(self.tr("Photos"), self.photo_count)
        self.form.addRow("", self.photo_button)
        self.set_photo_count(photos)

    def _default_deadline(self) -> date:
        return date.today() + timedelta(days=DEADLINE_DAYS[self.severity.currentData() or "general"])

    def _severity_changed(self) -> None:
        if not self._deadline_touched:
            day = self._default_deadline()
            self.deadline.blockSignals(True)
            self.deadline.setDate(QDate(day.year, day.month, day.day))
            self.deadline.blockSignals(False)

    def set_photo_count(self, n: int) -> None:
        self.photo_count.setText(self.tr("{0} photo(s) of this item go with the defect as \"before\" photos")
                                 .format(n))

    def check(self) -> list[str]:
        return [] if self.description.toPlainText().strip() else [self.tr("Describe the defect.")]

    def values(self) -> dict:
        return {"category": self.category.currentData(), "severity": self.severity.currentData(),
                "description": self.description.toPlainText().strip(), "deadline": _iso(self.deadline)}


class NoticeDialog(_Dialog):
    def __init__(self, defect: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("noticeDialog")
        self.setWindowTitle(self.tr("Issue a rectification notice"))
        self.number = QLineEdit(defect.get("notice_no") or "")
        self.number.setObjectName("noticeNo")
        self.day = _date_edit(date.today())
        self.day.setObjectName("noticeDate")
        self.unit = QLineEdit(defect.get("responsible_unit") or "")
        self.unit.setObjectName("responsibleUnit")
        for edit in (self.number, self.unit):
            edit.setMinimumHeight(TAP)
        self.form.addRow(self.tr("Notice number"), self.number)
        self.form.addRow(self.tr("Date"), self.day)
        self.form.addRow(self.tr("Responsible unit"), self.unit)

    def check(self) -> list[str]:
        missing = []
        if not self.number.text().strip():
            missing.append(self.tr("Enter the notice number."))
        if not self.unit.text().strip():
            missing.append(self.tr("Enter the unit responsible for the rectification."))
        return missing

    def values(self) -> dict:
        return {"notice_no": self.number.text().strip(), "responsible_unit": self.unit.text().strip(),
                "notice_date": _iso(self.day)}


class RectifyDialog(_Dialog):
    """A note and the "after" photos (files chosen here, stored when the dialog is accepted)."""

    def __init__(self, after_photos: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rectifyDialog")
        self.setWindowTitle(self.tr("Record the rectification"))
        self.after_photos = after_photos
        self.paths: list[Path] = []
        self.note = QPlainTextEdit()
        self.note.setObjectName("rectificationNote")
        self.note.setFixedHeight(90)
        self.files = QLabel()
        self.files.setWordWrap(True)
        self.add = tap_button(self.tr("Add \"after\" photos…"), "afterPhotos", icon_name="fa5s.camera")
        self.add.clicked.connect(lambda: self.add_paths(choose_files(self)))
        self.form.addRow(self.tr("What was done"), self.note)
        self.form.addRow(self.tr("After photos"), self.files)
        self.form.addRow("", self.add)
        self.add_paths([])

    def add_paths(self, paths: list[Path]) -> None:
        self.paths += [Path(p) for p in paths if Path(p) not in self.paths]
        names = ", ".join(p.name for p in self.paths)
        self.files.setText(self.tr("{0} already attached; new: {1}").format(self.after_photos, names or "—"))

    def check(self) -> list[str]:
        if not self.paths and not self.after_photos:
            return [self.tr("A rectification needs at least one photo taken after it.")]
        return []

    def values(self) -> dict:
        return {"note": self.note.toPlainText().strip() or None, "paths": list(self.paths)}


class ReopenDialog(_Dialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reopenDialog")
        self.setWindowTitle(self.tr("Reopen the defect"))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reopenReason")
        self.reason.setFixedHeight(90)
        self.form.addRow(self.tr("Why"), self.reason)

    def check(self) -> list[str]:
        return [] if self.reason.toPlainText().strip() else [self.tr("Say why the defect is reopened.")]

    def values(self) -> dict:
        return {"reason": self.reason.toPlainText().strip()}


class PhotoPairs(QWidget):
    """Before and after photos side by side (``defects.photo_pairs``), thumbnails made in the background."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("photoPairs")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)

    def show_pairs(self, pairs: list[dict]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().hide()  # deleted later: not drawn meanwhile
                item.widget().deleteLater()
        before, after = QLabel(self.tr("Before")), QLabel(self.tr("After"))
        for column, label in enumerate((before, after)):
            label.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(label, 0, column)
        if not pairs:
            self.grid.addWidget(QLabel(self.tr("No photos")), 1, 0, 1, 2)
        for row, pair in enumerate(pairs, start=1):
            for column, key in enumerate(("before", "after")):
                photo = pair[key]
                cell = thumb_label(THUMB)
                if photo is None:
                    cell.setText("—")
                else:
                    cell.setToolTip(short_time(photo.get("taken_at")))
                    load_thumbnail(self.ctx, photo["sha256"], cell)
                self.grid.addWidget(cell, row, column, Qt.AlignmentFlag.AlignLeft)
