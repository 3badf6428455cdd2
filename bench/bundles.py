"""Bundle benchmark: export and import of a county rollup (100k assets + 2,000 photos) against plain zipfile
store/extract of the same bytes in the same run, and the size of a delta export after 1 % of the assets changed.
A measuring script, not a test: it asserts nothing about wall-clock time.

    python bench/bundles.py [--assets 100000] [--photos 2000] [--photo-kb 120,3500] [--changed 0.01] [--repeat 3]
        [--out FILE]

Two scenarios by default, the same 100k assets with 2,000 photos of two sizes: ~120 KB (thumbnail-sized: the
records dominate, 0.3 GB) and ~3.5 MB (what a 12 MP phone or camera writes, the photos the reports bench prints;
7 GB, and some 30 GB of free disk at the peak). Each scenario:

1. builds an office registry (bulk insert, as a ledger import would) and a photo store of synthetic JPEG-sized
   incompressible blobs with their ``photos`` rows;
2. export, ``--repeat`` times: ``nibi bundle export rollup`` (read snapshot, SQL → JSON Lines deflated at level 1,
   photos stored, SHA-256 of every entry, Ed25519 signature, fsync, rename) — vs ``zipfile`` ZIP_STORED of the
   bundle's entries uncompressed (the JSONL, the photos, the manifest) + fsync of the zip;
3. import of each export into a new empty city registry: every check of the reader (names, sizes, SHA-256 of every
   entry, schema of every record), the merge plan, ONE transaction (rows, audit rows, the search / R*Tree / map
   indexes), the photos staged, checked and fsynced on a second thread meanwhile (the transaction waits for them
   before it commits) and moved into the store after the commit — vs ``zipfile.extractall`` of the stored zip
   + fsync of every extracted file;
4. delta: 1 % of the assets edited, then ``export --to`` the city again: bytes vs the full bundle, and its import.

Like with like: both sides handle the same uncompressed bytes (``raw_bytes``), with fsync. The bundle side also
does the work the baseline has no equivalent for: SQL reads and JSON encoding (export), JSON parsing, schema checks,
the merge and the SQLite writes with their indexes (import). Throughput ratio = (raw MB / bundle s) / (raw MB /
zipfile s) = zipfile s / bundle s; the goal is ≥ 0.7. Each side's time is the best of ``--repeat`` runs (the same
rule for both), since other work on a shared machine only ever adds time; every run is kept in the JSON.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from _common import OUT_DIR, Timer, environment, fmt, log, table, write_json

from nibi_desk.context import Context
from nibi_desk.photos.store import PhotoStore
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import apply, export, keys, peers

GOAL = 0.7


def build(tmp: Path, n_assets: int, n_photos: int, photo_kb: int) -> Registry:
    office = Registry.create(tmp / "office.nibi", "420682", actor="bench")
    rnd = random.Random(7)
    towns = [r[0] for r in office.read().execute("SELECT code FROM divisions WHERE level = 'township'")]
    rows = [(("camera", "smart_pole", "base_station")[i % 3], f"设施{i:06d}", f"LHK-{i:06d}", rnd.choice(towns),
             f"光化街道{i % 500}号", 111.5 + rnd.random() * 0.4, 32.25 + rnd.random() * 0.35, "in_service", "{}")
            for i in range(n_assets)]
    office.writer.run(lambda txn: txn.bulk_insert(
        "assets", ["type", "name", "code", "division", "address", "lon", "lat", "status", "attrs"], rows))
    store = PhotoStore.for_registry(office.path)
    photo_rows = []
    for i in range(n_photos):
        size = int(photo_kb * 1024 * (0.5 + rnd.random()))
        data = b"\xff\xd8\xff\xe0" + os.urandom(size)  # incompressible like a JPEG
        sha, _had = store.add_bytes(data)
        photo_rows.append((sha, len(data), "image/jpeg", f"IMG_{i:04d}.jpg", "{}"))
    office.writer.run(lambda txn: txn.bulk_insert("photos", ["sha256", "size", "media_type", "original_name",
                                                             "missing"], photo_rows))
    return office


def zip_baseline(bundle: Path, tmp: Path) -> tuple[float, float, int]:
    """(store seconds, extract seconds, bytes): every entry of the bundle, uncompressed, stored into a new zip with
    ``zipfile`` and fsynced, then extracted with ``zipfile.extractall`` and every file fsynced."""
    source = tmp / "entries"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(source)
    files = sorted(p for p in source.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    plain = tmp / "plain.zip"
    with Timer() as store:
        with zipfile.ZipFile(plain, "w", zipfile.ZIP_STORED) as zf:
            for p in files:
                zf.write(p, p.relative_to(source).as_posix())
        with open(plain, "rb") as f:
            os.fsync(f.fileno())
    shutil.rmtree(source)  # disk space: the phone-photo scenario is 7 GB per copy
    target = tmp / "extracted"
    with Timer() as extract:
        with zipfile.ZipFile(plain) as zf:
            zf.extractall(target)
            for name in zf.namelist():
                with open(target / name, "rb") as f:
                    os.fsync(f.fileno())
    shutil.rmtree(target)
    plain.unlink()
    return store.s, extract.s, total


def new_city(tmp: Path, office_ctx: Context, n: int) -> tuple[Registry, Context]:
    city = Registry.create(tmp / f"city{n}.nibi", "420600", actor="bench")
    cctx = Context(city)
    peers.enroll(office_ctx, keys.card_for(city, f"襄阳市{n}"))
    peers.enroll(cctx, keys.card_for(office_ctx.registry, "老河口市"))
    return city, cctx


def drop_city(city: Registry) -> None:
    city.close()
    for path in (city.path, city.path.with_name(city.path.name + ".photos")):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def timed(fn):
    """(result, wall seconds, CPU seconds of this process, all threads)."""
    cpu = time.process_time()
    with Timer() as t:
        result = fn()
    return result, t.s, time.process_time() - cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--photos", type=int, default=2_000)
    parser.add_argument("--photo-kb", default="120,3500",
                        help="average photo size in KiB, one scenario per comma-separated value (default: 120 KB "
                             "photos, where the records dominate, and 3.5 MB ones, a 12 MP phone photo)")
    parser.add_argument("--changed", type=float, default=0.01, help="share of assets edited before the delta")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the best of them is compared")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "bundles.json")
    args = parser.parse_args(argv)
    scenarios = [run_scenario(args, int(kb)) for kb in args.photo_kb.split(",")]
    for results in scenarios:
        print_results(results, args)
    if len(scenarios) > 1:
        print(table(["photos", "bundle MB", "export ratio", "import ratio"],
                    [(f"{r['photos']} × {r['photo_kb']} KB", fmt(r["raw_bytes"] / 1e6), f"{r['export_ratio']:.2f}×",
                      f"{r['import_ratio']:.2f}×") for r in scenarios]))
    write_json(args.out, {"environment": environment(), "scenarios": scenarios})
    return 0


def run_scenario(args, photo_kb: int) -> dict:
    results: dict = {"assets": args.assets, "photos": args.photos, "photo_kb": photo_kb,
                     "load_avg_start": os.getloadavg(), "runs": []}
    with tempfile.TemporaryDirectory(prefix="nibi-bench-bundles-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ.setdefault("NIBI_DATA_DIR", str(tmp / "data"))
        log("building", args.assets, "assets and", args.photos, f"photos of ~{photo_kb} KB")
        with Timer() as t:
            office = build(tmp, args.assets, args.photos, photo_kb)
        results["build_s"] = t.s
        octx = Context(office)
        city = None
        for n in range(max(1, args.repeat)):
            if city is not None:
                drop_city(city)
            city, cctx = new_city(tmp, octx, n)
            log(f"run {n + 1}/{args.repeat}: export")
            full, export_s, export_cpu = timed(lambda: export.export_bundle(octx, tmp / f"full{n}.nibx", "rollup",
                                                                             to=city.device))
            log(f"run {n + 1}/{args.repeat}: zipfile baseline")
            store_s, extract_s, raw = zip_baseline(full.path, tmp)
            log(f"run {n + 1}/{args.repeat}: import")
            plan, import_s, import_cpu = timed(lambda: apply.import_bundle(cctx, full.path))
            results["runs"].append({"export_s": export_s, "export_cpu_s": export_cpu, "zip_store_s": store_s,
                                    "import_s": import_s, "import_cpu_s": import_cpu, "zip_extract_s": extract_s,
                                    "load_avg": os.getloadavg()})
            results.update(raw_bytes=raw, bundle_bytes=full.size, imported=plan.totals(),
                           city_assets=city.read().execute("SELECT count(*) FROM assets").fetchone()[0])
            full.path.unlink()

        log("delta after", args.changed, "of the assets changed")
        ids = [r[0] for r in office.read().execute("SELECT id FROM assets")]
        chosen = random.Random(3).sample(ids, int(len(ids) * args.changed))
        office.writer.run(lambda txn: [txn.update("assets", i, {"notes": "巡检更正"}) for i in chosen])
        delta, results["delta_export_s"], _cpu = timed(
            lambda: export.export_bundle(octx, tmp / "delta.nibx", "rollup", to=city.device))
        results.update(delta_bytes=delta.size, delta_assets=delta.counts["assets"], delta_since=delta.since)
        plan, results["delta_import_s"], _cpu = timed(lambda: apply.import_bundle(cctx, delta.path))
        results["delta_imported"] = plan.totals()
        office.close()
        drop_city(city)
    results["load_avg_end"] = os.getloadavg()
    runs = results["runs"]
    for key in ("export_s", "zip_store_s", "import_s", "zip_extract_s"):
        results[key] = min(r[key] for r in runs)
    results["export_ratio"] = results["zip_store_s"] / results["export_s"]
    results["import_ratio"] = results["zip_extract_s"] / results["import_s"]
    return results


def print_results(results: dict, args) -> None:
    mb = results["raw_bytes"] / 1e6
    n = len(results["runs"])
    rows = [
        ("export (bundle)", fmt(results["export_s"], 2), fmt(mb / results["export_s"]),
         " ".join(f"{r['export_s']:.2f}" for r in results["runs"])),
        ("zipfile store", fmt(results["zip_store_s"], 2), fmt(mb / results["zip_store_s"]),
         " ".join(f"{r['zip_store_s']:.2f}" for r in results["runs"])),
        ("import (bundle)", fmt(results["import_s"], 2), fmt(mb / results["import_s"]),
         " ".join(f"{r['import_s']:.2f}" for r in results["runs"])),
        ("zipfile extract", fmt(results["zip_extract_s"], 2), fmt(mb / results["zip_extract_s"]),
         " ".join(f"{r['zip_extract_s']:.2f}" for r in results["runs"])),
        ("delta export", fmt(results["delta_export_s"], 2), "", f"{results['delta_assets']} assets changed"),
        ("delta import", fmt(results["delta_import_s"], 2), "", ""),
    ]
    print(table(["step", f"best of {n} s", "MB/s", "every run (s)"], rows, "lrrl"))
    print(f"same bytes on both sides: {mb:.1f} MB uncompressed ({results['assets']} assets as JSON Lines, "
          f"{results['photos']} photos of ~{results['photo_kb']} KB, the manifest); the bundle file is {results['bundle_bytes'] / 1e6:.1f} MB")
    for what, base in (("export", "zipfile store"), ("import", "zipfile extract")):
        ratio = results[f"{what}_ratio"]
        print(f"{what} ratio: {ratio:.2f}× of {base} throughput (goal ≥ {GOAL}×: "
              f"{'met' if ratio >= GOAL else 'not met'})")
    print(f"delta size after {args.changed:.0%} of the assets changed: {results['delta_bytes'] / 1e6:.3f} MB "
          f"({results['delta_bytes']:,} bytes, {100 * results['delta_bytes'] / results['bundle_bytes']:.2f} % of "
          f"the full bundle; {results['delta_assets']} assets)")
    print("load average (1, 5, 15 min) at start {0} and end {1}".format(
        *(" / ".join(f"{x:.2f}" for x in results[k]) for k in ("load_avg_start", "load_avg_end"))))


if __name__ == "__main__":
    raise SystemExit(main())
