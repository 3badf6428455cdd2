"""The main window: registry browser in the centre, detail dock, menus, toolbar and status bar. Kept thin."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QMainWindow

from nibi_desk.gui import controllers, inspection
from nibi_desk.gui.actions import Actions
from nibi_desk.gui.map.picking import MapPicker
from nibi_desk.gui.status import StatusBar


class MainWindow(QMainWindow):
    """Everything a county office or inspector sees. Registry-level actions are handed to the app (signals)."""

    open_registry_requested = Signal()
    new_registry_requested = Signal()
    open_demo_requested = Signal()
    preferences_requested = Signal()
    backups_requested = Signal()
    theme_toggled = Signal(bool)

    def __init__(self, ctx):
        super().__init__()
        from nibi_desk.gui.browser import RegistryBrowser
        from nibi_desk.gui.detail_dock import DetailDock

        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.actions = Actions(self)
        columns = ctx.settings.get("table_columns") if ctx.settings is not None else None
        self.browser = RegistryBrowser(ctx, visible_columns=columns or None)
        self.setCentralWidget(self.browser)
        self.detail = DetailDock(ctx, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.detail)
        self.resizeDocks([self.detail], [430], Qt.Orientation.Horizontal)
        self.setStatusBar(StatusBar(ctx, self))
        self.map = None
        self.picker = MapPicker(self.show_map, self)  # positions picked on the map for the editor and inspections
        self._build_menus()
        self._connect()
        self.retranslate()

    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        for action in (a.open_registry, a.new_registry, a.open_demo):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(a.import_ledger)
        self.file_menu.addAction(a.export_assets)
        self.file_menu.addSeparator()
        for action in (a.export_bundle, a.import_bundle, a.conflicts, a.devices):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        for action in (a.report_summary, a.report_targets, a.report_batch, a.report_tags, a.prepare_print_copies):
            self.file_menu.addAction(action)
        self.file_menu.addAction(a.backups)
        self.file_menu.addSeparator()
        self.file_menu.addAction(a.preferences)
        self.file_menu.addSeparator()
        self.file_menu.addAction(a.quit)
        self.asset_menu = bar.addMenu("")
        for action in (a.new_asset, a.edit_asset, a.delete_asset, None, a.find, a.next_asset, a.previous_asset):
            self.asset_menu.addSeparator() if action is None else self.asset_menu.addAction(action)
        self.inspection_menu = bar.addMenu("")
        for action in (a.start_inspection, a.today_tasks, None, a.inspection_plans, a.defects):
            self.inspection_menu.addSeparator() if action is None else self.inspection_menu.addAction(action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(a.toggle_detail)
        self.view_menu.addAction(a.show_map)
        self.view_menu.addAction(a.theme_dark)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(a.user_guide)
        self.help_menu.addAction(a.about)
        self.toolbar = self.addToolBar("")
        self.toolbar.setObjectName("mainToolbar")
        for action in (a.new_asset, a.edit_asset, a.delete_asset, a.start_inspection, a.find):
            self.toolbar.addAction(action)

    def _connect(self) -> None:
        a, ctx = self.actions, self.ctx
        a.open_registry.triggered.connect(self.open_registry_requested)
        a.new_registry.triggered.connect(self.new_registry_requested)
        a.open_demo.triggered.connect(self.open_demo_requested)
        a.preferences.triggered.connect(self.preferences_requested)
        a.backups.triggered.connect(self.backups_requested)
        a.user_guide.triggered.connect(lambda: controllers.user_guide(ctx, self))
        a.quit.triggered.connect(self.close)
        a.import_ledger.triggered.connect(lambda: controllers.import_ledger(ctx, self))
        a.export_bundle.triggered.connect(lambda: controllers.export_bundle(ctx, self))
        a.import_bundle.triggered.connect(lambda: controllers.import_bundle(ctx, self))
        a.conflicts.triggered.connect(lambda: controllers.conflicts(ctx, self))
        a.devices.triggered.connect(lambda: controllers.devices(ctx, self))
        a.report_summary.triggered.connect(lambda: controllers.report_summary(ctx, self))
        a.report_targets.triggered.connect(lambda: controllers.report_targets(ctx, self))
        a.report_batch.triggered.connect(lambda: controllers.report_batch(ctx, self))
        a.report_tags.triggered.connect(lambda: controllers.report_tags(ctx, self, self.browser.current_asset_id()))
        a.prepare_print_copies.triggered.connect(lambda: controllers.prepare_print_copies(ctx))
        a.export_assets.triggered.connect(lambda: controllers.export_assets(ctx, self, self.browser.filters()))
        a.new_asset.triggered.connect(lambda: controllers.new_asset(ctx, self))
        a.edit_asset.triggered.connect(lambda: controllers.edit_asset(ctx, self, self.browser.current_asset_id()))
        a.delete_asset.triggered.connect(lambda: controllers.delete_asset(ctx, self.browser.current_asset_id()))
        a.find.triggered.connect(self.browser.focus_search)
        a.next_asset.triggered.connect(self.browser.select_next)
        a.previous_asset.triggered.connect(self.browser.select_previous)
        a.start_inspection.triggered.connect(
            lambda: controllers.start_inspection(ctx, self, self.browser.current_asset_id()))
        a.today_tasks.triggered.connect(lambda: inspection.open_today(ctx, self))
        a.inspection_plans.triggered.connect(lambda: inspection.open_plans(ctx, self))
        a.defects.triggered.connect(lambda: inspection.open_defects(ctx, self))
        a.about.triggered.connect(lambda: controllers.about(ctx, self))
        a.toggle_detail.toggled.connect(self.detail.setVisible)
        a.show_map.triggered.connect(self.show_map)
        self.detail.visibilityChanged.connect(a.toggle_detail.setChecked)
        a.theme_dark.toggled.connect(self.theme_toggled)
        self.browser.asset_selected.connect(self.detail.show_asset)
        self.browser.asset_selected.connect(self._update_enabled)
        self.browser.asset_activated.connect(lambda asset_id: controllers.edit_asset(ctx, self, asset_id))
        self.browser.columns_changed.connect(self._save_columns)
        self.detail.asset_requested.connect(self.browser.select_asset)
        self.detail.edit_requested.connect(lambda asset_id: controllers.edit_asset(ctx, self, asset_id))
        # A bound method, not a lambda: Qt drops the connection with this window, and the hub's windows then know
        # that no map listens (their "pick on map" buttons are disabled).
        inspection.windows_of(ctx).pick_position_requested.connect(self.pick_inspector_position)
        self._update_enabled("")

    def show_map(self):
        """The map dock, created on first use: QtWebEngine costs about a second to start, so start-up doesn't pay."""
        if self.map is None:
            from nibi_desk.gui.map.map_dock import MapDock

            self.map = MapDock(self.ctx, self)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.map)
            self.map.asset_selected.connect(self.show_clicked_asset)
            self.browser.asset_selected.connect(self.map.center_on)
            if self.browser.current_asset_id():
                self.map.center_on(self.browser.current_asset_id())  # the map opens on the selected asset
        self.map.show()
        self.map.raise_()
        return self.map

    def pick_inspector_position(self, inspection_id: str) -> None:
        controllers.pick_inspector_position(self.ctx, self, inspection_id)

    def show_clicked_asset(self, asset_id: str) -> None:
        """An asset clicked on the map: selected in the table when the table lists it (the detail dock follows the
        table), otherwise the table's selection is cleared and the detail dock shows it alone."""
        if self.browser.select_asset(asset_id) or self.browser.is_busy():
            if self.detail.asset_id != asset_id:
                self.detail.show_asset(asset_id)
            return
        self.browser.clear_selection()
        self.detail.show_asset(asset_id)

    def closeEvent(self, event) -> None:
        self.picker.cancel()
        if self.map is not None:
            self.map.dispose()
        super().closeEvent(event)

    def _update_enabled(self, asset_id: str) -> None:
        for action in (self.actions.edit_asset, self.actions.delete_asset, self.actions.start_inspection):
            action.setEnabled(bool(asset_id))

    def _save_columns(self, columns: list) -> None:
        if self.ctx.settings is not None:
            self.ctx.settings.set("table_columns", list(columns))

    def retranslate(self) -> None:
        self.actions.retranslate()
        self.file_menu.setTitle(self.tr("&Registry"))
        self.asset_menu.setTitle(self.tr("&Asset"))
        self.inspection_menu.setTitle(self.tr("&Inspection"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))
        self.setWindowTitle(self.tr("NIBI Desk — {county}").format(county=self.ctx.registry.county_name))
        self.statusBar().retranslate()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
