"""`nibi report inspection|batch|prepare|summary|notice|closure|tags|targets|population`: the printed documents as
PDFs, and the print copies of their photos made ahead."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from nibi_desk.cli.main import CliError, add_common, open_registry
from nibi_desk.i18n import _


def _selection(q) -> None:
    """Which submitted inspections (``reports.batch.select``): of a plan, a township, a period."""
    q.add_argument("--plan", help=_("only inspections of this plan (id)"))
    q.add_argument("--township", help=_("only assets of this township (9 or 12 digits)"))
    q.add_argument("--from", dest="start", help=_("submitted on or after YYYY-MM-DD"))
    q.add_argument("--to", dest="end", help=_("submitted on or before YYYY-MM-DD"))


def _options(q) -> None:
    q.add_argument("--issuing-unit", default="", help=_("issuing unit printed in the header"))
    q.add_argument("--header", default="", help=_("banner line above the title (default: the issuing unit)"))
    q.add_argument("--doc-prefix", default="NIBI", help=_("prefix of document numbers (default NIBI)"))
    q.add_argument("--basemap", type=Path, metavar="FILE.mbtiles", help=_("raster MBTiles basemap for maps"))
    q.add_argument("--today", type=date.fromisoformat, help=_("as-of date YYYY-MM-DD (default today)"))


def register(sub) -> None:
    p = sub.add_parser("report", help=_("print reports, summaries, notices and tags as PDF"),
                       description=_("PDF documents: inspection reports, batches, period summaries against targets, "
                                     "rectification notices, closure records, asset QR tags; and the targets."))
    rsub = p.add_subparsers(dest="report_command", metavar=_("document"))
    rsub.required = True

    q = rsub.add_parser("inspection", help=_("the report of one inspection"),
                        description=_("Write the report of one submitted inspection."))
    q.add_argument("id", help=_("inspection id"))
    q.add_argument("--out", type=Path, required=True, metavar="PDF", help=_("PDF file to write"))
    _options(q)
    add_common(q)
    q.set_defaults(handler=cmd_inspection)

    q = rsub.add_parser("batch", help=_("the reports of many inspections"),
                        description=_("Reports of every submitted inspection of a plan, township and/or period, as "
                                      "one PDF with a bookmark per asset or as one file each (--separate)."))
    _selection(q)
    q.add_argument("--separate", action="store_true", help=_("one PDF per inspection; --out is a folder"))
    q.add_argument("--out", type=Path, required=True, metavar="PDF_OR_DIR", help=_("PDF file (or folder)"))
    _options(q)
    add_common(q)
    q.set_defaults(handler=cmd_batch)

    q = rsub.add_parser("prepare", help=_("make the print copies of inspection photos ahead of printing"),
                        description=_("Make the downscaled, evidence-stamped print copies of the photos of submitted "
                                      "inspections that are not cached yet, so that their reports and batches "
                                      "print without decoding photos."))
    _selection(q)
    q.add_argument("--all-missing", action="store_true", help=_("every submitted inspection whose copies are missing"))
    q.add_argument("--workers", type=int, metavar="N", help=_("worker processes (default: one per core but one)"))
    add_common(q)
    q.set_defaults(handler=cmd_prepare)

    q = rsub.add_parser("summary", help=_("the period summary against targets"),
                        description=_("KPIs per township and asset type for a period (2026, 2026-H2, 2026-Q3, "
                                      "2026-05) against the targets, with charts and overdue lists."))
    q.add_argument("period", help=_("period: 2026, 2026-H2, 2026-Q3 or 2026-05"))
    q.add_argument("--township", help=_("only this township"))
    q.add_argument("--out", type=Path, required=True, metavar="PDF", help=_("PDF file to write"))
    _options(q)
    add_common(q)
    q.set_defaults(handler=cmd_summary)

    q = rsub.add_parser("notice", help=_("a rectification notice"),
                        description=_("A rectification notice for one defect, or for every open defect of a "
                                      "responsible unit (--unit)."))
    who = q.add_mutually_exclusive_group(required=True)
    who.add_argument("--defect", action="append", help=_("defect id (repeatable)"))
    who.add_argument("--unit", help=_("responsible unit: all its open defects on one notice"))
    q.add_argument("--out", type=Path, required=True, metavar="PDF", help=_("PDF file to write"))
    _options(q)
    add_common(q)
    q.set_defaults(handler=cmd_notice)

    q = rsub.add_parser("closure", help=_("the closure record of a defect"),
                        description=_("The closure record of a rectified defect with before/after photo pairs."))
    q.add_argument("defect", help=_("defect id"))
    q.add_argument("--out", type=Path, required=True, metavar="PDF", help=_("PDF file to write"))
    _options(q)
    add_common(q)
    q.set_defaults(handler=cmd_closure)

    from nibi_desk.reports.tags import DEFAULT_LAYOUT, LAYOUTS

    q = rsub.add_parser("tags", help=_("asset QR tag sheets"),
                        description=_("QR code, code, name and grid code of assets on A4 label sheets."))
    q.add_argument("assets", nargs="*", metavar="CODE_OR_ID", help=_("assets (default: --township / --type)"))
    q.add_argument("--township", help=_("every asset of this township"))
    q.add_argument("--type", dest="types", action="append", help=_("only this asset type (repeatable)"))
    q.add_argument("--layout", choices=sorted(LAYOUTS), default=DEFAULT_LAYOUT,
                   help=_("label sheet layout (default {layout})").format(layout=DEFAULT_LAYOUT))
    q.add_argument("--skip", type=int, default=0, help=_("labels already used on the first sheet"))
    q.add_argument("--outline", action="store_true", help=_("draw label borders (plain paper)"))
    q.add_argument("--out", type=Path, required=True, metavar="PDF", help=_("PDF file to write"))
    _options(q)
    add_common(q)
    q.set_defaults(handler=cmd_tags)

    from nibi_desk.cli.cmd_users import add_user_option
    from nibi_desk.reports.targets import KPIS

    q = rsub.add_parser("targets", help=_("KPI targets per division and period"),
                        description=_("List or set the targets the period summary compares with (office)."))
    tsub = q.add_subparsers(dest="targets_command", metavar=_("action"))
    tsub.required = True
    t = tsub.add_parser("list", help=_("list targets and populations"), description=_("List targets and "
                                                                                      "populations."))
    add_common(t)
    t.set_defaults(handler=cmd_targets_list)
    t = tsub.add_parser("set", help=_("set a target"), description=_("Set a target (office): rates as 80%% or 0.8."))
    t.add_argument("--division", required=True, help=_("county (6 digits) or township (9 or 12 digits)"))
    t.add_argument("--period", required=True, help=_("2026, 2026-H2, 2026-Q3 or 2026-05"))
    t.add_argument("--kpi", required=True, choices=list(KPIS), help=_("indicator"))
    t.add_argument("--target", required=True, help=_("target value, e.g. 80%% or 20"))
    t.add_argument("--amber", help=_("amber margin below the target, e.g. 5%%"))
    add_user_option(t)
    add_common(t)
    t.set_defaults(handler=cmd_targets_set)

    q = rsub.add_parser("population", help=_("population per division and year"),
                        description=_("Set the population of a county or township (office), used for 5G sites "
                                      "per 10,000 people."))
    q.add_argument("--division", required=True, help=_("county (6 digits) or township (9 or 12 digits)"))
    q.add_argument("--year", type=int, required=True, help=_("year"))
    q.add_argument("--population", type=int, required=True, help=_("number of people"))
    q.add_argument("--source", help=_("where the number comes from"))
    add_user_option(q)
    add_common(q)
    q.set_defaults(handler=cmd_population)


def options_from(args, registry):
    from nibi_desk.reports.furniture import ReportOptions

    basemap = None
    if getattr(args, "basemap", None):
        from nibi_desk.maps.mbtiles import MBTiles

        basemap = MBTiles(args.basemap)
    return ReportOptions(issuing_unit=args.issuing_unit, header=args.header, doc_prefix=args.doc_prefix,
                         basemap=basemap, today=args.today)


def _done(out, path: Path, pages: int, extra: dict | None = None) -> int:
    data = {"file": str(path), "pages": pages, **(extra or {})}
    out.emit(data, lambda d: _("Wrote {file} ({pages} pages)").format(**d))
    return 0


def cmd_inspection(args, out) -> int:
    from nibi_desk.reports.inspection import write_inspection_report

    with open_registry(args) as registry:
        pages = write_inspection_report(registry, args.id, args.out, options_from(args, registry))
    return _done(out, args.out, pages)


def cmd_batch(args, out) -> int:
    from nibi_desk.reports import batch

    with open_registry(args) as registry:
        rows = batch.select(registry, args.plan, args.township, args.start, args.end)

        def progress(done, total, label):
            if not args.json and sys.stderr.isatty():
                print(f"\r{done}/{total} {label[:30]:<30}", end="", file=sys.stderr, flush=True)

        result = batch.write_batch(registry, args.out, rows, options_from(args, registry), args.separate, progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    return _done(out, args.out, result.pages, {"inspections": result.inspections,
                                               "files": [str(f) for f in result.files]})


def cmd_prepare(args, out) -> int:
    from nibi_desk.reports import batch, print_copies

    chosen = args.plan or args.township or args.start or args.end
    if bool(chosen) == bool(args.all_missing):
        raise CliError("Give --plan, --township, --from/--to, or --all-missing")
    with open_registry(args) as registry:
        if args.all_missing:
            ids = print_copies.submitted(registry.read())
        else:
            ids = [row["id"] for row in batch.select(registry, args.plan, args.township, args.start, args.end)]
        stats = prepare_print_copies(registry, ids, args.json, args.workers)
    out.emit(stats.to_dict(), describe_print_copies)
    return 0


def prepare_print_copies(registry, inspection_ids, quiet: bool = False, workers: int | None = None):
    """Make the missing print copies of the inspections with a progress line on a terminal (also used after
    ``nibi bundle import``); returns the stats."""
    from nibi_desk.reports import print_copies

    shown = []

    def progress(done, total):
        if total and not quiet and sys.stderr.isatty():
            print("\r" + _("print copies {done}/{total}").format(done=done, total=total), end="", file=sys.stderr,
                  flush=True)
            shown.append(done)

    try:
        return print_copies.prepare(registry, inspection_ids, progress, workers=workers)
    finally:
        if shown:
            print(file=sys.stderr)


def describe_print_copies(d: dict) -> str:
    """The summary line of ``Stats.to_dict()`` and a line per photo that could not be made."""
    from nibi_desk.reports.print_copies import FAILED, SUMMARY

    return "\n".join([_(SUMMARY).format(**d)] + ["  " + _(FAILED).format(sha=f["sha256"][:12], reason=f["reason"])
                                                for f in d["failures"]])


def cmd_summary(args, out) -> int:
    from nibi_desk.reports.summary import write_summary

    with open_registry(args) as registry:
        pages = write_summary(registry, args.period, args.out, options_from(args, registry), args.township)
    return _done(out, args.out, pages)


def cmd_notice(args, out) -> int:
    from nibi_desk.reports import notice

    with open_registry(args) as registry:
        if args.unit:
            pages = notice.write_unit_notice(registry, args.unit, args.out, options_from(args, registry))
        else:
            pages = notice.write_notice(registry, args.defect, args.out, options_from(args, registry))
    return _done(out, args.out, pages)


def cmd_closure(args, out) -> int:
    from nibi_desk.reports import notice

    with open_registry(args) as registry:
        pages = notice.write_closure(registry, args.defect, args.out, options_from(args, registry))
    return _done(out, args.out, pages)


def cmd_tags(args, out) -> int:
    from nibi_desk.reports import tags

    if not (args.assets or args.township or args.types):
        raise CliError("Name assets, or give --township or --type")
    with open_registry(args) as registry:
        pages = tags.write_tags(registry, args.out, args.assets or None, args.township, args.types, args.layout,
                                options_from(args, registry), args.skip, args.outline)
    return _done(out, args.out, pages)


def cmd_targets_list(args, out) -> int:
    from nibi_desk.reports import targets

    with open_registry(args) as registry:
        conn = registry.read()
        data = {"targets": targets.list_targets(conn), "population": targets.list_population(conn),
                "defaults": targets.DEFAULTS}

    def text(d):
        value = targets.format_value
        lines = [f"{t['division_name'] or t['division']:<10} {t['period']:<8} {targets.kpi_title(t['kpi']):<16} "
                 f"{value(t['kpi'], t['target']):>8}  ±{value(t['kpi'], t['amber_margin'])}" for t in d["targets"]]
        lines += [f"{p['division_name'] or p['division']:<10} {p['year']:<8} {p['population']:>10,}"
                  for p in d["population"]]
        lines += [_("default: {kpi} {value}").format(kpi=targets.kpi_title(k), value=targets.format_value(k, v))
                  for k, v in d["defaults"].items()]
        return "\n".join(lines)

    out.emit(data, text)
    return 0


def cmd_targets_set(args, out) -> int:
    from nibi_desk.cli.cmd_users import signed_in
    from nibi_desk.reports import targets

    with open_registry(args) as registry:
        row_id = targets.set_target(signed_in(args, registry), args.division, args.period, args.kpi, args.target,
                                    args.amber)
    out.emit({"id": row_id}, lambda d: _("Target saved ({id})").format(**d))
    return 0


def cmd_population(args, out) -> int:
    from nibi_desk.cli.cmd_users import signed_in
    from nibi_desk.reports import targets

    with open_registry(args) as registry:
        row_id = targets.set_population(signed_in(args, registry), args.division, args.year, args.population,
                                        args.source)
    out.emit({"id": row_id}, lambda d: _("Population saved ({id})").format(**d))
    return 0
