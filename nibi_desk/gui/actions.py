"""The main window's actions, with icons and keyboard shortcuts, declared in one place."""

from __future__ import annotations

from dataclasses import dataclass

import qtawesome as qta
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPalette


def tr(text: str) -> str:
    """Translate a declaration marked with QT_TRANSLATE_NOOP("Actions", ...) (lupdate sees the marks, not this)."""
    return QCoreApplication.translate("Actions", text)


@dataclass(frozen=True)
class Spec:
    name: str
    text: str          # English source, translated when the action is (re)labelled
    icon: str | None
    shortcut: str | QKeySequence.StandardKey | None
    tip: str = ""


SPECS = (
    Spec("open_registry", QT_TRANSLATE_NOOP("Actions", "&Open registry…"), "fa5s.folder-open",
         QKeySequence.StandardKey.Open,
         QT_TRANSLATE_NOOP("Actions", "Open a registry file")),
    Spec("new_registry", QT_TRANSLATE_NOOP("Actions", "&New registry for a county…"), "fa5s.plus-square",
         "Ctrl+Shift+N",
         QT_TRANSLATE_NOOP("Actions", "Create an empty registry for a county")),
    Spec("open_demo", QT_TRANSLATE_NOOP("Actions", "Open the &demo county (老河口市)"), "fa5s.map-marked-alt", None),
    Spec("import_ledger", QT_TRANSLATE_NOOP("Actions", "&Import ledger (Excel/CSV)…"), "fa5s.file-import",
         "Ctrl+Shift+I",
         QT_TRANSLATE_NOOP("Actions", "Import assets from a county ledger")),
    Spec("export_assets", QT_TRANSLATE_NOOP("Actions", "E&xport…"), "fa5s.file-export", "Ctrl+Shift+E",
         QT_TRANSLATE_NOOP("Actions", "Export assets to CSV, Excel, GeoJSON, KML or GeoPackage")),
    Spec("backups", QT_TRANSLATE_NOOP("Actions", "&Backups and restore…"), "fa5s.history", None,
         QT_TRANSLATE_NOOP("Actions", "Automatic backups of this registry; restore an earlier state")),
    Spec("export_bundle", QT_TRANSLATE_NOOP("Actions", "Export &bundle…"), "fa5s.box", "Ctrl+Shift+B",
         QT_TRANSLATE_NOOP("Actions", "Dispatch, return, roll up or back up as a signed bundle file")),
    Spec("import_bundle", QT_TRANSLATE_NOOP("Actions", "Import b&undle…"), "fa5s.box-open", "Ctrl+Shift+U",
         QT_TRANSLATE_NOOP("Actions", "Check a bundle, preview what it changes, then import it")),
    Spec("conflicts", QT_TRANSLATE_NOOP("Actions", "&Conflicts…"), "fa5s.code-branch", None,
         QT_TRANSLATE_NOOP("Actions", "Values edited in two places: choose which to keep")),
    Spec("devices", QT_TRANSLATE_NOOP("Actions", "&Devices and exchanges…"), "fa5s.tablet-alt", None,
         QT_TRANSLATE_NOOP("Actions", "Enrol inspectors' devices and see the exchange history")),
    Spec("report_summary", QT_TRANSLATE_NOOP("Actions", "Period &summary (PDF)…"), "fa5s.chart-bar", None,
         QT_TRANSLATE_NOOP("Actions", "KPIs per township and type against the county's targets")),
    Spec("report_targets", QT_TRANSLATE_NOOP("Actions", "T&argets and population…"), "fa5s.bullseye", None,
         QT_TRANSLATE_NOOP("Actions", "The KPI targets per division and period, and the population per division")),
    Spec("report_batch", QT_TRANSLATE_NOOP("Actions", "Inspection &reports (PDF)…"), "fa5s.file-pdf", None,
         QT_TRANSLATE_NOOP("Actions", "All inspections of a plan, township or period")),
    Spec("report_tags", QT_TRANSLATE_NOOP("Actions", "Asset &tags (PDF)…"), "fa5s.qrcode", None,
         QT_TRANSLATE_NOOP("Actions", "QR tag sheet for the selected asset or the current filter")),
    Spec("prepare_print_copies", QT_TRANSLATE_NOOP("Actions", "Prepare photos for &printing…"), "fa5s.images", None,
         QT_TRANSLATE_NOOP("Actions", "Make the print copies that the submitted inspections' photos do not have yet, "
                                      "so that printing their reports is fast")),
    Spec("preferences", QT_TRANSLATE_NOOP("Actions", "&Preferences…"), "fa5s.cog", "Ctrl+,",
         QT_TRANSLATE_NOOP("Actions", "Language, inspector, units, reports")),
    Spec("quit", QT_TRANSLATE_NOOP("Actions", "&Quit"), "fa5s.power-off", QKeySequence.StandardKey.Quit),
    Spec("new_asset", QT_TRANSLATE_NOOP("Actions", "&New asset…"), "fa5s.plus", QKeySequence.StandardKey.New,
         QT_TRANSLATE_NOOP("Actions", "Add an asset to the registry")),
    Spec("edit_asset", QT_TRANSLATE_NOOP("Actions", "&Edit asset…"), "fa5s.edit", "Ctrl+E",
         QT_TRANSLATE_NOOP("Actions", "Edit the selected asset")),
    Spec("delete_asset", QT_TRANSLATE_NOOP("Actions", "&Delete asset"), "fa5s.trash-alt",
         QKeySequence.StandardKey.Delete,
         QT_TRANSLATE_NOOP("Actions", "Delete the selected asset (kept as a tombstone)")),
    Spec("find", QT_TRANSLATE_NOOP("Actions", "&Search"), "fa5s.search", QKeySequence.StandardKey.Find,
         QT_TRANSLATE_NOOP("Actions", "Search by name, code or address")),
    Spec("next_asset", QT_TRANSLATE_NOOP("Actions", "Ne&xt asset"), "fa5s.arrow-down", "Ctrl+J"),
    Spec("previous_asset", QT_TRANSLATE_NOOP("Actions", "Pre&vious asset"), "fa5s.arrow-up", "Ctrl+K"),
    Spec("start_inspection", QT_TRANSLATE_NOOP("Actions", "Start &inspection"), "fa5s.clipboard-check", "Ctrl+I",
         QT_TRANSLATE_NOOP("Actions", "Inspect the selected asset: checklist, photos, defects, signature")),
    Spec("today_tasks", QT_TRANSLATE_NOOP("Actions", "&Today's tasks"), "fa5s.tasks", "Ctrl+T",
         QT_TRANSLATE_NOOP("Actions", "Your open inspection tasks: overdue, today, this week")),
    Spec("inspection_plans", QT_TRANSLATE_NOOP("Actions", "Inspection &plans…"), "fa5s.calendar-alt", None,
         QT_TRANSLATE_NOOP("Actions", "Plans, their progress, new plans and tasks")),
    Spec("defects", QT_TRANSLATE_NOOP("Actions", "&Defects and rectification…"), "fa5s.exclamation-triangle",
         "Ctrl+Shift+D", QT_TRANSLATE_NOOP("Actions", "Defects, notices, rectifications and verification")),
    Spec("toggle_detail", QT_TRANSLATE_NOOP("Actions", "Asset &details"), "fa5s.info-circle", "F9",
         QT_TRANSLATE_NOOP("Actions", "Show or hide the detail panel")),
    Spec("show_map", QT_TRANSLATE_NOOP("Actions", "&Map"), "fa5s.map", "Ctrl+M",
         QT_TRANSLATE_NOOP("Actions", "Show the offline map (opens on first use)")),
    Spec("theme_dark", QT_TRANSLATE_NOOP("Actions", "&Dark theme"), "fa5s.moon", None),
    Spec("user_guide", QT_TRANSLATE_NOOP("Actions", "&User guide"), "fa5s.book", QKeySequence.StandardKey.HelpContents,
         QT_TRANSLATE_NOOP("Actions", "Open the user guide (works offline)")),
    Spec("about", QT_TRANSLATE_NOOP("Actions", "&About NIBI Desk"), "fa5s.question-circle", None),
)


class Actions:
    """Holds one QAction per Spec as attributes (``actions.new_asset``); ``retranslate()`` relabels them."""

    def __init__(self, parent):
        self._actions: dict[str, QAction] = {}
        for spec in SPECS:
            action = QAction(parent)
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            setattr(self, spec.name, action)
            self._actions[spec.name] = action
        self.theme_dark.setCheckable(True)
        self.toggle_detail.setCheckable(True)
        self.recolor()
        self.retranslate()

    def recolor(self) -> None:
        """Icons drawn in the palette's text colour, so they stay visible in the dark theme."""
        color = QGuiApplication.palette().color(QPalette.ColorRole.ButtonText)
        for spec in SPECS:
            if spec.icon:
                try:
                    self._actions[spec.name].setIcon(qta.icon(spec.icon, color=color))
                except Exception:  # an icon name missing from this qtawesome version must not stop the app
                    pass

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
