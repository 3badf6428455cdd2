"""Parts of the inspection window: what one load reads, the asset card, the unreachable box, the problem summary."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QGroupBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, \
    QVBoxLayout, QWidget

from nibi_desk.domain import asset_types
from nibi_desk.errors import Problem, field_title
from nibi_desk.gui.inspection.common import TAP, alert_colours, flag_text, short_time
from nibi_desk.inspection import evidence, inspections
from nibi_desk.inspection.form import Form
from nibi_desk.inspection.inspections import TOO_FAR
from nibi_desk.photos.store import PhotoStore
from nibi_desk.storage import assets

TYPING_DEBOUNCE_MS = 800


def load_inspection(registry, inspection_id: str) -> dict:
    """Everything the window shows about one inspection (a few indexed reads)."""
    conn = registry.read()
    row = inspections.get(conn, inspection_id)
    asset = assets.get(conn, row["asset"])
    types = asset_types.load(conn)
    signature = None
    if row["signature"]:
        try:
            signature = PhotoStore.for_registry(registry.path).path_of(row["signature"]).read_bytes()
        except (OSError, LookupError):  # the store lost the file: the hash in the record still stands
            signature = None
    return {"row": row, "form": inspections.form_of(conn, row), "asset": asset,
            "type_title": types[asset["type"]].title() if asset["type"] in types else asset["type"],
            "photos": evidence.of_inspection(conn, inspection_id), "signature": signature,
            "defects": defects_by_item(conn, inspection_id)}


def defects_by_item(conn, inspection_id: str) -> dict[str, dict]:
    rows = conn.execute("SELECT id, item, severity, status FROM defects WHERE inspection = ? AND deleted = 0 "
                        "ORDER BY seq", (inspection_id,))
    return {r["item"]: dict(r) for r in rows}


def photo_counts(photos: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for photo in photos:
        if photo["item"]:
            counts[photo["item"]] = counts.get(photo["item"], 0) + 1
    return counts


class AssetCard(QFrame):
    """Name, code, type and address of the inspected asset; the distance and proximity flag once known."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("assetCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = QLabel()
        self.name.setObjectName("cardName")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.name.setFont(font)
        self.details = QLabel()
        self.details.setObjectName("cardDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.proximity = QLabel()
        self.proximity.setObjectName("cardProximity")
        self.proximity.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        for label in (self.name, self.details, self.proximity):
            layout.addWidget(label)
        self._data: dict | None = None

    def show_inspection(self, data: dict) -> None:
        self._data = data
        a, row, form = data["asset"], data["row"], data["form"]
        self.name.setText(a["name"])
        lines = [" · ".join(x for x in (a["code"] or "—", data["type_title"], a["address"] or "") if x),
                 self.tr("{template} · {inspector} · started {time}").format(
                     template=form.title(), inspector=row["inspector_name"], time=short_time(row["started_at"]))]
        if row["status"] == "submitted":
            lines.append(self.tr("Submitted {0}: read only").format(short_time(row["submitted_at"])))
        self.details.setText("\n".join(lines))
        self.show_proximity(row["distance_m"], row["flags"])

    def show_proximity(self, distance_m: float | None, flags: list[dict]) -> None:
        far = any(f.get("code") == TOO_FAR for f in flags)
        if far:
            text = "⚠ " + "; ".join(flag_text(f) for f in flags if f.get("code") == TOO_FAR)
        elif distance_m is not None:
            text = self.tr("✓ {0} m from the asset").format(f"{distance_m:.0f}")
        else:
            text = ""
        self.proximity.setText(text)
        self.proximity.setVisible(bool(text))
        self.proximity.setStyleSheet(f"color: {alert_colours()[1]}; font-weight: bold;" if far else "color: #2e7d32;")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._data is not None:
            self.show_inspection(self._data)
        super().changeEvent(event)


class UnreachableBox(QGroupBox):
    """"Could not reach the asset" with its reason; ``changed(reason or None)`` after a pause in typing."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unreachableBox")
        self.check = QCheckBox()
        self.check.setObjectName("unreachable")
        self.check.setMinimumHeight(TAP)
        self.reason = QLineEdit()
        self.reason.setObjectName("unreachableReason")
        self.reason.setMinimumHeight(TAP)
        self.reason.setEnabled(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DEBOUNCE_MS)
        self._timer.timeout.connect(self.emit_now)
        self.check.toggled.connect(self._toggled)
        self.reason.textChanged.connect(lambda: self._timer.start())
        self.reason.editingFinished.connect(self.emit_now)
        layout = QVBoxLayout(self)
        layout.addWidget(self.check)
        layout.addWidget(self.reason)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Access"))
        self.check.setText(self.tr("The asset could not be reached"))
        self.reason.setPlaceholderText(self.tr("Why (locked gate, road closed, …)"))

    def set_reason(self, reason: str | None) -> None:
        for widget in (self.check, self.reason):
            widget.blockSignals(True)
        self.check.setChecked(reason is not None)
        self.reason.setText(reason or "")
        self.reason.setEnabled(reason is not None)
        for widget in (self.check, self.reason):
            widget.blockSignals(False)

    def value(self) -> str | None:
        return self.reason.text().strip() if self.check.isChecked() else None

    def _toggled(self, on: bool) -> None:
        self.reason.setEnabled(on)
        if on:
            self.reason.setFocus()
        self.emit_now()

    def emit_now(self) -> None:
        self._timer.stop()
        self.changed.emit(self.value())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ProblemSummary(QListWidget):
    """Every problem that blocked submitting; activating one asks to show its item (``item_requested(key)``)."""

    item_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("problemSummary")
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {alert_colours()[0]};")
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.hide()

    def show_problems(self, problems: list[Problem], form: Form) -> None:
        self.clear()
        keys = {f.key for f in form.fields}
        own = {"signature": self.tr("Signature"), "unreachable_reason": self.tr("Could not be reached")}
        for problem in problems:
            title = form.field(problem.field).title() if problem.field in keys else \
                own.get(problem.field) or field_title(problem.field)
            message = problem.message()
            item = QListWidgetItem(message if title in message else f"{title}: {message}")
            item.setData(Qt.ItemDataRole.UserRole, problem.field)
            self.addItem(item)
        self.setVisible(bool(problems))
        self.setFixedHeight(min(130, 8 + sum(self.sizeHintForRow(i) for i in range(self.count()))))

    def _activated(self, item: QListWidgetItem) -> None:
        self.item_requested.emit(item.data(Qt.ItemDataRole.UserRole))
