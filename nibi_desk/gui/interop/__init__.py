"""Ledger import wizard and export dialog; the main window's menu actions call these two functions."""

from __future__ import annotations


def open_import_wizard(ctx, parent=None):
    """Open the ledger import wizard (non-modal to the app, modal to ``parent``); returns it."""
    from nibi_desk.gui.interop.import_wizard import ImportWizard

    wizard = ImportWizard(ctx, parent)
    wizard.setModal(parent is not None)
    wizard.show()
    return wizard


def open_export_dialog(ctx, parent=None, filters=None, bbox=None):
    """Open the export dialog with the browser's ``filters`` (storage.assets.Filters) and, from the map, the current
    view's ``bbox`` (west, south, east, north); returns it."""
    from nibi_desk.gui.interop.export_dialog import ExportDialog

    dialog = ExportDialog(ctx, parent, filters, bbox)
    dialog.setModal(parent is not None)
    dialog.show()
    return dialog
