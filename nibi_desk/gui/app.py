"""`nibi-desk`: start-up (first run, last registry), the application controller, and --screenshot mode."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="nibi-desk", description="NIBI Desk (新基建巡检台)")
    parser.add_argument("--db", type=Path, help="registry file to open (default: the last one, or the demo county)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="interface language")
    parser.add_argument("--screenshot", type=Path, help="render the main window to this PNG and exit")
    parser.add_argument("--settings", type=Path, help="settings file (INI) instead of the user's settings")
    parser.add_argument("--demo", action="store_true", help="open the demo county (created on first use)")
    parser.add_argument("file", nargs="?", type=Path,
                        help="a registry (.nibi) to open or a bundle (.nibx) to import (file associations)")
    args = parser.parse_args(argv)
    args.bundle = None
    if args.file is not None:
        if args.file.suffix.lower() == ".nibx":
            args.bundle = args.file
        elif args.db is None:
            args.db = args.file
    return args


class Application:
    """Owns the settings, the interaction port and the current window; switches registries."""

    def __init__(self, app, settings, interaction, ask_sign_in: bool = False):
        self.app = app
        self.settings = settings
        self.interaction = interaction
        self.ask_sign_in = ask_sign_in  # off for --screenshot and tests, which must never wait on a dialog
        self.window = None
        self.ctx = None
        self.lock = None  # storage.lock.RegistryLock of the open registry: one window per registry

    # -- registries --------------------------------------------------------------------------------------------
    def open_registry(self, path: Path) -> bool:
        from nibi_desk.errors import NibiError
        from nibi_desk.gui.context import AppContext
        from nibi_desk.gui.main_window import MainWindow
        from nibi_desk.gui.tasks import TaskRunner
        from nibi_desk.storage.registry import Registry

        lock = None
        try:
            lock = self._lock_registry(path)
            self._backup_on_open(path)
            registry = Registry.open(path, actor=self.settings.get("inspector_name") or None)
        except BaseException as e:
            if lock is not None and lock is not self.lock:
                lock.release()
            if not isinstance(e, NibiError):
                raise
            self.interaction.error(self.app.translate("App", "Cannot open the registry"), e.message())
            return False
        if lock is self.lock:
            self.lock = None  # the same registry again (after a restore): keep its lock through the close
        self.close_registry()
        self.lock = lock
        self.ctx = AppContext(registry, self.interaction, TaskRunner(), self.settings)
        self.window = MainWindow(self.ctx)
        self.window.open_registry_requested.connect(self.choose_and_open)
        self.window.new_registry_requested.connect(self.create_and_open)
        self.window.open_demo_requested.connect(self.open_demo)
        self.window.preferences_requested.connect(self.show_preferences)
        self.window.backups_requested.connect(self.show_backups)
        self.window.theme_toggled.connect(self.set_dark)
        self.window.actions.theme_dark.setChecked(self.settings.get("theme") == "dark")
        self.settings.set("last_registry", str(path))
        recent = [p for p in self.settings.get("recent_registries") if p != str(path)]
        self.settings.set("recent_registries", [str(path)] + recent[:9])
        self.window.resize(1360, 820)
        self.window.show()
        if self.ask_sign_in:
            from nibi_desk.gui.inspection import ensure_signed_in

            ensure_signed_in(self.ctx, self.window)  # only asks when the registry has users
        return True

    def close_registry(self) -> None:
        if self.ctx is not None:  # first, so that no background result reaches the window being deleted
            self.ctx.close()
            self.ctx = None
        if self.window is not None:
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _lock_registry(self, path: Path):
        """This process's lock on ``path`` (the held one when it is the open registry); RegistryLocked when another
        window has it. None when the folder does not allow a lock file (read-only media): opened without one."""
        import logging

        from nibi_desk.storage.lock import RegistryLock

        if self.lock is not None and self.lock.registry_path.resolve() == path.resolve():
            return self.lock
        lock = RegistryLock(path)
        try:
            return lock.acquire()
        except OSError as e:
            logging.getLogger(__name__).warning("no lock file for %s: %s", path, e)
            return None

    def _backup_on_open(self, path: Path) -> None:
        """A rolling backup before anything (migrations included) touches the file; never stops the open."""
        import logging

        from nibi_desk.storage import backup

        try:
            backup.on_open(path)
        except Exception:  # a broken file is reported by Registry.open; a full disk must not lock the user out
            logging.getLogger(__name__).warning("no backup of %s on open", path, exc_info=True)

    def show_backups(self) -> None:
        from nibi_desk.gui.backups import BackupsDialog

        dialog = BackupsDialog(self.ctx, self.window)
        dialog.restore_requested.connect(self.restore_backup)
        dialog.restore_bundle_requested.connect(self.restore_bundle)
        dialog.exec()

    def restore_bundle(self) -> bool:
        """Restore a backup bundle as a new registry and open it."""
        from nibi_desk.gui.sync.restore_dialog import RestoreBundleDialog

        dialog = RestoreBundleDialog(self.window)
        if dialog.exec() and dialog.restored is not None:
            return self.open_registry(dialog.restored)
        return False

    def restore_backup(self, backup_path) -> bool:
        """Close the registry (keeping its lock), put the backup in its place, open it again."""
        from nibi_desk.gui.interaction import show_error
        from nibi_desk.storage import backup

        if self.ctx is None:
            return False
        path = self.ctx.registry.path
        lock, self.lock = self.lock, None
        self.close_registry()
        self.lock = lock
        try:
            backup.restore(Path(backup_path), path)
        except Exception as e:  # the registry is untouched: reopen it as it was
            show_error(self.interaction, e)
            self.open_registry(path)
            return False
        return self.open_registry(path)

    def choose_and_open(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(self.window, self.app.translate("App", "Open registry"), "",
                                              self.app.translate("App", "NIBI registries (*.nibi);;All files (*)"))
        if name:
            self.open_registry(Path(name))

    def create_and_open(self) -> None:
        from nibi_desk.gui.startup import NewRegistryDialog, create_registry

        dialog = NewRegistryDialog(self.window)
        if dialog.exec():
            county, path, division_file = dialog.values()
            try:
                self.open_registry(create_registry(county, path, division_file))
            except Exception as e:  # shown, not fatal: the user can choose again
                from nibi_desk.gui.controllers import show_error

                show_error(self, e)

    def open_demo(self) -> None:
        from nibi_desk import datadir

        path = datadir.demo_registry_path()
        if not path.exists():
            self.build_demo(path)
        self.open_registry(path)

    def build_demo(self, path: Path) -> None:
        """Create the demo registry with a progress dialog (a few seconds)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressDialog

        from nibi_desk.cli.cmd_registry import create_demo_registry

        dialog = QProgressDialog(self.app.translate("App", "Creating the demo county 老河口市…"), "", 0, 0)
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.show()
        self.app.processEvents()
        try:
            create_demo_registry(path, quiet=True)
        finally:
            dialog.close()

    def open_bundle(self, path: Path) -> None:
        """A .nibx given on the command line (double-click): import it into the open registry."""
        from nibi_desk.gui import controllers

        importer = getattr(controllers, "import_bundle", None)  # controllers.import_bundle(ctx, parent, path)
        if importer is None or self.ctx is None:
            self.interaction.info(self.app.translate("App", "Import bundle"),
                                  self.app.translate("App", "Importing bundles is not available in this version."))
            return
        importer(self.ctx, self.window, path)

    def show_preferences(self) -> None:
        from nibi_desk.gui.preferences import PreferencesDialog

        PreferencesDialog(self.settings, self.window).exec()

    def set_dark(self, dark: bool) -> None:
        from nibi_desk.gui.theme import apply_theme

        self.settings.set("theme", "dark" if dark else "light")
        apply_theme(self.app, self.settings.get("theme"))

    def set_language(self, lang: str) -> None:
        from nibi_desk.gui.i18n import install_translations

        install_translations(self.app, lang)  # LanguageChange events make every window retranslate

    # -- start-up ----------------------------------------------------------------------------------------------
    def start(self, db: Path | None) -> bool:
        from nibi_desk import datadir

        if db is not None:
            return self.open_registry(db)
        last = self.settings.get("last_registry")
        if last and Path(last).exists():
            return self.open_registry(Path(last))
        if db is None and not last and datadir.demo_registry_path().exists():
            return self.open_registry(datadir.demo_registry_path())
        return self.first_run()

    def first_run(self) -> bool:
        from nibi_desk.gui.startup import FirstRunDialog

        dialog = FirstRunDialog()
        if not dialog.exec():
            return False
        if dialog.choice == "demo":
            self.open_demo()
        elif dialog.choice == "create":
            self.create_and_open()
        elif dialog.choice == "restore":
            self.restore_bundle()
        else:
            self.choose_and_open()
        return self.window is not None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from nibi_desk.gui import theme

    theme.configure_high_dpi()
    from nibi_desk.gui.map.scheme import register_schemes; register_schemes()  # noqa: E702 (before QApplication)
    from PySide6.QtWidgets import QApplication

    from nibi_desk import datadir
    from nibi_desk.gui import excepthook
    from nibi_desk.gui.fonts import install_bundled_font
    from nibi_desk.gui.i18n import install_translations
    from nibi_desk.gui.interaction import QtInteraction
    from nibi_desk.gui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("NIBI Desk")
    app.setOrganizationName("NIBI")
    install_bundled_font(app)
    settings = Settings.for_file(args.settings) if args.settings else Settings()
    if args.lang:
        settings.set("language", args.lang)
    install_translations(app, settings.get("language"))
    theme.apply_theme(app, settings.get("theme"))
    interaction = QtInteraction()
    excepthook.install(interaction, datadir.data_dir())
    controller = Application(app, settings, interaction, ask_sign_in=not args.screenshot)
    settings.changed.connect(lambda name, value: controller.set_language(value) if name == "language" else None)

    db = args.db
    if (args.screenshot or args.demo) and db is None:
        db = datadir.demo_registry_path() if args.demo else datadir.default_registry_path()
        if not db.exists():
            controller.build_demo(db)
    if not controller.start(db):
        return 1
    if args.screenshot:
        return _screenshot(app, controller, args.screenshot)
    if args.bundle is not None:
        controller.open_bundle(args.bundle)
    code = app.exec()
    controller.close_registry()
    return code


def _screenshot(app, controller, out: Path) -> int:
    """Wait until the table has its first rows (background query), paint, save, exit."""
    from PySide6.QtCore import QElapsedTimer

    timer = QElapsedTimer()
    timer.start()
    browser = controller.window.browser
    while timer.elapsed() < 20000 and browser.model.rowCount() == 0 and browser.is_busy():
        app.processEvents()
    app.processEvents()
    controller.window.grab().save(str(out))
    controller.close_registry()
    return 0


if __name__ == "__main__":
    sys.exit(main())
