"""`nibi-desk`: start the desktop application on a registry (the demo county by default)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="nibi-desk", description="NIBI Desk (新基建巡检台)")
    parser.add_argument("--db", type=Path, help="registry file to open (default: the demo county)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="interface language")
    parser.add_argument("--screenshot", type=Path, help="render the main window to this PNG and exit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication

    from nibi_desk import datadir, i18n
    from nibi_desk.gui.fonts import install_bundled_font
    from nibi_desk.gui.main_window import MainWindow
    from nibi_desk.storage.registry import Registry

    if args.lang:
        i18n.set_language(args.lang)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("NIBI Desk")
    app.setOrganizationName("NIBI")
    install_bundled_font(app)

    path = args.db or datadir.default_registry_path()
    if not path.exists() and args.db is None:
        from nibi_desk.cli.cmd_registry import create_demo_registry

        create_demo_registry(path, quiet=False)
    registry = Registry.open(path, actor=None)
    window = MainWindow(registry)
    window.resize(1280, 800)
    window.show()
    if args.screenshot:
        app.processEvents()
        window.grab().save(str(args.screenshot))
        window.close()
        registry.close()
        return 0
    code = app.exec()
    registry.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
