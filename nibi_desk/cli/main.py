"""`nibi`: the command line for offices that script their work; every subcommand takes --db and --json."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from nibi_desk import __version__, datadir, i18n
from nibi_desk.errors import NibiError
from nibi_desk.i18n import _


class CliError(NibiError):
    """Bad command-line usage found after parsing (e.g. a missing value that depends on another option)."""


class Output:
    """Prints results as text for people or as JSON for scripts."""

    def __init__(self, as_json: bool, stream=None):
        self.as_json = as_json
        self.stream = stream or sys.stdout

    def emit(self, data: Any, text: Callable[[Any], str] | None = None) -> None:
        if self.as_json:
            json.dump(data, self.stream, ensure_ascii=False, indent=1, default=str)
            self.stream.write("\n")
        else:
            self.stream.write((text(data) if text else str(data)) + "\n")


def add_common(parser: argparse.ArgumentParser, db: bool = True) -> None:
    if db:
        parser.add_argument("--db", type=Path, default=None,
                            help=_("registry file (default: the demo county in the data directory)"))
    parser.add_argument("--json", action="store_true", help=_("machine-readable JSON output"))


def open_registry(args, create_demo: bool = True):
    from nibi_desk.storage.registry import Registry

    path = args.db or datadir.default_registry_path()
    if args.db is None and not path.exists() and create_demo:
        from nibi_desk.cli.cmd_registry import create_demo_registry

        create_demo_registry(path, quiet=True)
    return Registry.open(path, actor=_actor())


def _actor() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers; the audit still records the device
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    from nibi_desk.cli import cmd_bundle, cmd_devices
    from nibi_desk.cli import (cmd_assets, cmd_defects, cmd_divisions, cmd_grid, cmd_inspect, cmd_interop, cmd_map,
                               cmd_photos, cmd_plans, cmd_registry, cmd_report, cmd_users)

    parser = argparse.ArgumentParser(prog="nibi", description=_("NIBI Desk (新基建巡检台) command line"))
    parser.add_argument("--version", action="version", version=f"nibi-desk {__version__}")
    parser.add_argument("--lang", choices=i18n.SUPPORTED, help=_("language of messages (default zh_CN)"))
    sub = parser.add_subparsers(dest="command", metavar=_("command"))
    sub.required = True
    for module in (cmd_registry, cmd_divisions, cmd_assets, cmd_grid, cmd_map, cmd_photos, cmd_interop, cmd_users,
                   cmd_inspect, cmd_defects, cmd_plans, cmd_report, cmd_bundle, cmd_devices):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language must be known before help texts are built, so --lang is read ahead of full parsing.
    for i, arg in enumerate(argv):
        lang = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2] \
            if arg.startswith("--lang=") else None
        if lang in i18n.SUPPORTED:
            i18n.set_language(lang)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:  # also covers --lang=en, which the look-ahead above does not see
        i18n.set_language(args.lang)
    out = Output(getattr(args, "json", False))
    try:
        return args.handler(args, out) or 0
    except NibiError as e:
        print(_("error: {message}").format(message=e.message()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `nibi ... | head` closed the pipe: not an error worth a traceback
        return 0


if __name__ == "__main__":
    sys.exit(main())
