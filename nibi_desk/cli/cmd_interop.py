"""`nibi import ledger` and `nibi export FORMAT`: Excel/CSV ledgers in, CSV, XLSX, GeoJSON, KML and GeoPackage out."""

from __future__ import annotations

import sys

from nibi_desk.cli.main import CliError, add_common, open_registry
from nibi_desk.i18n import _

CRS_CHOICES = ["WGS84", "CGCS2000", "GCJ02", "BD09"]


def register(sub) -> None:
    p = sub.add_parser("import", help=_("import assets from a county ledger (Excel or CSV)"),
                       description=_("Import assets from files kept outside the registry."))
    isub = p.add_subparsers(dest="import_command", metavar=_("source"))
    isub.required = True
    q = isub.add_parser(
        "ledger", help=_("import an Excel or CSV ledger (台账) of base stations, poles or cameras"),
        description=_("Import a ledger (.xlsx, .xls, .csv in UTF-8 or GB18030, or an OpenCelliD cell export). "
                      "Columns are mapped from their Chinese or English headers; every row is checked. Rows whose "
                      "code matches an asset of the same type update it; new rows close to an existing asset of "
                      "the same type are held back as possible duplicates."))
    q.add_argument("file", help=_("the ledger file"))
    q.add_argument("--sheet", help=_("sheet name (default: the first sheet)"))
    q.add_argument("--header-row", type=int, help=_("row number of the header (default: detected)"))
    q.add_argument("--type", help=_("asset type of every row: base_station, smart_pole, camera (or its name)"))
    q.add_argument("--type-column", help=_("column that gives each row's type (header, letter or number)"))
    q.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help=_("map a field to a column, overriding the suggestion (repeatable; empty COLUMN unmaps)"))
    q.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help=_("give a field the same value on every row, e.g. site_type=macro_tower (repeatable)"))
    q.add_argument("--crs", default="WGS84", choices=CRS_CHOICES, help=_("coordinate system of the file"))
    q.add_argument("--distance", type=float, default=20.0,
                   help=_("metres within which a new row counts as a possible duplicate (0: no check; default 20)"))
    q.add_argument("--import-nearby", action="store_true",
                   help=_("import possible duplicates too (e.g. several cameras on one pole)"))
    q.add_argument("--dry-run", action="store_true", help=_("only show what would happen; write nothing"))
    q.add_argument("--mode", default="all-or-nothing", choices=["all-or-nothing", "valid-only"],
                   help=_("all-or-nothing: any error means nothing is written; valid-only: write the good rows"))
    q.add_argument("--errors", metavar="OUT.xlsx",
                   help=_("write the rows that are not imported, with the reason, to this workbook (.xlsx or .csv)"))
    add_common(q)
    q.set_defaults(handler=cmd_import_ledger)

    p = sub.add_parser("export", help=_("export assets to CSV, XLSX, GeoJSON, KML or GeoPackage"),
                       description=_("Export the registry's assets (optionally filtered) for Excel, GIS and globes."))
    p.add_argument("format", choices=["csv", "xlsx", "geojson", "kml", "gpkg"], help=_("file format"))
    p.add_argument("--out", required=True, help=_("output file"))
    p.add_argument("--type", action="append", help=_("only this type (repeatable)"))
    p.add_argument("--township", help=_("only this township (9- or 12-digit code)"))
    p.add_argument("--status", action="append", help=_("only this status (repeatable)"))
    p.add_argument("--bbox", metavar="W,S,E,N", help=_("only inside this box (longitude/latitude, WGS-84)"))
    p.add_argument("--srs", type=int, default=4326, choices=[4326, 4490],
                   help=_("GeoPackage spatial reference: 4326 (WGS 84) or 4490 (CGCS2000)"))
    add_common(p)
    p.set_defaults(handler=cmd_export)


def _pairs(items: list[str], option: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CliError("{option} needs FIELD=VALUE, got {item}", option=option, item=item)
        out[key.strip()] = value.strip()
    return out


def _progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty() and total:
        print(f"\r{label} {done}/{total}", end="", file=sys.stderr, flush=True)


def cmd_import_ledger(args, out) -> int:
    from nibi_desk.interop import ledger

    options = ledger.Options(sheet=args.sheet, header_row=args.header_row, type_code=args.type,
                             type_column=args.type_column, assignments=_pairs(args.map, "--map"),
                             constants=_pairs(args.set, "--set"), crs=args.crs, distance_m=args.distance,
                             import_nearby=args.import_nearby)
    with open_registry(args) as registry:
        plan = ledger.plan(registry, args.file, options, progress=_progress)
        report = plan.as_json()
        if args.dry_run:
            if args.errors and (report["counts"]["error"] or report["counts"]["duplicate"]):
                report["errors_file"] = str(ledger.write_errors(plan, args.errors))
        else:
            report["result"] = ledger.apply(registry, plan, args.mode, args.errors, progress=_progress).as_json()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    out.emit(report, _import_text)
    return 0


def _import_text(report: dict) -> str:
    c = report["counts"]
    lines = [_("{file} ({sheet}), header row {row}: {new} new, {update} to update, {unchanged} unchanged, "
               "{duplicate} possible duplicates, {error} with errors, {blank} blank").format(
        file=report["file"], sheet=report["sheet"], row=report["header_row"], **c)]
    lines.append(_("columns: {mapping}").format(mapping=", ".join(f"{k}={v}" for k, v in report["mapping"].items())))
    outcome_titles = {"error": _("error"), "duplicate": _("duplicate?"), "update": _("update"),
                      "unchanged": _("unchanged"), "new": _("new")}
    for row in report["rows"]:
        if row["outcome"] == "new" and not row["findings"]:
            continue
        detail = "; ".join(row["reasons"] + row["findings"] + [
            f"{k}: {v[0]} → {v[1]}" for k, v in row["changes"].items()])
        lines.append(_("row {row}").format(row=row["row"]) + f"  {outcome_titles[row['outcome']]}  "
                     f"{row['code'] or '-'}  {row['name'] or ''}  {detail}")
    result = report.get("result")
    if result:
        lines.append(_("Imported: {inserted} new, {updated} updated; {refused} rows not imported").format(**result))
    elif "result" not in report:
        lines.append(_("Dry run: nothing was written"))
    if report.get("errors_file") or (result and result.get("errors_file")):
        lines.append(_("Rows not imported, with reasons: {path}").format(
            path=report.get("errors_file") or result["errors_file"]))
    return "\n".join(lines)


def cmd_export(args, out) -> int:
    from nibi_desk.interop import export
    from nibi_desk.storage.assets import Filters

    bbox = None
    if args.bbox:
        try:
            bbox = tuple(float(v) for v in args.bbox.split(","))
        except ValueError:
            bbox = ()
        if len(bbox) != 4:
            raise CliError("--bbox needs four numbers W,S,E,N, got {value}", value=args.bbox)
    selection = export.Selection(Filters(types=tuple(args.type) if args.type else None, township=args.township,
                                         status=tuple(args.status) if args.status else None), bbox)
    with open_registry(args) as registry:
        result = export.export(registry, args.format, args.out, selection, args.srs, progress=_progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    out.emit(result.as_json(), lambda r: _("Exported {count} assets to {path}").format(**r))
    return 0
