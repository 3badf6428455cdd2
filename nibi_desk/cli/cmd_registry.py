"""`nibi init`, `nibi demo` and `nibi stats`: create registries, the demo county, and counts."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from nibi_desk import datadir
from nibi_desk.cli.main import CliError, add_common, open_registry
from nibi_desk.i18n import _


def register(sub) -> None:
    p = sub.add_parser("init", help=_("create an empty registry for a county"),
                       description=_("Create an empty registry for a county (GB/T 2260 code)."))
    p.add_argument("--county", required=True, help=_("6-digit county code, e.g. 420682"))
    p.add_argument("--divisions", type=Path, action="append", default=[],
                   help=_("division CSV to import (needed for counties whose divisions are not bundled)"))
    add_common(p)
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help=_("create the demo registry of 老河口市 (420682)"),
                       description=_("Create the embedded demo registry, or check the installation with --check."))
    p.add_argument("--check", action="store_true",
                   help=_("verify that migrations, reference data and resources are found, and print them"))
    p.add_argument("--force", action="store_true", help=_("replace an existing demo registry"))
    p.add_argument("--scale", type=float, default=1.0, help=_("size factor (1.0: about 22,000 assets)"))
    p.add_argument("--seed", type=int, default=420682, help=_("random seed (the same seed gives the same registry)"))
    add_common(p)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("stats", help=_("counts per type, status and township"),
                       description=_("Print counts per type, status and township, and the BeiDou coding rate."))
    add_common(p)
    p.set_defaults(handler=cmd_stats)


def cmd_init(args, out) -> int:
    from nibi_desk.storage import divisions
    from nibi_desk.storage.reference import bundled_counties
    from nibi_desk.storage.registry import Registry

    if args.db is None:
        raise CliError("--db is required: choose where the new registry file goes")
    if args.county not in bundled_counties() and not args.divisions:
        raise CliError("Divisions of county {county} are not bundled; pass --divisions FILE.csv",
                       county=args.county)
    registry = Registry.create(args.db, args.county)
    try:
        reports = [divisions.import_file(registry, f) for f in args.divisions]
        result = {"db": str(args.db), "county": registry.county, "county_name": registry.county_name,
                  "divisions_added": sum(r.added for r in reports)}
    except Exception:
        registry.close()
        args.db.unlink(missing_ok=True)  # a registry whose divisions failed to import is not left half-made
        raise
    registry.close()
    out.emit(result, lambda r: _("Created {db} for {name} ({county})").format(
        db=r["db"], name=r["county_name"], county=r["county"]))
    return 0


def create_demo_registry(path: Path, scale: float = 1.0, seed: int = 420682, quiet: bool = False,
                         force: bool = False) -> dict:
    """Build the demo registry under a temporary name, then rename it into place."""
    from nibi_desk import demo
    from nibi_desk.storage.registry import Registry

    path = Path(path)
    if path.exists() and not force:
        raise CliError("{path} already exists; use --force to replace it", path=str(path))
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(Path(str(tmp) + ".photos"), ignore_errors=True)
    started = time.monotonic()
    registry = Registry.create(tmp, "420682", actor="demo")
    try:
        def progress(done, total):
            if not quiet:
                print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

        summary = demo.generate(registry, seed=seed, scale=scale, progress=progress)
    finally:
        registry.close()
    if not quiet:
        print(file=sys.stderr)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    tmp.replace(path)
    # The photo store sits beside the registry (<registry>.photos): it moves with it.
    photos, built_photos = Path(str(path) + ".photos"), Path(str(tmp) + ".photos")
    if built_photos.exists():
        if photos.exists():
            shutil.rmtree(photos)
        built_photos.rename(photos)
    summary = dict(summary)
    summary.update(db=str(path), total=sum(summary.get("counts", {}).values()),
                   seconds=round(time.monotonic() - started, 2))
    return summary


def cmd_demo(args, out) -> int:
    if args.check:
        from nibi_desk import selfcheck

        checks = selfcheck.run()
        out.emit([c.__dict__ for c in checks], lambda cs: "\n".join(
            f"{'OK ' if c['ok'] else 'FAIL'} {c['name']}: {c['detail']}" for c in cs))
        return 0 if all(c.ok for c in checks) else 1
    path = args.db or datadir.demo_registry_path()
    summary = create_demo_registry(path, scale=args.scale, seed=args.seed, force=args.force)
    out.emit(summary, lambda s: _("Demo registry {db}: {total} assets in {seconds} s").format(
        db=s["db"], total=s["total"], seconds=s["seconds"]))
    return 0


def cmd_stats(args, out) -> int:
    from nibi_desk.storage import assets, divisions

    with open_registry(args) as registry:
        conn = registry.read()
        stats = assets.stats(conn)
        names = {d["code"]: d["name"] for d in divisions.townships(conn, registry.county)}
        stats["county"] = registry.county
        stats["county_name"] = registry.county_name
        stats["township_names"] = {code: names.get(code, code) for code in stats["by_township"]}

    def text(s):
        lines = [_("{name} ({county}): {total} assets, BeiDou coding rate {rate}").format(
            name=s["county_name"], county=s["county"], total=s["total"],
            rate=f"{s['grid_coding_rate']:.1%}" if s["grid_coding_rate"] is not None else "—")]
        for type_code, by_status in s["by_type"].items():
            lines.append(f"  {type_code}: " + ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())))
        for code, n in sorted(s["by_township"].items()):
            lines.append(f"  {s['township_names'][code]} {code}: {n}")
        lines.append(_("  mounts: {n}").format(n=s["mounts"]))
        return "\n".join(lines)

    out.emit(stats, text)
    return 0
