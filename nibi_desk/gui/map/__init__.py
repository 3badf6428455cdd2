"""The interactive map dock: a QWebEngineView on a folium/Leaflet page served from nibi://, fed over QWebChannel.

Wiring in the main window (``register_schemes()`` already ran in app.main before the QApplication)::

    from nibi_desk.gui.map.map_dock import MapDock

    self.map = MapDock(ctx, self)
    self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.map)
    self.map.asset_selected.connect(self.browser.select_asset)   # a click on the map selects the row
    self.browser.asset_selected.connect(self.map.center_on)      # a selected row is shown on the map
    self.view_menu.addAction(self.map.toggleViewAction())
    # before the window goes: self.map.dispose()  (also connected to QCoreApplication.aboutToQuit)
"""
