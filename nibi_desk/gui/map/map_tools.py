"""The map dock's tools: pick a position, measure a distance, list the assets within a radius.

Owns their toolbar buttons, the radius box, the bar above the map that says what a tool wants with a Cancel
button (Esc too), and the line under the toolbars that says what a tool found (the page draws it on the map as
well). The page reports clicks through the bridge.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSpinBox, QToolButton

MODES = ("pick", "measure", "within")
# The tools' words keep the context "MapDock" they had before the tools moved here.
PICK = QT_TRANSLATE_NOOP("MapDock", "Pick location")
PICK_TIP = QT_TRANSLATE_NOOP("MapDock", "Click the map to pick a position (new asset, inspector's position)")
MEASURE = QT_TRANSLATE_NOOP("MapDock", "Measure")
MEASURE_TIP = QT_TRANSLATE_NOOP("MapDock", "Click two points to measure the distance between them")
WITHIN = QT_TRANSLATE_NOOP("MapDock", "Assets within")
WITHIN_TIP = QT_TRANSLATE_NOOP("MapDock", "Click the map to list the assets within this distance")
CANCEL = QT_TRANSLATE_NOOP("MapDock", "Cancel (Esc)")
CANCEL_TIP = QT_TRANSLATE_NOOP("MapDock", "Stop picking, measuring or listing and go back to browsing")
PICK_HINT = QT_TRANSLATE_NOOP("MapDock", "Click the map to pick a position")
PICK_CANCELLED = QT_TRANSLATE_NOOP("MapDock", "Picking cancelled")
PICKED = QT_TRANSLATE_NOOP("MapDock", "Picked {lon}, {lat} (WGS-84)")
DISTANCE = QT_TRANSLATE_NOOP("MapDock", "Distance: {distance}")
WITHIN_NONE = QT_TRANSLATE_NOOP("MapDock", "No assets within {radius} of {lon}, {lat}")
WITHIN_ONE = QT_TRANSLATE_NOOP("MapDock", "1 asset within {radius} of {lon}, {lat}: {nearest} ({distance})")
WITHIN_MANY = QT_TRANSLATE_NOOP(
    "MapDock", "{n} assets within {radius} of {lon}, {lat}; nearest: {nearest} ({distance})")


def tr(text: str) -> str:
    return QCoreApplication.translate("MapDock", text)


def distance_text(metres: float) -> str:
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.2f} km"


class MapTools(QObject):
    """``location_picked(lon, lat)`` (WGS-84) ends pick mode; ``pick_cancelled()`` when pick mode ends without a
    pick (Esc, Cancel, the pick button again, another tool, the dock closed); ``distance_measured(metres)``;
    ``nearby_found(assets)`` (nearest first, each with ``distance_m``)."""

    location_picked = Signal(float, float)
    pick_cancelled = Signal()
    distance_measured = Signal(float)
    nearby_found = Signal(list)

    def __init__(self, dock, bridge):
        super().__init__(dock)
        self.dock = dock
        self.prompt = ""          # what the window that asked for a pick wants (shown while picking)
        self._delivering = False  # pick mode is ending because a point was picked
        self.modes = QActionGroup(self)
        self.modes.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.actions = {mode: QAction(self, checkable=True) for mode in MODES}
        self.pick_action, self.measure_action, self.nearby_action = (self.actions[m] for m in MODES)
        for mode, action in self.actions.items():
            action.setObjectName(f"map_{mode}")
            self.modes.addAction(action)
            action.toggled.connect(lambda on, mode=mode: self._toggled(mode, on))
        self.radius_box = QSpinBox()
        self.radius_box.setObjectName("radiusBox")
        self.radius_box.setRange(10, 20000)
        self.radius_box.setSingleStep(50)
        self.radius_box.setValue(200)
        self.radius_box.setSuffix(" m")
        self.radius_box.valueChanged.connect(lambda _: self.send_mode())
        self.bar = QFrame()  # shown while a tool is on: what to click, and how to stop
        self.bar.setObjectName("mapToolBar")
        self.bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.bar.setStyleSheet("#mapToolBar { background: palette(highlight); } "
                               "#mapToolBar QLabel { color: palette(highlighted-text); font-weight: bold; }")
        self.hint_label = QLabel()
        self.hint_label.setObjectName("mapToolHint")
        self.hint_label.setWordWrap(True)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("cancelToolButton")
        self.cancel_button.clicked.connect(lambda: self.set_mode("browse"))
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(8, 3, 4, 3)
        row.addWidget(self.hint_label, 1)
        row.addWidget(self.cancel_button)
        self.bar.hide()
        # Esc anywhere in the main window (or the floating dock) ends a tool; enabled only while one is on, so it
        # takes Esc from nobody else.
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), dock)
        self.escape.setContext(Qt.ShortcutContext.WindowShortcut)
        self.escape.setEnabled(False)
        self.escape.activated.connect(lambda: self.set_mode("browse"))
        bridge.location_picked.connect(self._on_picked)
        bridge.distance_measured.connect(self._on_measured)
        bridge.nearby_found.connect(self._on_nearby)

    def add_buttons(self, toolbar) -> None:
        for action in self.actions.values():
            toolbar.addAction(action)
        toolbar.addWidget(self.radius_box)

    def retranslate(self) -> None:
        self.pick_action.setText(tr(PICK))
        self.pick_action.setToolTip(tr(PICK_TIP))
        self.measure_action.setText(tr(MEASURE))
        self.measure_action.setToolTip(tr(MEASURE_TIP))
        self.nearby_action.setText(tr(WITHIN))
        self.nearby_action.setToolTip(tr(WITHIN_TIP))
        self.cancel_button.setText(tr(CANCEL))
        self.cancel_button.setToolTip(tr(CANCEL_TIP))
        self._show_hint()

    # -- modes -------------------------------------------------------------------------------------------------
    def mode(self) -> str:
        return next((mode for mode, action in self.actions.items() if action.isChecked()), "browse")

    def set_mode(self, mode: str) -> None:
        """"browse", "pick", "measure" or "within" (the toolbar's checkable buttons follow)."""
        if mode in self.actions:
            self.actions[mode].setChecked(True)
        else:
            for action in self.actions.values():
                action.setChecked(False)
        self.send_mode()

    def start_pick(self, prompt: str = "") -> None:
        """Pick mode, saying ``prompt`` above the map until a point is picked or picking is cancelled."""
        self.prompt = prompt
        self.set_mode("pick")
        self._show_hint()

    def _show_hint(self) -> None:
        mode = self.mode()
        hints = {"pick": self.prompt or tr(PICK_HINT), "measure": tr(MEASURE_TIP), "within": tr(WITHIN_TIP)}
        self.hint_label.setText(hints.get(mode, ""))
        self.bar.setVisible(mode != "browse")

    def _toggled(self, mode: str, on: bool) -> None:
        self.escape.setEnabled(self.mode() != "browse")
        if mode == "pick" and not on:
            self.prompt = ""
            if not self._delivering:
                self.dock.info_label.setText(tr(PICK_CANCELLED))
                self.pick_cancelled.emit()
        self._show_hint()
        self.send_mode()

    def send_mode(self) -> None:
        if self.dock.loaded:
            options = json.dumps({"radius": self.radius_box.value()})
            self.dock.run_js(f"NibiMap.setMode({json.dumps(self.mode())}, {options}); 0")

    # -- what the page reports ---------------------------------------------------------------------------------
    def _on_picked(self, lon: float, lat: float) -> None:
        if self.mode() != "pick":  # a click that crossed a cancel on its way from the page
            return
        self.dock.info_label.setText(tr(PICKED).format(lon=f"{lon:.6f}", lat=f"{lat:.6f}"))
        self._delivering = True
        try:
            self.set_mode("browse")  # before the signal: whoever asked may start another pick at once
            self.location_picked.emit(lon, lat)
        finally:
            self._delivering = False

    def _on_measured(self, metres: float) -> None:
        self.dock.info_label.setText(tr(DISTANCE).format(distance=distance_text(metres)))
        self.distance_measured.emit(metres)

    def _on_nearby(self, lon: float, lat: float, radius: float, found: list) -> None:
        radius_text = distance_text(radius)
        text = tr(WITHIN_NONE) if not found else tr(WITHIN_ONE) if len(found) == 1 else tr(WITHIN_MANY)
        nearest = found[0] if found else {}
        self.dock.info_label.setText(text.format(
            n=len(found), radius=radius_text, lon=f"{lon:.6f}", lat=f"{lat:.6f}", nearest=nearest.get("name", ""),
            distance=distance_text(nearest.get("distance_m", 0.0))))
        self.nearby_found.emit(found)
