"""What the main window's actions do: thin functions taking the context, so slots stay one line."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from nibi_desk.commands import assets as asset_commands


def new_asset(ctx, parent) -> None:
    from nibi_desk.gui.asset_editor import AssetEditor

    editor = AssetEditor(ctx, None, parent)
    editor.saved.connect(lambda asset_id: parent.browser.select_asset(asset_id))
    editor.open()


def edit_asset(ctx, parent, asset_id: str) -> None:
    if not asset_id:
        ctx.interaction.info(QCoreApplication.translate("Controllers", "Edit asset"), QCoreApplication.translate("Controllers", "Select an asset in the table first."))
        return
    from nibi_desk.gui.asset_editor import AssetEditor

    editor = AssetEditor(ctx, asset_id, parent)
    editor.open()


def import_ledger(ctx, parent) -> None:
    from nibi_desk.gui.interop import open_import_wizard

    open_import_wizard(ctx, parent)


def export_assets(ctx, parent, filters) -> None:
    from nibi_desk.gui.interop import open_export_dialog

    open_export_dialog(ctx, parent, filters=filters)


def delete_asset(ctx, asset_id: str) -> None:
    if not asset_id:
        return
    from nibi_desk.storage import assets

    asset = assets.get(ctx.registry.read(), asset_id)
    if not ctx.interaction.confirm(
            QCoreApplication.translate("Controllers", "Delete asset"),
            QCoreApplication.translate("Controllers", "Delete {name} ({code})? It stays in the history and the deletion travels to other registries.")
            .format(name=asset["name"], code=asset["code"] or "—")):
        return
    ctx.tasks.run(asset_commands.delete_asset, ctx, asset_id, on_error=lambda e: show_error(ctx, e))



def show_error(ctx, error: BaseException) -> None:
    from nibi_desk.gui.interaction import show_error as show

    show(ctx.interaction, error)


def start_inspection(ctx, asset_id: str) -> None:
    ctx.interaction.info(QCoreApplication.translate("Controllers", "Start inspection"),
                         QCoreApplication.translate("Controllers", "Field inspection (checklists, photos, defects) is not available in this version yet."))


def about(ctx, parent) -> None:
    import sqlite3

    import PySide6

    from nibi_desk import __version__

    ctx.interaction.info(
        QCoreApplication.translate("Controllers", "About NIBI Desk"),
        QCoreApplication.translate("Controllers", "NIBI Desk (新基建巡检台) {version}\nPySide6 {qt}, SQLite {sqlite}\n"
           "Bundled font: WenQuanYi Micro Hei (Apache-2.0 or GPLv3 with font exception)")
        .format(version=__version__, qt=PySide6.__version__, sqlite=sqlite3.sqlite_version))
