"""Field inspection in the GUI: entry points that take the context and a parent window (slots stay one line).

    start_inspection(ctx, parent, asset_id)   start or continue the draft of an asset, open its window
    open_defects(ctx, parent)                 the defects and rectification window
    open_plans(ctx, parent)                   inspection plans and their progress
    open_today(ctx, parent)                   the signed-in inspector's "today" dock
    ensure_signed_in(ctx, parent)             sign in when the registry has users (call after opening one)

Open inspection windows are tracked per context by an :class:`InspectionWindows` hub (``windows_of(ctx)``), whose
``pick_position_requested(inspection_id)`` the main window connects to the map's pick mode and whose
``set_picked_position(inspection_id, lon, lat)`` hands the picked point back.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QMetaMethod, QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QWidget

# Everything heavier (the core's templates, photos, the windows) is imported on first use: the main window imports
# this package at start-up.


class InspectionWindows(QObject):
    """The open inspection windows of one context (child of its notifier, so it lives and dies with it)."""

    pick_position_requested = Signal(str)
    window_opened = Signal(object)

    def __init__(self, ctx):
        super().__init__(ctx.notifier)
        self.setObjectName("inspectionWindows")
        self.ctx = ctx
        self.windows: dict[str, QWidget] = {}

    def find(self, inspection_id: str):
        window = self.windows.get(inspection_id)
        return window if window is not None and shiboken6.isValid(window) else None

    def open(self, parent: QWidget | None, inspection_id: str):
        from nibi_desk.gui.inspection.inspection_window import InspectionWindow

        window = self.find(inspection_id)
        if window is None:
            window = InspectionWindow(self.ctx, inspection_id, parent)
            window.pick_position_requested.connect(self.pick_position_requested)
            window.map_available = self.map_available
            window.destroyed.connect(lambda *_: self.windows.pop(inspection_id, None))
            self.windows[inspection_id] = window
            self.window_opened.emit(window)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def map_available(self) -> bool:
        return self.isSignalConnected(QMetaMethod.fromSignal(self.pick_position_requested))

    def set_picked_position(self, inspection_id: str, lon: float, lat: float) -> None:
        window = self.find(inspection_id)
        if window is not None:
            window.set_picked_position(lon, lat)


def ensure_signed_in(ctx, parent: QWidget | None = None, offer_drafts: bool = True) -> bool:
    """True when someone is signed in or the registry has no users; False when the sign-in was cancelled
    (see :func:`nibi_desk.gui.inspection.sign_in.ensure_signed_in`)."""
    from nibi_desk.gui.inspection.sign_in import ensure_signed_in as ensure

    return ensure(ctx, parent, offer_drafts)


def windows_of(ctx) -> InspectionWindows:
    hub = ctx.notifier.findChild(InspectionWindows, "inspectionWindows")
    return hub if hub is not None else InspectionWindows(ctx)


def open_inspection(ctx, parent: QWidget | None, inspection_id: str):
    """Open an inspection's window (a draft to work on, or a record to read); an open one is raised."""
    return windows_of(ctx).open(parent, inspection_id)


def _signed_in_user(ctx, parent: QWidget | None) -> bool:
    if not ensure_signed_in(ctx, parent):
        return False
    if ctx.user is None:
        ctx.interaction.info(
            QCoreApplication.translate("Inspection", "Field inspection"),
            QCoreApplication.translate("Inspection", "This registry has no users yet. An office user adds the first "
                                                     "one with: nibi users add LOGIN --name NAME --role office"))
        return False
    return True


def start_inspection(ctx, parent: QWidget | None, asset_id: str, task_id: str | None = None) -> None:
    """Start (or continue) the signed-in user's inspection of an asset and open its window."""
    if not asset_id:
        ctx.interaction.info(QCoreApplication.translate("Inspection", "Start inspection"),
                             QCoreApplication.translate("Inspection", "Select an asset in the table first."))
        return
    if not _signed_in_user(ctx, parent):
        return
    from nibi_desk.gui.inspection.common import show_error
    from nibi_desk.inspection import inspections

    ctx.tasks.run(inspections.start, ctx, asset_id, task_id=task_id,
                  on_done=lambda inspection_id: open_inspection(ctx, parent, inspection_id),
                  on_error=lambda e: show_error(ctx, e))


def _window(parent: QWidget | None, cls, make):
    found = parent.findChild(cls) if parent is not None else None
    window = found if found is not None else make()
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def open_defects(ctx, parent: QWidget | None):
    """The defects window (one per parent). Reading needs no sign-in; acting does, and the core checks the role."""
    from nibi_desk.gui.inspection.defects_view import DefectsView

    ensure_signed_in(ctx, parent)
    return _window(parent, DefectsView, lambda: DefectsView(ctx, parent))


def open_plans(ctx, parent: QWidget | None):
    """The plans window; "new plan" offers the browser's current filters and selected asset when there is one."""
    from nibi_desk.gui.inspection.plans_view import PlansView

    ensure_signed_in(ctx, parent)
    browser = getattr(parent, "browser", None)
    filters = browser.filters() if browser is not None else None
    selected = [browser.current_asset_id()] if browser is not None and browser.current_asset_id() else None
    return _window(parent, PlansView, lambda: PlansView(ctx, parent, filters, selected))


def open_today(ctx, parent: QWidget | None):
    """The signed-in inspector's task list, docked on the left of a main window."""
    from nibi_desk.gui.inspection.today_dock import TodayDock

    if ctx.user is None and not _signed_in_user(ctx, parent):
        return None
    dock = parent.findChild(TodayDock) if parent is not None else None
    if dock is None:
        dock = TodayDock(ctx, parent)
        dock.start_requested.connect(lambda asset_id, task_id: start_inspection(ctx, parent, asset_id, task_id))
        if isinstance(parent, QMainWindow):
            parent.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    dock.show()
    dock.raise_()
    dock.reload()
    return dock


__all__ = ["InspectionWindows", "ensure_signed_in", "open_defects", "open_inspection", "open_plans", "open_today",
           "start_inspection", "windows_of"]
