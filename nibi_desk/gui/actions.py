"""The main window's actions, with icons and keyboard shortcuts, declared in one place."""

from __future__ import annotations

from dataclasses import dataclass

import qtawesome as qta
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence


def tr(text: str) -> str:
    return QCoreApplication.translate("Actions", text)


@dataclass(frozen=True)
class Spec:
    name: str
    text: str          # English source, translated when the action is (re)labelled
    icon: str | None
    shortcut: str | QKeySequence.StandardKey | None
    tip: str = ""


SPECS = (
    Spec("open_registry", "&Open registry…", "fa5s.folder-open", QKeySequence.StandardKey.Open,
         "Open a registry file"),
    Spec("new_registry", "&New registry for a county…", "fa5s.plus-square", "Ctrl+Shift+N",
         "Create an empty registry for a county"),
    Spec("open_demo", "Open the &demo county (老河口市)", "fa5s.map-marked-alt", None, ""),
    Spec("preferences", "&Preferences…", "fa5s.cog", "Ctrl+,", "Language, inspector, units, reports"),
    Spec("quit", "&Quit", "fa5s.power-off", QKeySequence.StandardKey.Quit, ""),
    Spec("new_asset", "&New asset…", "fa5s.plus", QKeySequence.StandardKey.New, "Add an asset to the registry"),
    Spec("edit_asset", "&Edit asset…", "fa5s.edit", "Ctrl+E", "Edit the selected asset"),
    Spec("delete_asset", "&Delete asset", "fa5s.trash-alt", QKeySequence.StandardKey.Delete,
         "Delete the selected asset (kept as a tombstone)"),
    Spec("find", "&Search", "fa5s.search", QKeySequence.StandardKey.Find, "Search by name, code or address"),
    Spec("next_asset", "Ne&xt asset", "fa5s.arrow-down", "Ctrl+J", ""),
    Spec("previous_asset", "Pre&vious asset", "fa5s.arrow-up", "Ctrl+K", ""),
    Spec("start_inspection", "Start &inspection", "fa5s.clipboard-check", "Ctrl+I",
         "Inspect the selected asset (arrives with field inspection)"),
    Spec("toggle_detail", "Asset &details", "fa5s.info-circle", "F9", "Show or hide the detail panel"),
    Spec("theme_dark", "&Dark theme", "fa5s.moon", None, ""),
    Spec("about", "&About NIBI Desk", "fa5s.question-circle", None, ""),
)


class Actions:
    """Holds one QAction per Spec as attributes (``actions.new_asset``); ``retranslate()`` relabels them."""

    def __init__(self, parent):
        self._actions: dict[str, QAction] = {}
        for spec in SPECS:
            action = QAction(parent)
            if spec.icon:
                try:
                    action.setIcon(qta.icon(spec.icon))
                except Exception:  # an icon name missing from this qtawesome version must not stop the app
                    pass
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            setattr(self, spec.name, action)
            self._actions[spec.name] = action
        self.theme_dark.setCheckable(True)
        self.toggle_detail.setCheckable(True)
        self.retranslate()

    def retranslate(self) -> None:
        for spec in SPECS:
            action = self._actions[spec.name]
            action.setText(tr(spec.text))
            tip = tr(spec.tip) if spec.tip else action.text().replace("&", "")
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
            action.setStatusTip(tip)

    def __iter__(self):
        return iter(self._actions.values())
