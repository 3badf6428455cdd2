"""Batch reports at scale: N inspections × P photos (12 MP JPEGs) as one PDF, against a bare reportlab baseline.

    .venv/bin/python bench/reports.py [--inspections 500] [--photos 4] [--megapixels 12]

Builds (once, kept in bench/out/reports/) a registry with N submitted inspections, each with P distinct 12 MP
photos in the photo store. Then, each in a fresh process (so that peak memory is the run's own ru_maxrss):

* ``ours cold``: the batch with an empty photo cache (every photo stamped and downscaled once, 1600 px);
* ``ours warm``: the same batch again (the cache is reused);
* ``baseline``: a bare reportlab Canvas that only places the same prepared JPEGs, four per page, one page per
  inspection, in the same run order (reportlab's normal in-memory document), with the JPEG bytes as they are
  (``useA85 = 0``, as ours); ``baseline A85`` is the same with reportlab's default ASCII85 wrapping;
* ``ours warm (N/5)``: a fifth of the batch, to show that memory does not grow with the batch.

Prints time and peak memory of each and their ratio to the baseline (goal ≤ 1.3×), and output size against the sum
of placed photo sizes and of original photo sizes. No asserts: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import OUT_DIR, ROOT  # noqa: E402

WORK = OUT_DIR / "reports"


def _make_photo(args) -> str:
    """A distinct 12 MP photo-like JPEG (noise texture, sky, ground, a pole, a number)."""
    index, path, width, height = args
    from PIL import Image, ImageDraw

    if Path(path).exists():
        return path
    base = Image.effect_noise((width // 4, height // 4), 40).convert("RGB").resize((width, height))
    sky = Image.new("RGB", (width, height * 2 // 3), (120 + index % 60, 160, 205))
    base.paste(Image.blend(base.crop((0, 0, width, height * 2 // 3)), sky, 0.8), (0, 0))
    d = ImageDraw.Draw(base)
    d.rectangle((width // 2 - 40, height // 6, width // 2 + 40, height * 5 // 6), fill=(80, 80, 85))
    d.text((100, 100), f"NIBI bench photo {index}", fill=(0, 0, 0))
    d.rectangle((200 + index % 400, 300, 260 + index % 400, 360), fill=(index * 37 % 256, 20, 20))
    base.save(path, "JPEG", quality=88)
    return path


def build(n: int, photos: int, megapixels: float) -> Path:
    """The benchmark registry (reused when it already has ``n`` inspections with ``photos`` photos)."""
    from nibi_desk import demo
    from nibi_desk.context import Context
    from nibi_desk.inspection import evidence, inspections, submission, templates, users
    from nibi_desk.storage.registry import Registry
    from tests.reports_fixtures import PASSWORD, answers_for, signature_png

    import inspect

    _NO_HISTORY = {"history": False} if "history" in inspect.signature(demo.generate).parameters else {}
    db = WORK / f"bench-{n}x{photos}.nibi"
    marker = db.with_suffix(".ready")
    if marker.exists():
        return db
    for old in WORK.glob("bench-*"):  # an earlier registry of another size (the generated photos are kept)
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    WORK.mkdir(parents=True, exist_ok=True)
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    originals = WORK / "originals"
    originals.mkdir(exist_ok=True)
    started = time.perf_counter()
    jobs = [(i, str(originals / f"p{i:05d}.jpg"), width, height) for i in range(n * photos)]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        paths = list(pool.map(_make_photo, jobs, chunksize=8))
    print(f"made {len(paths)} photos of {width}x{height} in {time.perf_counter() - started:.0f} s", flush=True)
    registry = Registry.create(db, "420682", actor="bench")
    demo.generate(registry, scale=0.01, **_NO_HISTORY)
    office = Context(registry)
    users.add_user(office, "office", "王主任", "office", PASSWORD)
    users.sign_in(office, "office", PASSWORD)
    users.add_user(office, "zhang", "张巡检", "inspector", PASSWORD)
    ctx = Context(registry)
    users.sign_in(ctx, "zhang", PASSWORD)
    conn = registry.read()
    assets = [dict(r) for r in conn.execute("SELECT * FROM assets WHERE lon IS NOT NULL AND deleted = 0 "
                                            "ORDER BY seq")]
    signature = signature_png()
    for k in range(n):
        asset = assets[k % len(assets)]
        inspection_id = inspections.start(ctx, asset["id"], resume=False)
        form = templates.form_of(conn, inspections.get(conn, inspection_id)["template"])
        inspections.save_answers(ctx, inspection_id, answers_for(form))
        items = [f.key for f in form.fields if f.needs_photo]
        for j in range(photos):
            values = evidence.store_file(registry.path, paths[k * photos + j])
            submission.attach_photo(ctx, inspection_id, values, item=items[j] if j < len(items) else None)
        inspections.set_position(ctx, inspection_id, asset["lon"] + 0.0002, asset["lat"], "typed")
        submission.set_signature(ctx, inspection_id, signature)
        submission.submit(ctx, inspection_id)
        if k % 50 == 0:
            print(f"inspection {k}/{n}", flush=True)
    registry.close()
    marker.write_text("ok")
    return db


def worker(kind: str, db: str, out: str, limit: int | None) -> dict:
    from nibi_desk.storage.registry import Registry

    registry = Registry.open(db)
    started = time.perf_counter()
    if kind == "ours":
        from nibi_desk.reports import batch
        from nibi_desk.reports.furniture import ReportOptions

        rows = batch.select(registry, limit=limit)
        result = batch.write_batch(registry, out, rows, ReportOptions(issuing_unit="老河口市新基建办"))
        pages, placed = result.pages, None
    else:
        from reportlab import rl_config
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        if kind == "baseline-raw":  # JPEG bytes as they are, like ours (reportlab's default wraps them in ASCII85)
            rl_config.useA85 = 0

        files = json.loads(Path(out + ".inputs.json").read_text())
        c = canvas.Canvas(out, pagesize=A4)
        pages = 0
        for group in files:
            for i, path in enumerate(group):
                x, y = 40 + (i % 2) * 260, 440 - (i // 2) * 210
                c.drawImage(path, x, y, 250, 190, preserveAspectRatio=True)
            c.showPage()
            pages += 1
        c.save()
        placed = sum(Path(p).stat().st_size for group in files for p in group)
    seconds = time.perf_counter() - started
    registry.close()
    return {"seconds": round(seconds, 2), "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "pages": pages, "size_mb": round(Path(out).stat().st_size / 2**20, 1), "placed_mb": placed}


def prepared_inputs(db: Path) -> list[list[str]]:
    """The JPEGs the report placed (cached stamped copies), per inspection in batch order."""
    from nibi_desk.inspection import evidence
    from nibi_desk.photos.stamp import StampFields
    from nibi_desk.reports import batch
    from nibi_desk.reports.photos import PhotoCache
    from nibi_desk.storage.registry import Registry

    with Registry.open(db) as registry:
        conn = registry.read()
        cache = PhotoCache.for_registry(db)
        groups = []
        for row in batch.select(registry):
            inspection = conn.execute("SELECT inspector_name FROM inspections WHERE id = ?", (row["id"],)).fetchone()
            fields = StampFields(asset_code=row["asset_code"] or "", asset_name=row["asset_name"],
                                 inspector=inspection[0])
            groups.append([str(cache.evidence(e, fields).path) for e in evidence.of_inspection(conn, row["id"])])
        return groups


def run(kind: str, db: Path, out: Path, limit: int | None = None) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--db", str(db), "--out", str(out)]
    if limit:
        cmd += ["--limit", str(limit)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=500)
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--megapixels", type=float, default=12)
    parser.add_argument("--worker", choices=["ours", "baseline", "baseline-raw"])
    parser.add_argument("--db")
    parser.add_argument("--out")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.db, args.out, args.limit)))
        return
    db = build(args.inspections, args.photos, args.megapixels)
    store = Path(str(db) + ".photos")
    shutil.rmtree(store / "reports", ignore_errors=True)
    originals = sum(p.stat().st_size for p in store.glob("??/*.jpg"))
    cold = run("ours", db, WORK / "ours-cold.pdf")
    warm = run("ours", db, WORK / "ours-warm.pdf")
    inputs = prepared_inputs(db)
    (WORK / "baseline.pdf.inputs.json").write_text(json.dumps(inputs))
    (WORK / "baseline-raw.pdf.inputs.json").write_text(json.dumps(inputs))
    base_a85 = run("baseline", db, WORK / "baseline.pdf")
    base = run("baseline-raw", db, WORK / "baseline-raw.pdf")
    small = run("ours", db, WORK / "ours-fifth.pdf", limit=max(1, args.inspections // 5))
    placed_mb = base["placed_mb"] / 2**20
    results = {"inspections": args.inspections, "photos_each": args.photos, "originals_mb": round(originals / 2**20),
               "placed_mb": round(placed_mb, 1), "ours_cold": cold, "ours_warm": warm, "baseline": base,
               "baseline_default_a85": base_a85,
               "ours_warm_fifth": small, "when": datetime.now().isoformat(timespec="seconds")}
    (OUT_DIR / "reports.json").write_text(json.dumps(results, indent=1))
    print(f"{args.inspections} inspections x {args.photos} photos; originals {originals / 2**20:.0f} MB, "
          f"placed JPEGs {placed_mb:.0f} MB")
    print(f"{'run':<18}{'seconds':>9}{'peak MB':>9}{'pages':>7}{'PDF MB':>8}{'time x':>8}{'mem x':>7}")
    for name, r in (("baseline", base), ("baseline A85", base_a85), ("ours cold", cold), ("ours warm", warm),
                    (f"ours warm (1/5)", small)):
        print(f"{name:<18}{r['seconds']:>9}{r['peak_mb']:>9}{r['pages']:>7}{r['size_mb']:>8}"
              f"{r['seconds'] / base['seconds']:>8.2f}{r['peak_mb'] / base['peak_mb']:>7.2f}")
    print(f"output/placed photos: ours {warm['size_mb'] / placed_mb:.3f}, baseline {base['size_mb'] / placed_mb:.3f};"
          f" output/original photos: {warm['size_mb'] / (originals / 2**20):.3f}")
    _ = timedelta


if __name__ == "__main__":
    main()
