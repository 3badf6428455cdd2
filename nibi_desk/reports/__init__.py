"""Printed documents (Qt-free, reportlab): inspection reports and batches, period summaries against targets,
rectification notices and closure records, asset QR tag sheets. One module per document type; shared page
furniture in :mod:`.furniture`; the facts they print come from :mod:`.data` and :mod:`.kpis`."""
