"""Interop benchmark: importing a 100k-row ledger (xlsx and csv) and exporting 100k assets to a GeoPackage, as ratios
to the raw bulk-insert path and to GDAL's ogr2ogr converting the same CSV to GPKG in the same run. A measuring
script, not a test: it asserts nothing about wall-clock time.

    python bench/interop.py [--rows 100000] [--out bench/out/interop.json] [--seed N] [--workdir DIR] [--keep]

1. generates a deterministic ledger of 老河口市 (cameras, poles, base stations; Chinese headers, township names,
   GB/T 28181 IDs as text) and writes it as .xlsx (openpyxl write-only) and .csv (UTF-8 with BOM), untimed;
2. raw: the same validated rows inserted by one writer transaction with txn.bulk_insert into a new registry (the
   floor any import pays);
3. import: nibi_desk.interop.ledger plan + apply of the .xlsx and of the .csv into new registries, with the split
   into reading/cleaning/checking (plan) and writing (apply);
4. ogr2ogr: the .csv converted to a GeoPackage by GDAL (points from the 经度/纬度 columns), when installed;
5. export: nibi_desk.interop.export of the imported registry to a GeoPackage (EPSG:4326).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import OUT_DIR, Timer, environment, fmt, log, table, write_json

from nibi_desk.interop import export, ledger
from nibi_desk.storage.registry import Registry

COUNTY = "420682"
TOWNSHIPS = ["光化街道", "酂阳街道", "孟楼镇", "竹林桥镇", "薛集镇", "张集镇", "仙人渡镇", "洪山嘴镇", "李楼镇", "袁冲乡"]
HEADER = ["序号", "类型", "编号", "名称", "乡镇/街道", "地址", "经度", "纬度", "状态", "类别", "站型", "杆高"]
STATUS = ["在用"] * 8 + ["故障", "规划"]


def make_rows(n: int, seed: int) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        kind = rng.random()
        town = rng.choice(TOWNSHIPS)
        lon, lat = round(rng.uniform(111.50, 111.88), 6), round(rng.uniform(32.22, 32.60), 6)
        if kind < 0.015:
            rows.append([i + 1, "5G基站", f"LHK-ZHG-{i:06d}", f"{town}5G宏站{i}", town, f"{town}汉江大道{i % 300}号",
                         lon, lat, rng.choice(STATUS), None, rng.choice(["宏站", "楼顶站", "室分"]), None])
        elif kind < 0.105:
            rows.append([i + 1, "智能杆", f"LHK-P-{i:06d}", f"{town}智慧灯杆{i}", town, f"{town}光化大道{i % 500}号",
                         lon, lat, rng.choice(STATUS), None, None, f"{rng.choice([6, 8, 10, 12])}m"])
        else:
            rows.append([i + 1, "摄像机", f"4206820000132{i:07d}", f"{town}路口监控{i}", town, f"{town}胜利路{i % 400}号",
                         lon, lat, rng.choice(STATUS), rng.choice(["一类", "二类"]), None, None])
    return rows


def write_xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["老河口市新基建设施台账"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)


def write_csv(path: Path, rows: list[list]) -> None:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows([["" if c is None else c for c in row] for row in rows])


def import_once(path: Path, db: Path) -> dict:
    with Registry.create(db, COUNTY) as registry:
        with Timer() as planned:
            plan = ledger.plan(registry, path, ledger.Options(distance_m=0))
        with Timer() as applied:
            result = ledger.apply(registry, plan, "valid-only")
    return {"plan_s": planned.s, "apply_s": applied.s, "total_s": planned.s + applied.s,
            "inserted": result.inserted, "refused": result.refused, "plan": plan}


def raw_insert(plan: ledger.Plan, db: Path) -> float:
    rows = [tuple(r.values.get(c) for c in ledger.INSERT_COLUMNS) for r in plan.rows if r.outcome == "new"]
    with Registry.create(db, COUNTY) as registry:
        with Timer() as t:
            registry.writer.run(lambda txn: txn.bulk_insert("assets", ledger.INSERT_COLUMNS, rows))
    return t.s


def ogr2ogr(csv_path: Path, out: Path) -> float | None:
    exe = shutil.which("ogr2ogr")
    if exe is None:
        return None
    with Timer() as t:
        subprocess.run([exe, "-f", "GPKG", str(out), str(csv_path), "-oo", "X_POSSIBLE_NAMES=经度",
                        "-oo", "Y_POSSIBLE_NAMES=纬度", "-oo", "AUTODETECT_TYPE=YES", "-a_srs", "EPSG:4326",
                        "-nln", "assets"], check=True, capture_output=True)
    return t.s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "interop.json")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nibi-interop-", dir=args.workdir))
    try:
        log(f"generating {args.rows} rows in {work}")
        rows = make_rows(args.rows, args.seed)
        xlsx, csv_path = work / "ledger.xlsx", work / "ledger.csv"
        write_xlsx(xlsx, rows)
        write_csv(csv_path, rows)
        log("importing the xlsx")
        from_xlsx = import_once(xlsx, work / "xlsx.nibi")
        log("importing the csv")
        from_csv = import_once(csv_path, work / "csv.nibi")
        log("raw bulk insert")
        raw_s = raw_insert(from_csv["plan"], work / "raw.nibi")
        log("ogr2ogr csv -> gpkg")
        ogr_s = ogr2ogr(csv_path, work / "ogr.gpkg")
        log("export gpkg")
        with Registry.open(work / "csv.nibi") as registry:
            with Timer() as t:
                exported = export.export(registry, "gpkg", work / "export.gpkg")
        export_s = t.s
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    def ratio(a: float | None, b: float | None) -> str:
        return "-" if not a or not b else f"{a / b:.1f}×"

    results = {
        "rows": args.rows, "environment": environment(), "raw_bulk_insert_s": raw_s, "ogr2ogr_csv_to_gpkg_s": ogr_s,
        "import_xlsx": {k: v for k, v in from_xlsx.items() if k != "plan"},
        "import_csv": {k: v for k, v in from_csv.items() if k != "plan"},
        "export_gpkg_s": export_s, "exported": exported.count,
    }
    write_json(args.out, results)
    lines = [
        ("raw bulk insert (validated tuples)", fmt(raw_s, 2), "1.0×", ratio(raw_s, ogr_s)),
        ("import xlsx: plan (read+clean+check)", fmt(from_xlsx["plan_s"], 2), ratio(from_xlsx["plan_s"], raw_s), ""),
        ("import xlsx: apply (write)", fmt(from_xlsx["apply_s"], 2), ratio(from_xlsx["apply_s"], raw_s), ""),
        ("import xlsx total", fmt(from_xlsx["total_s"], 2), ratio(from_xlsx["total_s"], raw_s),
         ratio(from_xlsx["total_s"], ogr_s)),
        ("import csv: plan", fmt(from_csv["plan_s"], 2), ratio(from_csv["plan_s"], raw_s), ""),
        ("import csv: apply", fmt(from_csv["apply_s"], 2), ratio(from_csv["apply_s"], raw_s), ""),
        ("import csv total", fmt(from_csv["total_s"], 2), ratio(from_csv["total_s"], raw_s),
         ratio(from_csv["total_s"], ogr_s)),
        ("ogr2ogr csv -> gpkg", fmt(ogr_s, 2) if ogr_s else "n/a", ratio(ogr_s, raw_s), "1.0×" if ogr_s else "-"),
        ("export gpkg", fmt(export_s, 2), ratio(export_s, raw_s), ratio(export_s, ogr_s)),
    ]
    print(f"\n{args.rows:,} rows; imported {from_csv['inserted']:,} (refused {from_csv['refused']}), "
          f"exported {exported.count:,}")
    print(table(["step", "seconds", "÷ raw insert", "÷ ogr2ogr"], lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
