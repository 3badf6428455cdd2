"""The interactive map dock: a QWebEngineView on a folium/Leaflet page served from nibi://, fed over QWebChannel."""
