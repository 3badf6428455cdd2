"""Spreadsheet and GIS interop: import county ledgers (xlsx, xls, csv, OpenCelliD) and export CSV, XLSX, GeoJSON,
KML and GeoPackage. Qt-free; long jobs are generators of progress steps (see progress.py)."""
