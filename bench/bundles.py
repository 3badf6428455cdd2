"""Bundle benchmark: export and import of a county rollup (100k assets + 2,000 photos) against plain zipfile
store/extract of the same bytes in the same run, and the size of a delta export after 1 % of the assets changed.
A measuring script, not a test: it asserts nothing about wall-clock time.

    python bench/bundles.py [--assets 100000] [--photos 2000] [--photo-kb 120] [--changed 0.01] [--out FILE]

1. builds an office registry (bulk insert, as a ledger import would) and a photo store of synthetic JPEG-sized
   blobs with their ``photos`` rows;
2. export: ``nibi bundle export rollup`` (read snapshot, JSON Lines deflated at level 1, photos stored, hashes,
   Ed25519 signature, fsync, rename) vs ``zipfile`` ZIP_STORED of the same uncompressed bytes (+ fsync);
3. import into an empty city registry: every check of the reader (names, sizes, SHA-256, schema of every record),
   the dry-run merge, ONE transaction with the index triggers filled set-based, photos moved into the store after
   the commit — vs ``zipfile.extractall`` of the stored zip (+ fsync of the files);
4. delta: 1 % of the assets edited, then ``export --to`` the city: bytes vs the full bundle.
Throughput ratios are bundle-path MB/s over zipfile MB/s on the same bytes (goal ≥ 0.7).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import zipfile
from pathlib import Path

from _common import OUT_DIR, Timer, environment, fmt, log, table, write_json

from nibi_desk.context import Context
from nibi_desk.photos.store import PhotoStore
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import apply, export, keys, peers


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
    """(store seconds, extract seconds, bytes): the bundle's entries rewritten ZIP_STORED, then extracted."""
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
    target = tmp / "extracted"
    with Timer() as extract:
        with zipfile.ZipFile(plain) as zf:
            zf.extractall(target)
            for name in zf.namelist():
                with open(target / name, "rb") as f:
                    os.fsync(f.fileno())
    shutil.rmtree(source)
    shutil.rmtree(target)
    return store.s, extract.s, total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--photos", type=int, default=2_000)
    parser.add_argument("--photo-kb", type=int, default=120, help="average photo size in KiB")
    parser.add_argument("--changed", type=float, default=0.01, help="share of assets edited before the delta")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "bundles.json")
    args = parser.parse_args(argv)
    results: dict = {"environment": environment(), "assets": args.assets, "photos": args.photos}
    with tempfile.TemporaryDirectory(prefix="nibi-bench-bundles-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ.setdefault("NIBI_DATA_DIR", str(tmp / "data"))
        log("building", args.assets, "assets and", args.photos, "photos")
        with Timer() as t:
            office = build(tmp, args.assets, args.photos, args.photo_kb)
        results["build_s"] = t.s
        city = Registry.create(tmp / "city.nibi", "420600", actor="bench")
        octx, cctx = Context(office), Context(city)
        peers.enroll(octx, keys.card_for(city, "襄阳市"))
        peers.enroll(cctx, keys.card_for(office, "老河口市"))

        log("export")
        with Timer() as t:
            full = export.export_bundle(octx, tmp / "full.nibx", "rollup", to=city.device)
        results["export_s"] = t.s
        results["bundle_bytes"] = full.size
        log("zipfile baseline")
        store_s, extract_s, raw = zip_baseline(full.path, tmp)
        results.update(zip_store_s=store_s, zip_extract_s=extract_s, raw_bytes=raw)

        log("import")
        with Timer() as t:
            plan = apply.import_bundle(cctx, full.path)
        results["import_s"] = t.s
        results["imported"] = plan.totals()
        results["city_assets"] = city.read().execute("SELECT count(*) FROM assets").fetchone()[0]

        log("delta after", args.changed, "of the assets changed")
        ids = [r[0] for r in office.read().execute("SELECT id FROM assets")]
        chosen = random.Random(3).sample(ids, int(len(ids) * args.changed))
        office.writer.run(lambda txn: [txn.update("assets", i, {"notes": "巡检更正"}) for i in chosen])
        with Timer() as t:
            delta = export.export_bundle(octx, tmp / "delta.nibx", "rollup", to=city.device)
        results.update(delta_export_s=t.s, delta_bytes=delta.size, delta_assets=delta.counts["assets"])
        with Timer() as t:
            apply.import_bundle(cctx, delta.path)
        results["delta_import_s"] = t.s
        office.close()
        city.close()

    mb = results["raw_bytes"] / 1e6
    results["export_ratio"] = results["zip_store_s"] / results["export_s"]
    results["import_ratio"] = results["zip_extract_s"] / results["import_s"]
    rows = [
        ("export (bundle)", fmt(results["export_s"], 2), fmt(mb / results["export_s"]), ""),
        ("zipfile store", fmt(results["zip_store_s"], 2), fmt(mb / results["zip_store_s"]),
         f"export {results['export_ratio']:.2f}×"),
        ("import (bundle)", fmt(results["import_s"], 2), fmt(mb / results["import_s"]), ""),
        ("zipfile extract", fmt(results["zip_extract_s"], 2), fmt(mb / results["zip_extract_s"]),
         f"import {results['import_ratio']:.2f}×"),
        ("delta export", fmt(results["delta_export_s"], 2), "",
         f"{results['delta_bytes'] / 1e6:.2f} MB vs {results['bundle_bytes'] / 1e6:.1f} MB "
         f"({100 * results['delta_bytes'] / results['bundle_bytes']:.2f} %)"),
        ("delta import", fmt(results["delta_import_s"], 2), "", f"{results['delta_assets']} assets"),
    ]
    print(table(["step", "seconds", "MB/s", "note"], rows, "lrrl"))
    print(f"{mb:.1f} MB uncompressed ({results['assets']} assets, {results['photos']} photos); "
          f"bundle {results['bundle_bytes'] / 1e6:.1f} MB")
    write_json(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
