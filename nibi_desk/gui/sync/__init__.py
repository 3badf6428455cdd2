"""Bundles in the GUI: export, import (with the dry-run preview), conflicts, devices and exchange history.

The main window's menu actions call these entry points; each opens a non-modal dialog (modal to ``parent``) and
returns it. All work runs through ``ctx.tasks`` (progress, cancel); messages go through ``ctx.interaction``.
"""

from __future__ import annotations


def _show(dialog, parent):
    dialog.setModal(parent is not None)
    dialog.show()
    return dialog


def open_export_bundle(ctx, parent=None):
    from nibi_desk.gui.sync.export_dialog import BundleExportDialog

    return _show(BundleExportDialog(ctx, parent), parent)


def open_import_bundle(ctx, parent=None, path=None):
    from nibi_desk.gui.sync.import_wizard import BundleImportWizard

    return _show(BundleImportWizard(ctx, parent, path), parent)


def open_conflicts(ctx, parent=None):
    from nibi_desk.gui.sync.conflicts_view import ConflictsDialog

    return _show(ConflictsDialog(ctx, parent), parent)


def open_devices(ctx, parent=None):
    from nibi_desk.gui.sync.devices_dialog import DevicesDialog

    return _show(DevicesDialog(ctx, parent), parent)
