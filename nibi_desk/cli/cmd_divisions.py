"""`nibi divisions import|list`: the statistical division tables of the registry's county."""

from __future__ import annotations

from pathlib import Path

from nibi_desk.cli.main import add_common, open_registry
from nibi_desk.i18n import _


def register(sub) -> None:
    p = sub.add_parser("divisions", help=_("import and list administrative divisions"),
                       description=_("Administrative divisions (statistical codes) of the registry's county."))
    dsub = p.add_subparsers(dest="divisions_command", metavar=_("action"))
    dsub.required = True

    q = dsub.add_parser("import", help=_("import a division CSV (all rows or nothing)"),
                        description=_("Import a statistical division CSV (county/township or village layout). "
                                      "Any bad row means nothing is written."))
    q.add_argument("file", type=Path, help=_("CSV file in the official layout"))
    add_common(q)
    q.set_defaults(handler=cmd_import)

    q = dsub.add_parser("list", help=_("list divisions under a parent"),
                        description=_("List the townships of the county, or the villages of a township."))
    q.add_argument("--parent", help=_("6-, 9- or 12-digit code of the parent (default: the county's townships)"))
    add_common(q)
    q.set_defaults(handler=cmd_list)


def cmd_import(args, out) -> int:
    from nibi_desk.storage import divisions

    with open_registry(args) as registry:
        report = divisions.import_file(registry, args.file)
    out.emit(report.__dict__, lambda r: _(
        "Imported {file}: {added} added, {updated} updated, {unchanged} unchanged, {skipped} rows of other counties "
        "skipped").format(file=args.file.name, added=r["added"], updated=r["updated"], unchanged=r["unchanged"],
                          skipped=r["skipped_other_counties"]))
    return 0


def cmd_list(args, out) -> int:
    from nibi_desk.storage import divisions

    with open_registry(args) as registry:
        conn = registry.read()
        parent = args.parent or registry.county
        if args.parent:
            divisions.check_in_county(conn, args.parent, registry.county, field="--parent")
        rows = divisions.children(conn, parent, registry.county)
    out.emit(rows, lambda rs: "\n".join(
        f"{r['code']}  {r['name']}" + (f"  ({r['township_type']})" if r.get("township_type") else "") for r in rs))
    return 0
