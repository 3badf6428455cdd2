"""Devices and exchange history: this registry's device card (fingerprint, QR code, card file), the devices the
office enrolled (enroll from a card file or QR text, revoke), and the bundles exchanged with each peer."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, \
    QHeaderView, QInputDialog, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget

from nibi_desk.gui.interaction import show_error
from nibi_desk.sync import keys, peers


def qr_pixmap(text: str, scale: int = 4) -> QPixmap | None:
    """The QR code of ``text`` (segno, pure Python); None when it cannot be drawn."""
    try:
        import io

        import segno

        buffer = io.BytesIO()
        segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
        image = QImage.fromData(buffer.getvalue(), "PNG")
        return QPixmap.fromImage(image) if not image.isNull() else None
    except Exception:  # no QR is no reason to fail: the text and the card file carry the same key
        return None


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
    table.setSelectionBehavior(QTableWidget.SelectRows)
    table.setEditTriggers(QTableWidget.NoEditTriggers)
    return table


class DevicesDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("devicesDialog")
        self.setWindowTitle(self.tr("Devices and exchanges"))
        self.card = keys.card_for(ctx.registry)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._own_tab(), self.tr("This device"))
        self.tabs.addTab(self._enrolled_tab(), self.tr("Enrolled devices"))
        self.tabs.addTab(self._history_tab(), self.tr("Exchange history"))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(900, 560)
        self.refresh()

    # -- this device ----------------------------------------------------------------------------------------------
    def _own_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.fingerprint_label = QLabel(self.card.fingerprint)
        self.fingerprint_label.setObjectName("fingerprint")
        self.fingerprint_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        qr_text = QLabel(self.card.qr_text())
        qr_text.setObjectName("qrText")
        qr_text.setWordWrap(True)
        qr_text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.qr_label = QLabel()
        self.qr_label.setObjectName("qr")
        pixmap = qr_pixmap(self.card.qr_text())
        if pixmap is not None:
            self.qr_label.setPixmap(pixmap)
        save = QPushButton(self.tr("Save the device card…"))
        save.setObjectName("saveCard")
        save.clicked.connect(self.save_card)
        form.addRow(self.tr("Device:"), QLabel(self.card.device))
        form.addRow(self.tr("Key fingerprint:"), self.fingerprint_label)
        form.addRow(self.tr("QR code:"), self.qr_label)
        form.addRow(self.tr("QR text:"), qr_text)
        form.addRow("", save)
        return page

    def save_card(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the device card"),
                                                        f"{self.card.device}{keys.CARD_SUFFIX}",
                                                        self.tr("Device cards (*.nibikey)"))
        if path:
            self.card.save(path)
            self.ctx.interaction.info(self.tr("Device card"), self.tr("Saved {0}. Give it to the office, which "
                                                                      "enrolls it.").format(path))

    # -- enrolled devices -------------------------------------------------------------------------------------------
    def _enrolled_tab(self) -> QWidget:
        page = QWidget()
        self.devices = _table([self.tr("Name"), self.tr("Device"), self.tr("County"), self.tr("Fingerprint"),
                               self.tr("State")], "devices")
        enroll_file = QPushButton(self.tr("Enroll from a card file…"))
        enroll_file.setObjectName("enrollFile")
        enroll_file.clicked.connect(lambda: self.enroll_file())
        enroll_text = QPushButton(self.tr("Enroll from QR text…"))
        enroll_text.setObjectName("enrollText")
        enroll_text.clicked.connect(lambda: self.enroll_text())
        revoke = QPushButton(self.tr("Revoke"))
        revoke.setObjectName("revoke")
        revoke.clicked.connect(self.revoke_selected)
        row = QHBoxLayout()
        for b in (enroll_file, enroll_text, revoke):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.devices)
        layout.addLayout(row)
        return page

    def enroll_file(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, self.tr("Choose a device card"), "",
                                                        self.tr("Device cards (*.nibikey);;All files (*)"))
        if path:
            self._enroll(lambda: keys.read_card(path))

    def enroll_text(self, text: str | None = None) -> None:
        if text is None:
            text, ok = QInputDialog.getText(self, self.tr("Enroll a device"), self.tr("QR text of the device card:"))
            if not ok:
                return
        self._enroll(lambda: keys.parse_card(text))

    def _enroll(self, read) -> None:
        try:
            card = read()
        except Exception as e:  # a malformed card: tell, do not crash
            show_error(self.ctx.interaction, e)
            return
        question = self.tr("Enroll {0} (device {1})? Compare the key fingerprint with the one the device shows:\n"
                           "{2}").format(card.name, card.device, card.fingerprint)
        if not self.ctx.interaction.confirm(self.tr("Enroll a device"), question, default=True):
            return
        self.ctx.tasks.run(peers.enroll, self.ctx, card, on_done=lambda _id: self.refresh(),
                           on_error=lambda e: show_error(self.ctx.interaction, e), label=self.tr("Enroll a device"))

    def revoke_selected(self) -> None:
        rows = self.devices.selectionModel().selectedRows()
        if not rows:
            return
        device = self.devices.item(rows[0].row(), 1).text()
        if not self.ctx.interaction.confirm(self.tr("Revoke a device"), self.tr(
                "Refuse every bundle from {0} from now on?").format(device), default=False):
            return
        self.ctx.tasks.run(peers.revoke, self.ctx, device, on_done=lambda _n: self.refresh(),
                           on_error=lambda e: show_error(self.ctx.interaction, e), label=self.tr("Revoke a device"))

    # -- history ------------------------------------------------------------------------------------------------------
    def _history_tab(self) -> QWidget:
        page = QWidget()
        self.peer_combo = QComboBox()
        self.peer_combo.setObjectName("peer")
        self.peer_combo.currentIndexChanged.connect(self._fill_history)
        self.peers_label = QLabel()
        self.peers_label.setObjectName("watermarks")
        self.peers_label.setWordWrap(True)
        self.history = _table([self.tr("When"), self.tr("Direction"), self.tr("Kind"), self.tr("Device"),
                               self.tr("Status"), self.tr("File"), self.tr("Records")], "history")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Device:")))
        top.addWidget(self.peer_combo, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.peers_label)
        layout.addWidget(self.history)
        return page

    def refresh(self) -> None:
        conn = self.ctx.registry.read()
        rows = peers.list_devices(conn)
        self.devices.setRowCount(len(rows))
        for r, d in enumerate(rows):
            state = self.tr("revoked") if d["revoked"] else self.tr("enrolled")
            for c, text in enumerate((d["name"], d["device"], d["county"] or "", keys.fingerprint(d["public_key"]),
                                      state)):
                self.devices.setItem(r, c, QTableWidgetItem(text))
        current = self.peer_combo.currentData()
        self.peer_combo.blockSignals(True)
        self.peer_combo.clear()
        self.peer_combo.addItem(self.tr("All devices"), None)
        for p in peers.list_peers(conn):
            self.peer_combo.addItem(p["name"] or p["device"], p["device"])
        self.peer_combo.setCurrentIndex(max(0, self.peer_combo.findData(current)))
        self.peer_combo.blockSignals(False)
        self._fill_history()

    def _fill_history(self) -> None:
        conn = self.ctx.registry.read()
        device = self.peer_combo.currentData()
        peer = peers.peer(conn, device) if device else None
        self.peers_label.setText(self.tr("Sent up to {0}; received up to {1}.").format(
            peer["sent_watermark"] or "—", peer["received_watermark"] or "—") if peer else "")
        rows = peers.history(conn, device)
        self.history.setRowCount(len(rows))
        directions = {"export": self.tr("sent"), "import": self.tr("received")}
        for r, h in enumerate(rows):
            counts = h["counts"]
            for c, text in enumerate((h["at"][:16].replace("T", " "), directions.get(h["direction"], h["direction"]),
                                      h["kind"], h["peer_name"] or h["peer_device"] or "—", h["status"],
                                      h["file_name"] or "", json.dumps(counts, ensure_ascii=False))):
                self.history.setItem(r, c, QTableWidgetItem(text))
