"""The conflicts view: every open conflict in a list, the selected one side by side (base / mine / theirs), and
keep mine, take theirs or an edited value — for one conflict or for every conflict alike at once."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout, QHeaderView, \
    QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from nibi_desk.errors import field_title
from nibi_desk.gui.interaction import show_error
from nibi_desk.sync import conflicts


def shown(value) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ConflictsDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[dict] = []
        self.setObjectName("conflictsDialog")
        self.setWindowTitle(self.tr("Conflicts"))
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        self.status_combo.addItem(self.tr("Open"), "open")
        self.status_combo.addItem(self.tr("Resolved"), "resolved")
        self.status_combo.addItem(self.tr("Closed by a newer edit"), "superseded")
        self.status_combo.currentIndexChanged.connect(self.refresh)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("conflicts")
        self.table.setHorizontalHeaderLabels([self.tr("Record"), self.tr("Field"), self.tr("Mine"),
                                              self.tr("Theirs"), self.tr("Since")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._selected)
        self.base_text, self.mine_text, self.theirs_text = (QPlainTextEdit() for _ in range(3))
        for name, box in (("base", self.base_text), ("mine", self.mine_text), ("theirs", self.theirs_text)):
            box.setObjectName(name)
            box.setReadOnly(True)
        self.edit_line = QLineEdit()
        self.edit_line.setObjectName("editedValue")
        self.edit_line.setPlaceholderText(self.tr("or type the right value"))
        side = QGridLayout()
        side.addWidget(QLabel(self.tr("Base (before both changes)")), 0, 0)
        side.addWidget(QLabel(self.tr("Mine (this registry)")), 0, 1)
        side.addWidget(QLabel(self.tr("Theirs (the bundle)")), 0, 2)
        side.addWidget(self.base_text, 1, 0)
        side.addWidget(self.mine_text, 1, 1)
        side.addWidget(self.theirs_text, 1, 2)
        self.alike_check = QCheckBox()
        self.alike_check.setObjectName("alike")
        self.mine_button = QPushButton(self.tr("Keep mine"))
        self.mine_button.setObjectName("keepMine")
        self.theirs_button = QPushButton(self.tr("Take theirs"))
        self.theirs_button.setObjectName("takeTheirs")
        self.edit_button = QPushButton(self.tr("Use the edited value"))
        self.edit_button.setObjectName("useEdited")
        self.mine_button.clicked.connect(lambda: self.resolve("mine"))
        self.theirs_button.clicked.connect(lambda: self.resolve("theirs"))
        self.edit_button.clicked.connect(lambda: self.resolve("value"))
        actions = QHBoxLayout()
        for w in (self.mine_button, self.theirs_button, self.edit_line, self.edit_button):
            actions.addWidget(w)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.addLayout(side)
        lower_layout.addWidget(self.alike_check)
        lower_layout.addLayout(actions)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        self.status = QLabel()
        self.status.setObjectName("status")
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Show:")))
        top.addWidget(self.status_combo)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        if hasattr(ctx, "notifier"):
            ctx.notifier.registry_changed.connect(self._changed)
        self.resize(980, 640)
        self.refresh()

    def _changed(self, changed) -> None:
        if changed.touches("conflicts") or changed.touches("assets"):
            self.refresh()

    def refresh(self) -> None:
        self.rows = conflicts.list_conflicts(self.ctx.registry.read(), self.status_combo.currentData())
        self.table.setRowCount(len(self.rows))
        for r, c in enumerate(self.rows):
            for col, text in enumerate((c["label"], field_title(c["field"]), shown(c["mine"]), shown(c["theirs"]),
                                        (c["opened_at"] or "")[:16].replace("T", " "))):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self.status.setText(self.tr("{0} conflict(s)").format(len(self.rows)))
        if self.rows:
            self.table.selectRow(0)
        self._selected()

    def current(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _selected(self) -> None:
        c = self.current()
        open_ = c is not None and c["status"] == "open"
        for w in (self.mine_button, self.theirs_button, self.edit_button, self.edit_line, self.alike_check):
            w.setEnabled(open_)
        self.base_text.setPlainText(shown(c["base"]) if c else "")
        self.mine_text.setPlainText(shown(c["mine"]) if c else "")
        self.theirs_text.setPlainText(shown(c["theirs"]) if c else "")
        self.edit_line.setText(shown(c["theirs"]) if c and isinstance(c["theirs"], str) else "")
        n = len(conflicts.alike(self.ctx.registry.read(), c["id"])) if open_ else 0
        self.alike_check.setText(self.tr("Resolve all {0} conflicts alike (same field, same two values)").format(n))
        self.alike_check.setVisible(n > 1)

    def resolve(self, choice: str) -> None:
        c = self.current()
        if c is None:
            return
        value = None
        if choice == "value":
            text = self.edit_line.text()
            value = text if isinstance(c["mine"], str) or isinstance(c["theirs"], str) else _parse(text)
        ids = conflicts.alike(self.ctx.registry.read(), c["id"]) if self.alike_check.isChecked() and \
            self.alike_check.isVisible() else [c["id"]]
        self.ctx.tasks.run(conflicts.resolve, self.ctx, ids, choice, value, on_done=self._resolved,
                           on_error=lambda e: show_error(self.ctx.interaction, e),
                           label=self.tr("Resolve conflicts"))

    def _resolved(self, n: int) -> None:
        self.refresh()
        self.status.setText(self.tr("{0} conflict(s) resolved.").format(n))


def _parse(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return text
