"""The inspection window's parts and layout: the form beside the scrolled side panels, and filling them from a load."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QScroller, QSplitter, QVBoxLayout, QWidget

from nibi_desk.gui.inspection.common import tap_button
from nibi_desk.gui.inspection.form_widget import FormWidget
from nibi_desk.gui.inspection.photos_panel import PhotosPanel
from nibi_desk.gui.inspection.position_panel import PositionPanel
from nibi_desk.gui.inspection.signature import SignaturePanel
from nibi_desk.gui.inspection.window_parts import AssetCard, ProblemSummary, UnreachableBox, photo_counts


def build(window) -> None:
    """Make the window's parts (``card``, ``form``, ``photos``, ``position``, ``unreachable``, ``signature``,
    ``summary``, ``status``, ``close_button``, ``submit_button``) and lay them out; the words come with
    ``InspectionWindow.retranslate``."""
    window.card = AssetCard()
    window.form = FormWidget(window.form_model)
    window.photos = PhotosPanel(window.ctx, window.form_model)
    window.position = PositionPanel()
    window.unreachable = UnreachableBox()
    window.signature = SignaturePanel()
    window.summary = ProblemSummary()
    window.status = QLabel()
    window.status.setObjectName("saveStatus")
    window.status.setStyleSheet("color: palette(placeholder-text);")
    window.close_button = tap_button("", "closeButton")
    window.submit_button = tap_button("", "submitButton")
    window.submit_button.setDefault(False)
    window.submit_button.setAutoDefault(False)
    window.close_button.setAutoDefault(False)
    _lay_out(window)


def _lay_out(window) -> None:
    side = QWidget()
    side.setObjectName("inspectionSide")
    column = QVBoxLayout(side)
    column.setContentsMargins(0, 0, 4, 0)
    for widget in (window.photos, window.position, window.unreachable, window.signature):
        column.addWidget(widget)
    column.addStretch(1)
    side_scroll = QScrollArea()
    side_scroll.setWidgetResizable(True)
    side_scroll.setWidget(side)
    side_scroll.setMinimumWidth(440)
    QScroller.grabGesture(side_scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(window.form)
    splitter.addWidget(side_scroll)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    splitter.setChildrenCollapsible(False)
    bottom = QHBoxLayout()
    bottom.addWidget(window.status, 1)
    bottom.addWidget(window.close_button)
    bottom.addWidget(window.submit_button)
    layout = QVBoxLayout(window)
    layout.addWidget(window.card)
    layout.addWidget(splitter, 1)
    layout.addWidget(window.summary)
    layout.addLayout(bottom)


def show_data(window, data: dict) -> None:
    """Fill the parts from one load (``window_parts.load_inspection``), editable or read-only."""
    row = data["row"]
    window.card.show_inspection(data)
    window.form.load(row["answers"], photo_counts(data["photos"]), data["defects"], row["unreachable_reason"],
                     window.editable)
    window.photos.load(data["photos"], window.editable)
    window.position.show_position(row["stood_lon"], row["stood_lat"], row["stood_source"], row["distance_m"],
                                  row["flags"])
    window.position.set_read_only(not window.editable)
    window.unreachable.set_reason(row["unreachable_reason"])
    window.unreachable.setEnabled(window.editable)
    window.signature.pad.set_image(data["signature"])
    window.signature.set_read_only(not window.editable)
    window.signature.setVisible(window.form_model.signature_required or data["signature"] is not None)
    window.submit_button.setVisible(window.editable)
