"""The interactive map dock: a QWebEngineView on a folium/Leaflet page served from nibi://, fed over QWebChannel.

``register_schemes()`` runs in app.main before the QApplication. The main window creates the dock on first use
(``MainWindow.show_map``, Ctrl+M: QtWebEngine costs about a second, start-up does not pay it) and wires it:

* ``MapDock.asset_selected`` → ``MainWindow.show_clicked_asset`` (the row in the table, or the detail dock alone
  when the table does not list the asset); the browser's ``asset_selected`` → ``MapDock.center_on``;
* positions picked on the map go through one ``picking.MapPicker`` (``MainWindow.picker``): the asset editor and the
  inspection window ask it, step aside while the user clicks, and get WGS-84 back or a cancellation;
* measure and "assets within" are the dock's own tools (``map_tools``); the page's viewport queries, states and
  popup details are answered by ``bridge.MapBridge`` from the read connection (``nibi_desk.maps.viewport``).

Before the window goes, ``MapDock.dispose()`` (also connected to QCoreApplication.aboutToQuit).
"""
