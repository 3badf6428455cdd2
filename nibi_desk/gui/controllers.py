"""What the main window's actions do: thin functions taking the context, so slots stay one line."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from nibi_desk.commands import assets as asset_commands


def new_asset(ctx, parent) -> None:
    from nibi_desk.gui.asset_editor import AssetEditor

    editor = AssetEditor(ctx, None, parent, picker=getattr(parent, "picker", None))
    editor.saved.connect(lambda asset_id: parent.browser.select_asset(asset_id))
    editor.open()


def edit_asset(ctx, parent, asset_id: str) -> None:
    if not asset_id:
        ctx.interaction.info(QCoreApplication.translate("Controllers", "Edit asset"),
                             QCoreApplication.translate("Controllers", "Select an asset in the table first."))
        return
    from nibi_desk.gui.asset_editor import AssetEditor

    editor = AssetEditor(ctx, asset_id, parent, picker=getattr(parent, "picker", None))
    editor.open()


def pick_inspector_position(ctx, parent, inspection_id: str) -> None:
    """An inspection window asked for "where I stood" on the map: the main window's picker hands the point back."""
    from nibi_desk.gui.inspection import windows_of

    hub = windows_of(ctx)
    window = hub.find(inspection_id)
    if window is not None:
        parent.picker.start(window, window.pick_prompt(),
                            lambda lon, lat: hub.set_picked_position(inspection_id, lon, lat))


def import_ledger(ctx, parent) -> None:
    from nibi_desk.gui.interop import open_import_wizard

    open_import_wizard(ctx, parent)


def export_assets(ctx, parent, filters) -> None:
    from nibi_desk.gui.interop import open_export_dialog

    open_export_dialog(ctx, parent, filters=filters)


def export_bundle(ctx, parent) -> None:
    from nibi_desk.gui.sync import open_export_bundle

    open_export_bundle(ctx, parent)


def import_bundle(ctx, parent, path=None) -> None:
    from nibi_desk.gui.sync import open_import_bundle

    open_import_bundle(ctx, parent, path=path)


def conflicts(ctx, parent) -> None:
    from nibi_desk.gui.sync import open_conflicts

    open_conflicts(ctx, parent)


def devices(ctx, parent) -> None:
    from nibi_desk.gui.sync import open_devices

    open_devices(ctx, parent)


def report_targets(ctx, parent) -> None:
    from nibi_desk.gui.reports.targets_dialog import TargetsDialog

    TargetsDialog(ctx, parent).exec()


def report_summary(ctx, parent) -> None:
    from nibi_desk.gui.reports.actions import open_summary

    open_summary(ctx, parent)


def report_batch(ctx, parent) -> None:
    from nibi_desk.gui.reports.actions import open_batch_reports

    open_batch_reports(ctx, parent)


def report_tags(ctx, parent, asset_id: str) -> None:
    from nibi_desk.gui.reports.actions import open_tags

    if not asset_id:
        ctx.interaction.info(QCoreApplication.translate("Controllers", "Asset tags"),
                             QCoreApplication.translate("Controllers", "Select an asset in the table first."))
        return
    open_tags(ctx, parent, [asset_id])


def prepare_print_copies(ctx) -> None:
    from nibi_desk.gui.print_copies import offer_to_prepare_all

    offer_to_prepare_all(ctx)


def delete_asset(ctx, asset_id: str) -> None:
    if not asset_id:
        return
    from nibi_desk.storage import assets

    asset = assets.get(ctx.registry.read(), asset_id)
    if not ctx.interaction.confirm(
            QCoreApplication.translate("Controllers", "Delete asset"),
            QCoreApplication.translate("Controllers", "Delete {name} ({code})? It stays in the history and the "
                                                      "deletion travels to other registries.")
            .format(name=asset["name"], code=asset["code"] or "—")):
        return
    ctx.tasks.run(asset_commands.delete_asset, ctx, asset_id, on_error=lambda e: show_error(ctx, e))



def show_error(ctx, error: BaseException) -> None:
    from nibi_desk.gui.interaction import show_error as show

    show(ctx.interaction, error)


def start_inspection(ctx, parent, asset_id: str) -> None:
    from nibi_desk.gui.inspection import start_inspection as start

    start(ctx, parent, asset_id)


def user_guide(ctx, parent) -> None:
    from nibi_desk.gui.help import open_guide

    open_guide(ctx, parent)


def about(ctx, parent) -> None:
    from nibi_desk.gui.help import show_about

    show_about(ctx, parent)
