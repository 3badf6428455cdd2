"""Registry benchmark: bulk import cost (against a bare-table ceiling, broken down by component), search and
bounding-box query latency, file size. A measuring script, not a test: it asserts nothing about wall-clock time.

    python bench/registry.py [--sizes 100000,1000000] [--out bench/out/registry.json] [--queries 200]

For each size N it generates N synthetic assets of 老河口市 (420682) deterministically (before any timing), then:

1. raw ceiling: executemany of the same tuples into a bare table (no index, no trigger), one transaction, WAL,
   synchronous=FULL like the registry's writer;
2. our path: Registry.create() then writer.run(txn.bulk_insert(...)), wall and CPU time; then the same on throwaway
   files without each AFTER INSERT trigger on assets, one at a time (bulk_insert fills only the indexes whose
   trigger exists), without the audit rows (their statements are dropped on the way to SQLite), without all of
   them, with a 256 MiB page cache, and two alternative strategies: FTS5 'rebuild' instead of INSERT ... SELECT,
   and keeping the triggers while inserting from a TEMP staging table in one statement;
3. queries through nibi_desk.storage.assets.search / in_bbox on a read connection of the reopened registry, the same
   on a read connection with a big cache and mmap (what-if), and prototypes of proposed core changes (in_bbox with a
   limit; while the core lacks them: FTS join in rowid order, a unigram+bigram FTS5 index for 1-2 characters);
4. file sizes after a WAL checkpoint, per object (dbstat).

bench/ui.py imports COLUMNS, COUNTY, generate and remove_db from here: keep them.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import math
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from _common import OUT_DIR, Timer, checkpoint, environment, file_mb, fmt, log, percentile, table, write_json

from nibi_desk import paths
from nibi_desk.domain import grid
from nibi_desk.ids import uuid7_batch
from nibi_desk.storage import assets as store
from nibi_desk.storage.registry import Registry
from nibi_desk.storage.writer import BULK_INDEX_FILL

COUNTY = "420682"
SEED = 20240601
COLUMNS = ["type", "code", "name", "division", "address", "lon", "lat", "alt", "grid_code", "status", "owner",
           "operator", "notes", "attrs"]
# The statuses, the type mix and the extent are the brief's; everything else is invented to look like a county.
TYPE_MIX = [("base_station", 0.015), ("smart_pole", 0.09), ("camera", 0.895)]
STATUS_MIX = [("in_service", 85), ("faulty", 4), ("planned", 3), ("under_construction", 3), ("decommissioned", 5)]

TARGETS_MS = {  # p95 targets printed beside the measurements
    "fts": 30, "short_common": 150, "short_rare": 150, "short_none": 150, "short_punct": 150, "mixed": 30,
    "bbox_500m": 20, "bbox_2km": 20, "bbox_500m_dense": 20, "bbox_2km_dense": 20,
}
RATIO_TARGET = 0.5  # raw_time / our_time at 1M

# Township seats (approximate) with their share of the assets and the spread (degrees) of the cluster.
CENTRES = [
    ("光化街道", 111.672, 32.392, 0.22, 0.012), ("酂阳街道", 111.705, 32.365, 0.16, 0.012),
    ("孟楼镇", 111.545, 32.500, 0.06, 0.006), ("竹林桥镇", 111.585, 32.440, 0.05, 0.006),
    ("薛集镇", 111.780, 32.470, 0.05, 0.006), ("张集镇", 111.760, 32.300, 0.05, 0.006),
    ("仙人渡镇", 111.840, 32.250, 0.05, 0.006), ("洪山嘴镇", 111.600, 32.560, 0.05, 0.006),
    ("李楼镇", 111.520, 32.320, 0.05, 0.006), ("袁冲乡", 111.480, 32.590, 0.03, 0.008),
    ("蔬菜原种场", 111.690, 32.430, 0.02, 0.004), ("百花山林场", 111.500, 32.400, 0.02, 0.005),
]
BACKGROUND = 0.14  # share spread uniformly over the extent (rural roads), assigned to the nearest seat
URBAN = {"光化街道", "酂阳街道"}
URBAN_ROADS = ["胜利路", "汉江大道", "光化大道", "航空路", "友谊路", "和平路", "仁义街", "太平街", "秋丰路", "东启街",
               "牌坊街", "酂阳路", "建设路", "人民路", "解放路", "红星路", "朝阳路", "新华路", "沿江路", "纺织路",
               "中山路", "北京路", "汉口路", "大桥路", "洪山路", "振兴街", "西关路", "小东门街", "望江楼路", "拦马河路"]
TOWN_ROADS = ["大道", "中心街", "建设路", "人民路", "新街", "老街", "工业路", "商贸街", "学府路", "环镇路"]
POIS = ["第一中学", "第二中学", "实验小学", "人民医院", "中医院", "汽车站", "火车站", "农贸市场", "体育馆", "梨花湖公园",
        "汉江广场", "市民中心", "步行街", "公交站", "加油站", "派出所", "银行", "超市", "幼儿园", "政务中心"]
RARE_POIS = ["麒麟岗", "琵琶湾", "鹦鹉洲", "翡翠园", "蝴蝶谷", "葡萄架", "骆驼峰", "橄榄苑", "芙蓉榭", "鹭鸶滩"]
RARE_RATE = 1e-4  # share of names that mention a rare landmark (the 1-2 character "rare" queries look for them)
RURAL_SPOTS = ["村口", "村委会", "小学", "卫生室", "桥头", "路口", "集镇", "文化广场", "养殖场", "渡口"]
CAMERA_KINDS = [("枪机", "bullet", 45), ("球机", "ptz", 25), ("半球", "dome", 15), ("卡口", "bullet", 10),
                ("人脸", "dome", 5)]
SITE_TYPES = [("macro_tower", "5G宏站", 50), ("rooftop", "5G楼顶站", 20), ("pole_micro", "5G微站", 20),
              ("indoor", "5G室分", 10)]
OPERATORS = [("CM", "中国移动", 45), ("CU", "中国联通", 25), ("CT", "中国电信", 25), ("CB", "中国广电", 5)]
CAMERA_OWNERS = [("老河口市公安局", 60), ("老河口市公安局交通警察大队", 20), ("老河口市教育局", 10),
                 ("老河口市城市管理执法局", 10)]
NOTES = ["2023年改造", "待迁移", "线路老化", "已列入整改", "新建项目", "供电不稳", "与住建局共建"]
# Characters that a registry of this county never contains: "none" queries (the worst case, a full scan).
ABSENT = "鑫犇猫龘鲸鹰霾琥珀魑魅魍魉饕餮貔貅麋鹿豹熊猿猴狮虎獒驴骡蝙蝠螃蟹鳄鱼"


def weighted(rng: random.Random, items: list, weight_index: int = -1):
    return rng.choices(items, weights=[it[weight_index] for it in items])[0]


# ---------------------------------------------------------------------------------------------------------------------
# Synthetic data
# ---------------------------------------------------------------------------------------------------------------------
def load_divisions() -> tuple[dict, dict[str, str], dict[str, list[tuple[str, str]]]]:
    with open(paths.db_dir() / "reference" / "divisions" / f"{COUNTY}.json", encoding="utf-8") as f:
        doc = json.load(f)
    townships = {d["name"]: d["code"] for d in doc["divisions"] if d["level"] == "township"}
    villages: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for d in doc["divisions"]:
        if d["level"] == "village":
            short = (d["name"].replace("社区居委会", "社区").replace("居委会", "社区").replace("村委会", "村"))
            villages[d["code"][:9]].append((d["code"], short))
    return doc["extent"], townships, villages


def generate(n: int, seed: int) -> list[tuple]:
    """N asset tuples in COLUMNS order, the same for the same (n, seed)."""
    rng = random.Random(seed * 1_000_003 + n)
    extent, townships, villages = load_divisions()
    west, east, south, north = extent["west"], extent["east"], extent["south"], extent["north"]
    unit_of = {name: i + 1 for i, name in enumerate(sorted(townships, key=townships.get))}
    seats = [(name, lon, lat, w, sd) for name, lon, lat, w, sd in CENTRES]
    seat_weights = [w for *_, w, _ in seats] + [BACKGROUND]
    type_names, type_weights = zip(*TYPE_MIX)
    counters: collections.Counter = collections.Counter()
    roads_of = {name: (URBAN_ROADS if name in URBAN else
                       [name[:2] + r if r == "大道" else r for r in TOWN_ROADS] + rng.sample(URBAN_ROADS, 3))
                for name in townships}
    rows = []
    for _ in range(n):
        k = rng.choices(range(len(seat_weights)), weights=seat_weights)[0]
        if k < len(seats):
            town, clon, clat, _w, sd = seats[k]
            for _try in range(5):
                lon, lat = rng.gauss(clon, sd * 1.2), rng.gauss(clat, sd)
                if west < lon < east and south < lat < north:
                    break
            lon, lat = min(max(lon, west + 1e-4), east - 1e-4), min(max(lat, south + 1e-4), north - 1e-4)
        else:
            lon, lat = rng.uniform(west, east), rng.uniform(south, north)
            town = min(seats, key=lambda s: (s[1] - lon) ** 2 + (s[2] - lat) ** 2)[0]
        lon, lat = round(lon, 6), round(lat, 6)
        town_code = townships[town]
        urban = town in URBAN and rng.random() < 0.85
        vcode, village = rng.choice(villages.get(town_code[:9]) or [(town_code, town)])
        road = rng.choice(roads_of[town])
        if urban:
            address = f"老河口市{town}{road}{rng.randint(1, 399)}号"
        elif rng.random() < 0.5:
            address = f"老河口市{town}{village}{rng.randint(1, 12)}组"
        else:
            address = f"老河口市{town}{road}{rng.randint(1, 199)}号"
        if rng.random() < RARE_RATE:
            place = rng.choice(RARE_POIS)
        elif urban:
            r = rng.random()
            place = (road + "口" if r < 0.35 else
                     f"{road}与{rng.choice(URBAN_ROADS)}交叉口" if r < 0.55 else
                     road + rng.choice(["东侧", "西侧", "南段", "北段"]) if r < 0.75 else
                     f"{rng.choice(POIS)}门口")
        else:
            place = village + rng.choice(RURAL_SPOTS)
        asset_type = rng.choices(type_names, weights=type_weights)[0]
        status = weighted(rng, STATUS_MIX)[0]
        notes = rng.choice(NOTES) if rng.random() < 0.05 else None
        alt = round(rng.uniform(75, 140), 1) if rng.random() < 0.7 else None
        if asset_type == "camera":
            kind, cam_type, _ = weighted(rng, CAMERA_KINDS)
            counters[town] += 1
            counters["camera"] += 1
            name = f"{town}{place}-{kind}{counters[town]:04d}"
            code = (f"{COUNTY}{unit_of[town]:02d}{rng.choice(['00', '00', '01', '04', '05', '08'])}"
                    f"{'132' if rng.random() < 0.85 else '131'}{rng.choice('00058')}{counters['camera']:06d}")
            owner = weighted(rng, CAMERA_OWNERS)[0]
            operator = weighted(rng, OPERATORS)[1] + "老河口分公司"
            attrs = {"class": "A" if rng.random() < 0.3 else "B", "camera_type": cam_type,
                     "resolution": rng.choice(["1080p", "4mp", "4mp", "8mp"]), "online": rng.random() < 0.93,
                     "mounting": rng.choice(["pole", "pole", "wall", "column"])}
        elif asset_type == "smart_pole":
            prefix = "ZHG" if rng.random() < 0.75 else "DLG"
            counters[prefix] += 1
            code = f"LHK-{prefix}-{counters[prefix]:05d}"
            name = (f"{town}{road}{rng.randint(1, 120)}号智慧灯杆" if urban else
                    f"{town}{village}智能杆{rng.randint(1, 40):02d}")
            owner, operator = "老河口市城市管理执法局", "中国铁塔老河口分公司"
            attrs = {"height_m": rng.choice([6, 8, 10, 12, 15]), "cabin": rng.random() < 0.6,
                     "functions": sorted(rng.sample(["lighting", "camera", "micro_cell", "sensors", "screen",
                                                     "broadcast", "emergency_call", "charger"], rng.randint(1, 4))),
                     "power": rng.choice(["mains", "mains", "solar", "hybrid"]),
                     "grounding_ohm": round(rng.uniform(1, 10), 1),
                     "installed": f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
        else:
            site_type, label, _ = weighted(rng, SITE_TYPES)
            op_code, op_name, _ = weighted(rng, OPERATORS)
            counters[op_code] += 1
            code = f"{op_code}-LHK-5G-{counters[op_code]:04d}"
            name = f"{town}{road if urban else village}{label}"
            owner, operator = "中国铁塔老河口分公司", op_name
            attrs = {"site_type": site_type, "bands": sorted(rng.sample(["n1", "n28", "n41", "n78", "n79"], 2)),
                     "sectors": rng.choice([1, 3, 3, 6]), "tower_owner": "中国铁塔",
                     "backup_minutes": rng.choice([60, 120, 180, 240]),
                     "commissioned": f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
        rows.append((asset_type, code, name, vcode, address, lon, lat, alt, grid.encode(lon, lat, 10), status, owner,
                     operator, notes, json.dumps(attrs, ensure_ascii=False, separators=(",", ":"))))
    return rows


# ---------------------------------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------------------------------
def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".creating"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def raw_insert(path: Path, rows: list[tuple]) -> tuple[float, float]:
    """The ceiling: the same tuples into a bare table, one transaction, the registry writer's journal settings."""
    remove_db(path)
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"CREATE TABLE assets ({', '.join(COLUMNS)})")
        sql = f"INSERT INTO assets ({', '.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})"
        gc.collect()
        cpu = time.process_time()
        with Timer() as t:
            conn.execute("BEGIN")
            conn.executemany(sql, rows)
            conn.execute("COMMIT")
        cpu = time.process_time() - cpu
    finally:
        conn.close()
    return t.s, cpu


class _SkipAudit:
    """A stand-in for the writer's connection that drops the statements inserting audit rows (and runs everything
    else), so that WriteTxn.bulk_insert itself runs without them: the audit part is priced without copying the core."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self.skipped = 0

    def _audit(self, sql: str) -> bool:
        return " ".join(sql.split()).upper().startswith("INSERT INTO AUDIT")

    def execute(self, sql: str, *args):
        if self._audit(sql):
            self.skipped += 1
            return self._conn.execute("SELECT 0 WHERE 0")
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, seq):
        if self._audit(sql):
            self.skipped += 1
            return self._conn.execute("SELECT 0 WHERE 0")
        return self._conn.executemany(sql, seq)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


class _Timed:
    """A stand-in for the writer's connection that times every execute/executemany by what it writes ("INSERT INTO
    assets_fts" -> assets_fts, trigger DDL -> triggers), so one run of WriteTxn.bulk_insert shows where its time goes
    without copying the core (the overhead is a few Python calls per statement)."""

    _TARGET = re.compile(r"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)", re.IGNORECASE)

    def __init__(self, conn: sqlite3.Connection, parts: dict[str, float]):
        self._conn = conn
        self.parts = parts

    def _label(self, sql: str) -> str:
        head = sql.lstrip()[:20].upper()
        if head.startswith(("DROP TRIGGER", "CREATE TRIGGER")):
            return "triggers"
        target = self._TARGET.search(sql)
        return target.group(1) if target else "other"

    def _timed(self, method, sql, *args):
        start = time.perf_counter()
        try:
            return method(sql, *args)
        finally:
            label = self._label(sql)
            self.parts[label] = self.parts.get(label, 0.0) + time.perf_counter() - start

    def execute(self, sql: str, *args):
        return self._timed(self._conn.execute, sql, *args)

    def executemany(self, sql: str, seq):
        return self._timed(self._conn.executemany, sql, seq)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def bulk_insert_timed(txn, table: str, columns: list[str], rows, parts: dict[str, float]) -> int:
    """WriteTxn.bulk_insert, its statements timed by target (see _Timed); the rest of its time is Python."""
    real = txn.conn
    txn.conn = _Timed(real, parts)
    start = time.perf_counter()
    try:
        return txn.bulk_insert(table, columns, rows)
    finally:
        txn.conn = real
        parts["python (ids, tuples)"] = time.perf_counter() - start - sum(parts.values())


def bulk_insert_no_audit(txn, table: str, columns: list[str], rows) -> int:
    """WriteTxn.bulk_insert with its audit inserts dropped (the audit ids are still generated)."""
    real = txn.conn
    txn.conn = proxy = _SkipAudit(real)
    try:
        n = txn.bulk_insert(table, columns, rows)
    finally:
        txn.conn = real
    if not proxy.skipped:
        raise RuntimeError("bulk_insert wrote no audit statement that could be skipped: update _SkipAudit")
    return n


INDEX_TRIGGERS = ("assets_fts_ai", "assets_rtree_ai")


def deferred_indexes(txn, rows, fts_mode: str, parts: dict[str, float]) -> int:
    """The alternative bulk strategy, in one transaction: drop the index triggers, insert, fill FTS and R*Tree with
    one statement each, recreate the triggers. fts_mode 'rebuild' re-reads the whole table (FTS5 'rebuild');
    'select' indexes only the new rows (INSERT INTO assets_fts ... SELECT ... WHERE seq > before)."""
    conn = txn.conn
    t = time.perf_counter()

    def lap(name):
        nonlocal t
        now = time.perf_counter()
        parts[name] = parts.get(name, 0.0) + now - t
        t = now

    triggers = dict(conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN {INDEX_TRIGGERS}").fetchall())
    for name in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    before = conn.execute("SELECT coalesce(max(seq), 0) FROM assets").fetchone()[0]
    lap("triggers")
    n = txn.bulk_insert("assets", COLUMNS, rows)
    lap("insert")
    if fts_mode == "rebuild":
        conn.execute("INSERT INTO assets_fts(assets_fts) VALUES ('rebuild')")
    else:
        conn.execute("INSERT INTO assets_fts (rowid, name, code, address) "
                     "SELECT seq, name, code, address FROM assets WHERE seq > ?", (before,))
    lap("fts")
    conn.execute(BULK_INDEX_FILL["assets_rtree_ai"], (before,))
    lap("rtree")
    for sql in triggers.values():
        conn.execute(sql)
    lap("triggers")
    return n


def staged(txn, rows, parts: dict[str, float]) -> int:
    """The alternative that keeps the triggers: executemany into a TEMP table (no trigger, no index), then one
    INSERT ... SELECT into assets (the triggers fire inside one statement, so FTS5 keeps its pending terms in memory
    instead of flushing a segment per row) and one into audit."""
    conn, stamp = txn.conn, txn.stamp
    t = time.perf_counter()
    cols = ", ".join(COLUMNS)
    conn.execute(f"CREATE TEMP TABLE bulk_stage (id, audit_id, {cols})")
    conn.executemany(f"INSERT INTO temp.bulk_stage VALUES ({','.join('?' * (len(COLUMNS) + 2))})",
                     ((i, a, *row) for i, a, row in zip(uuid7_batch(len(rows)), uuid7_batch(len(rows)), rows)))
    t1 = time.perf_counter()
    cur = conn.execute(f"INSERT INTO assets (id, {cols}, created_hlc, field_hlc, hlc) "
                       f"SELECT id, {cols}, ?, '{{}}', ? FROM temp.bulk_stage ORDER BY rowid", (stamp, stamp))
    n = cur.rowcount
    t2 = time.perf_counter()
    conn.execute("INSERT INTO audit (id, hlc, at, actor, device, tbl, row_id, action, changes) "
                 "SELECT audit_id, ?, ?, ?, ?, 'assets', id, 'insert', NULL FROM temp.bulk_stage ORDER BY rowid",
                 (stamp, txn.at, txn.actor, txn.device))
    conn.execute("DROP TABLE temp.bulk_stage")
    t3 = time.perf_counter()
    parts.update(stage=t1 - t, assets=t2 - t1, audit=t3 - t2)
    return n


def drop_triggers(path: Path, names: tuple[str, ...]) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        for name in names:
            conn.execute(f"DROP TRIGGER {name}")
    finally:
        conn.close()


def contents(path: Path) -> dict[str, int]:
    """What a variant left behind: rows in assets, audit, the FTS index (every address has 老河口), the R*Tree."""
    conn = sqlite3.connect(str(path))
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {"assets": one("SELECT count(*) FROM assets"), "audit_rows": one("SELECT count(*) FROM audit"),
                "fts_rows": one("SELECT count(*) FROM assets_fts WHERE assets_fts MATCH '\"老河口\"'"),
                "rtree_rows": one("SELECT count(*) FROM assets_rtree"),
                "triggers": one("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        conn.close()


def object_sizes(path: Path) -> dict[str, float]:
    """MB per table with its indexes; a virtual table with its shadow tables; objects under 1 % as "other"."""
    groups: collections.Counter = collections.Counter()
    conn = sqlite3.connect(str(path))
    try:
        master = conn.execute("SELECT name, tbl_name, type, coalesce(sql, '') FROM sqlite_master").fetchall()
        vtabs = [name for name, _t, kind, sql in master
                 if kind == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE")]
        owner = {name: tbl for name, tbl, _k, _s in master}
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            vtab = next((v for v in vtabs if name == v or name.startswith(v + "_")), None)
            tbl = owner.get(name, name)
            groups[vtab or (tbl if tbl == name else f"{tbl} indexes")] += size
    finally:
        conn.close()
    total = sum(groups.values())
    out: dict[str, float] = collections.Counter()
    for g, v in groups.items():
        out[g if v >= total / 100 else "other"] += v
    return {g: round(v / 1e6, 2) for g, v in sorted(out.items(), key=lambda kv: -kv[1])}


# Import variants: (key, description, triggers to drop beforehand, write function factory).
def insert_triggers(workdir: Path) -> list[str]:
    """The AFTER INSERT triggers on assets in a new registry: the indexes that bulk_insert has to fill."""
    path = workdir / "probe.nibi"
    remove_db(path)
    Registry.create(path, COUNTY).close()
    conn = sqlite3.connect(str(path))
    try:
        return [name for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'assets' ORDER BY name")
            if " AFTER INSERT " in " ".join(sql.upper().split())]
    finally:
        conn.close()
        remove_db(path)


def variants(rows: list[tuple], parts: dict[str, dict[str, float]],
             triggers: list[str]) -> list[tuple[str, str, tuple, Callable]]:
    """(key, label, triggers to drop before the insert, write function) for every measured import."""
    def full(txn):
        return txn.bulk_insert("assets", COLUMNS, rows)

    def timed(txn):
        return bulk_insert_timed(txn, "assets", COLUMNS, rows, parts.setdefault("full", {}))

    def no_audit(txn):
        return bulk_insert_no_audit(txn, "assets", COLUMNS, rows)

    def big_cache(txn):
        txn.conn.execute("PRAGMA cache_size = -262144")  # 256 MiB for this connection
        return txn.bulk_insert("assets", COLUMNS, rows)

    def rebuild(txn):
        return deferred_indexes(txn, rows, "rebuild", parts.setdefault("alt_rebuild", {}))

    def stage(txn):
        return staged(txn, rows, parts.setdefault("alt_staged", {}))

    return [
        ("full", "bulk_insert (our path)", (), timed),
        *((f"no:{name}", f"  without {name}", (name,), full) for name in triggers),
        ("no_audit", "  without audit rows", (), no_audit),
        ("core_only", "  without all of them and audit", tuple(triggers), no_audit),
        ("cache_256m", "  with cache_size 256 MiB", (), big_cache),
        ("alt_rebuild", "alt: FTS 'rebuild' instead of INSERT..SELECT", (), rebuild),
        ("alt_staged", "alt: keep triggers, TEMP stage + INSERT..SELECT", (), stage),
        ("full_again", "bulk_insert again (run-to-run noise)", (), full),
    ]


def run_imports(rows: list[tuple], workdir: Path, breakdown: bool) -> tuple[dict, Path]:
    n = len(rows)
    res: dict[str, Any] = {}
    raw_path = workdir / f"raw-{n}.sqlite"
    log("  raw executemany ...")
    wall, cpu = raw_insert(raw_path, rows)
    res["raw"] = {"s": wall, "cpu_s": cpu, "load_avg": os.getloadavg()[0]}
    checkpoint(raw_path)
    res["raw"]["mb"] = round(file_mb(raw_path), 2)
    res["raw"]["objects"] = object_sizes(raw_path)
    remove_db(raw_path)

    gc.collect()
    with Timer() as t:
        uuid7_batch(n)
        uuid7_batch(n)
    res["uuid7_python"] = {"s": t.s}

    parts: dict[str, dict[str, float]] = {}
    keep = workdir / f"registry-{n}.nibi"
    triggers = insert_triggers(workdir)
    res["insert_triggers"] = triggers
    for key, desc, drop, fn in variants(rows, parts, triggers):
        if not breakdown and key != "full":
            continue
        log(f"  {desc.strip()} ...")
        path = workdir / f"{key.replace(':', '-')}-{n}.nibi"
        remove_db(path)
        try:
            reg = Registry.create(path, COUNTY)
            try:
                if drop:
                    drop_triggers(path, drop)
                triggers_before = contents(path)["triggers"]
                gc.collect()
                cpu = time.process_time()
                with Timer() as t:
                    inserted = reg.writer.run(fn)
                cpu = time.process_time() - cpu
            finally:
                reg.close()
            if inserted != n:
                raise RuntimeError(f"{inserted} rows inserted instead of {n}")
            checkpoint(path)
            checks = contents(path)
        except Exception as e:  # the core changes under us: record and go on with the other variants
            if key == "full":
                raise
            log(f"  FAILED: {e!r}")
            res[key] = {"desc": desc.strip(), "error": repr(e)}
            remove_db(path)
            continue
        res[key] = {"desc": desc.strip(), "s": t.s, "cpu_s": cpu, "mb": round(file_mb(path), 2),
                    "load_avg": os.getloadavg()[0], "contents": checks}
        if key == "full" and (checks["fts_rows"] != n or checks["rtree_rows"] != n or checks["audit_rows"] < n
                              or checks["triggers"] != triggers_before):
            log(f"  WARNING: the registry after bulk_insert is not complete: {checks}")
        if key in ("full", "alt_rebuild", "alt_staged"):
            res[key]["objects"] = object_sizes(path)
        if key in parts:
            res[key]["parts_s"] = {k: round(v, 3) for k, v in sorted(parts[key].items(), key=lambda kv: -kv[1])}
            res[key]["parts_s"]["commit & rest"] = round(t.s - sum(parts[key].values()), 3)
        if key == "full":
            remove_db(keep)
            for suffix in ("", "-wal", "-shm"):
                if Path(str(path) + suffix).exists():
                    shutil.move(str(path) + suffix, str(keep) + suffix)
        else:
            remove_db(path)
    return res, keep


# ---------------------------------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------------------------------
def query_sets(rows: list[tuple], nq: int, nscan: int, rng: random.Random, extent: dict) -> dict[str, list]:
    """The query texts / boxes per category, drawn from the generated data (before any timing)."""
    texts = "\x00".join(f"{r[2]}\x00{r[1] or ''}\x00{r[4] or ''}" for r in rows)
    counts = collections.Counter(texts)
    n = len(rows)
    cjk = [(ch, c) for ch, c in counts.most_common() if "\u4e00" <= ch <= "\u9fff"]

    common1 = [ch for ch, c in cjk[:25] if c >= n / 20]
    common2 = [bg for bg in ("路口", "枪机", "街道", "灯杆", "球机", "村口", "光化", "大道", "社区", "5G")
               if texts.count(bg) >= n / 50]
    rare_chars = [ch for ch, c in cjk if c <= 150][:40]  # fewer matches than the limit: the scan runs to the end
    rare2, punct = [], []  # two letters / a letter and a punctuation mark (which a character index cannot hold)
    for ch in rare_chars:
        i = texts.find(ch)
        for bg in (texts[i:i + 2], texts[i - 1:i + 1]):
            if len(bg) == 2 and "\x00" not in bg and texts.count(bg) <= 150:
                (rare2 if bg.isalnum() else punct).append(bg)
    absent = [ch for ch in ABSENT if counts[ch] == 0]

    def pick(pool1, pool2, k):
        pool = [(p, 1) for p in pool1] + [(p, 2) for p in pool2]
        return [rng.choice(pool)[0] for _ in range(k)] if pool else []

    def fts_query():
        r = rows[rng.randrange(n)]
        field = rng.choices([2, 4, 1], weights=[40, 30, 30])[0]
        value = r[field]
        if field == 1 and value.isdigit():  # a 3-6 digit fragment of a GB/T 28181 id
            k = rng.randint(3, 6)
        else:
            k = rng.randint(3, min(6, len(value)))
        i = rng.randrange(len(value) - k + 1)
        return value[i:i + k]

    pole_codes = [r[1] for r in rows if r[0] == "smart_pole"] or ["LHK-ZHG-00001"]
    templates = ["5G宏站", "5G微站", "5G室分", "5G楼顶站", "CM-LHK-5G", "CT-LHK-5G-00", "LHK-DLG-0", "智慧灯杆",
                 "光化街道5G", "孟楼镇5G宏站"]

    def mixed_query():
        if rng.random() < 0.5:
            code = rng.choice(pole_codes)
            return code[:rng.randint(9, len(code))]
        return rng.choice(templates)

    def box(size_km: float, around: tuple[float, float] | None):
        dlat = size_km / 111.32
        lat0 = around[1] if around else rng.uniform(extent["south"] + dlat / 2, extent["north"] - dlat / 2)
        dlon = size_km / (111.32 * math.cos(math.radians(lat0)))
        lon0 = around[0] if around else rng.uniform(extent["west"] + dlon / 2, extent["east"] - dlon / 2)
        return (lon0 - dlon / 2, lat0 - dlat / 2, lon0 + dlon / 2, lat0 + dlat / 2)

    def at_asset():
        r = rows[rng.randrange(n)]
        return r[5], r[6]

    return {
        "fts": [fts_query() for _ in range(nq)],
        "mixed": [mixed_query() for _ in range(nq)],
        "short_common": pick(common1, common2, nq),
        "short_rare": pick(rare_chars, rare2, nscan),
        "short_none": pick(absent, [a + b for a, b in zip(absent, absent[1:])], nscan),
        "short_punct": pick([], punct, nscan),
        "bbox_500m": [box(0.5, None) for _ in range(nq)],
        "bbox_2km": [box(2.0, None) for _ in range(nq)],
        "bbox_500m_dense": [box(0.5, at_asset()) for _ in range(nq)],
        "bbox_2km_dense": [box(2.0, at_asset()) for _ in range(nq)],
    }


def measure(conn: sqlite3.Connection, cat: str, queries: list, fn: Callable) -> dict[str, Any]:
    """p50/p95 of fn(query) over the queries, rows returned, and the plan of the slowest one."""
    if not queries:
        return {"n": 0}
    times, counts = [], []
    for q in queries:
        start = time.perf_counter()
        result = fn(q)
        times.append((time.perf_counter() - start) * 1000)
        counts.append(len(result))
    worst = max(range(len(times)), key=times.__getitem__)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    fn(queries[worst])
    conn.set_trace_callback(None)
    top = [s for s in statements if not s.startswith("--")]  # skip the statements FTS5 runs inside
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + top[-1])] if top else []

    def show(q):
        return q if isinstance(q, str) else [round(v, 5) for v in q]

    res = {"n": len(queries), "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
           "max_ms": times[worst], "avg_rows": sum(counts) / len(counts), "max_rows": max(counts),
           "target_p95_ms": TARGETS_MS.get(cat), "examples": [show(q) for q in queries[:6]],
           "slowest": show(queries[worst]), "slowest_rows": counts[worst], "plan": plan}
    log(f"    {cat:16s} p50 {res['p50_ms']:8.2f} ms  p95 {res['p95_ms']:8.2f} ms  rows {res['avg_rows']:.0f}")
    return res


def run_queries(path: Path, sets: dict[str, list], tuned: bool) -> dict[str, Any]:
    """Time every query through the application's functions on the registry's read connection."""
    reg = Registry.open(path)
    try:
        conn = reg.read()
        if tuned:  # what-if: a bigger page cache and memory-mapped I/O on the read connection
            conn.execute("PRAGMA cache_size = -262144")
            conn.execute("PRAGMA mmap_size = 2147483648")
        store.search(conn, "胜利路", limit=200)  # open the FTS tables once
        return {cat: measure(conn, cat, queries,
                             (lambda q: store.in_bbox(conn, *q)) if cat.startswith("bbox") else
                             (lambda q: store.search(conn, q, limit=200)))
                for cat, queries in sets.items()}
    finally:
        reg.close()


# -- prototypes of proposed core changes (measured on the same registry / a copy of it) -------------------------------
def fts_join_search(conn: sqlite3.Connection, text: str, limit: int = 200) -> list[dict]:
    """Proposed form of search() for 3+ characters: join the FTS table and order by its rowid, so that FTS5 hands
    rowids in order and LIMIT stops early, instead of `seq IN (subquery)` materialising every match first."""
    phrase = '"' + text.strip().replace('"', '""') + '"'
    sql = (f"SELECT {store.LIST_COLUMNS} FROM assets_fts f JOIN assets a ON a.seq = f.rowid "
           f"WHERE assets_fts MATCH ? AND a.deleted = 0 ORDER BY f.rowid LIMIT ?")
    return [dict(r) for r in conn.execute(sql, (phrase, limit))]


_TOKEN_RUN = re.compile(r"[^\W_]+")  # runs of letters and digits: what FTS5's unicode61 tokenizer keeps


def ngrams(*values: str | None) -> str:
    """Every 1- and 2-character substring of the letter/digit runs of the values, space-separated (index text)."""
    out: set[str] = set()
    for value in values:
        if value:
            for run in _TOKEN_RUN.findall(value):
                out.update(run)
                out.update(run[i:i + 2] for i in range(len(run) - 1))
    return " ".join(out)


def build_ngram_copy(path: Path, workdir: Path) -> tuple[Path, float, float]:
    """A copy of the registry with a contentless unigram+bigram FTS5 index (detail=none: rowids only)."""
    copy = workdir / ("ngram-" + path.name)
    remove_db(copy)
    shutil.copy(path, copy)
    conn = sqlite3.connect(str(copy), isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")
        conn.create_function("ngrams", 3, ngrams, deterministic=True)
        conn.execute("CREATE VIRTUAL TABLE assets_ngram USING fts5(t, content='', detail='none', columnsize=0, "
                     "tokenize='unicode61 remove_diacritics 0')")
        with Timer() as t:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO assets_ngram (rowid, t) SELECT seq, ngrams(name, code, address) FROM assets")
            conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'assets_ngram%'").fetchone()[0]
    finally:
        conn.close()
    return copy, t.s, size / 1e6


def ngram_search(conn: sqlite3.Connection, text: str, limit: int = 200) -> list[dict]:
    """Proposed 1-2 character search: candidates from the n-gram index in rowid order; instr() re-checks only when
    the query holds characters the index does not keep (e.g. '峰-'); no letter or digit at all: the old scan."""
    text = text.strip()
    runs = _TOKEN_RUN.findall(text)
    if not runs:
        return store.search(conn, text, limit=limit)
    match = " AND ".join('"' + run + '"' for run in runs)  # runs of 1-2 characters are tokens of the index
    exact = runs == [text]
    sql = (f"SELECT {store.LIST_COLUMNS} FROM assets_ngram g JOIN assets a ON a.seq = g.rowid "
           f"WHERE assets_ngram MATCH ? AND a.deleted = 0"
           + ("" if exact else " AND (instr(a.name, ?) OR instr(a.code, ?) OR instr(a.address, ?))")
           + " ORDER BY g.rowid LIMIT ?")
    params = (match, limit) if exact else (match, text, text, text, limit)
    return [dict(r) for r in conn.execute(sql, params)]


def chars_then_instr(conn: sqlite3.Connection, text: str, limit: int = 200) -> list[dict]:
    """Proposed for a 1-2 character query with punctuation ('峰-'), which the single-character index cannot answer
    alone: its letters/digits narrow the rows through assets_chars (in rowid order), instr() re-checks the whole
    query on those rows only. Without any letter or digit: today's scan."""
    folded = text.strip().lower()
    runs = _TOKEN_RUN.findall(folded)
    if not runs:
        return store.search(conn, text, limit=limit)
    match = " AND ".join('"' + " ".join(run) + '"' for run in runs)
    sql = (f"SELECT {store.LIST_COLUMNS} FROM assets_chars f JOIN assets a ON a.seq = f.rowid "
           f"WHERE assets_chars MATCH ? AND a.deleted = 0 AND (instr(lower(a.name), ?) OR instr(lower(a.code), ?) "
           f"OR instr(lower(a.address), ?)) ORDER BY f.rowid LIMIT ?")
    return [dict(r) for r in conn.execute(sql, (match, folded, folded, folded, limit))]


def run_proposals(path: Path, sets: dict[str, list], workdir: Path, current: dict[str, Any]) -> dict[str, Any]:
    """The prototypes, each only while the core does not do the same already (judged by today's query plans)."""
    out: dict[str, Any] = {}
    fts_collects_all = any("LIST SUBQUERY" in step for step in current.get("fts", {}).get("plan", []))
    short_scans = current.get("short_none", {}).get("plan") == ["SCAN a"]
    reg = Registry.open(path)
    try:
        conn = reg.read()
        for cat in ("fts", "mixed") if fts_collects_all else ():
            out[f"{cat}: JOIN + ORDER BY f.rowid"] = measure(conn, cat, sets[cat], lambda q: fts_join_search(conn, q))
            same = all([r["seq"] for r in fts_join_search(conn, q)] == [r["seq"] for r in store.search(conn, q)]
                       for q in sets[cat][:50])
            out[f"{cat}: JOIN + ORDER BY f.rowid"]["same_results_first_50"] = same
        for cat in ("bbox_500m", "bbox_2km", "bbox_500m_dense", "bbox_2km_dense"):
            out[f"{cat}: in_bbox(limit=500)"] = measure(conn, cat, sets[cat],
                                                        lambda q: store.in_bbox(conn, *q, limit=500))
    finally:
        reg.close()
    punct_scans = current.get("short_punct", {}).get("plan") == ["SCAN a"]
    if not short_scans:
        if punct_scans:
            reg = Registry.open(path)
            try:
                conn = reg.read()
                if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'assets_chars'").fetchone():
                    key = "short_punct: assets_chars + instr re-check"
                    out[key] = measure(conn, "short_punct", sets["short_punct"], lambda q: chars_then_instr(conn, q))
                    out[key]["same_results_first_20"] = all(
                        [r["seq"] for r in chars_then_instr(conn, q)] == [r["seq"] for r in store.search(conn, q)]
                        for q in sets["short_punct"][:20])
            finally:
                reg.close()
        return out
    log("  building the n-gram index on a copy ...")
    copy, build_s, mb = build_ngram_copy(path, workdir)
    out["ngram_index"] = {"build_s": build_s, "mb": mb}
    reg = Registry.open(copy)
    try:
        conn = reg.read()
        for cat in ("short_common", "short_rare", "short_none", "short_punct"):
            key = f"{cat}: n-gram FTS5 index"
            out[key] = measure(conn, cat, sets[cat], lambda q: ngram_search(conn, q))
            out[key]["same_results_first_20"] = all(
                [r["seq"] for r in ngram_search(conn, q)] == [r["seq"] for r in store.search(conn, q)]
                for q in sets[cat][:20])
    finally:
        reg.close()
        remove_db(copy)
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------------
def query_table(q: dict[str, Any]) -> str:
    qrows = []
    for cat, v in q.items():
        if "n" not in v:
            continue
        if not v["n"]:
            qrows.append([cat, "0", "-", "-", "", "", ""])
            continue
        target = v["target_p95_ms"]
        ok = "" if target is None else ("ok" if v["p95_ms"] <= target else "MISSED")
        qrows.append([cat, str(v["n"]), fmt(v["p50_ms"], 2), fmt(v["p95_ms"], 2), f"<= {target}" if target else "",
                      ok, fmt(v["avg_rows"], 0)])
    return table(["query", "n", "p50 ms", "p95 ms", "target", "", "avg rows"], qrows, "lrrrrll")


def report_size(n: int, r: dict) -> str:
    imp, raw = r["import"], r["import"]["raw"]["s"]
    lines = [f"\n=== N = {n:,}  (generation {r['generation_s']:.1f} s, not timed below) ==="]
    rows = [["raw executemany, bare table", fmt(raw, 2), fmt(imp["raw"].get("cpu_s"), 2), f"{n / raw:,.0f}", "1.00",
             "", fmt(imp["raw"]["mb"])]]
    full = imp["full"]
    runs = [imp[k] for k in ("full", "full_again") if "s" in imp.get(k, {})]
    base_s = sum(v["s"] for v in runs) / len(runs)  # the savings are counted from the mean of our path's runs
    base_cpu = sum(v.get("cpu_s", v["s"]) for v in runs) / len(runs)
    for key, v in imp.items():
        if not isinstance(v, dict) or "desc" not in v:
            continue
        if "error" in v:
            rows.append([v["desc"], "failed", "", "", "", v["error"][:60], ""])
            continue
        note = ""
        if key in ("full", "full_again"):
            note = (f"ratio raw/our {raw / v['s']:.2f} wall, {imp['raw']['cpu_s'] / v['cpu_s']:.2f} cpu "
                    f"(target >= {RATIO_TARGET})")
        elif key.startswith("no") or key in ("core_only", "cache_256m"):
            saved_cpu = base_cpu - v.get("cpu_s", v["s"])
            note = f"saves {base_s - v['s']:.1f} s wall, {saved_cpu:.1f} s cpu ({saved_cpu / base_cpu:.0%})"
        if "parts_s" in v and key != "full":
            note = (note + " " if note else "") + " ".join(f"{k} {s:.1f}" for k, s in v["parts_s"].items())
        rows.append([v["desc"], fmt(v["s"], 2), fmt(v.get("cpu_s"), 2), f"{n / v['s']:,.0f}", f"{v['s'] / raw:.1f}",
                     note, fmt(v["mb"])])
    if len(runs) > 1:
        rows.append(["(savings: from the mean of the bulk_insert runs)", fmt(base_s, 2), fmt(base_cpu, 2), "", "", "",
                     ""])
    rows.append(["(2 x uuid7_batch(N) in Python alone)", fmt(imp["uuid7_python"]["s"], 2), "", "", "", "", ""])
    lines.append(table(["import", "wall s", "cpu s", "rows/s", "x raw", "note", "MB"], rows, "lrrrrlr"))
    if "parts_s" in full:
        lines.append("where bulk_insert's time goes (s, by statement target): " + ", ".join(
            f"{k} {s:.1f} ({s / full['s']:.0%})" for k, s in full["parts_s"].items()))
    lines.append(f"file: registry {full['mb']:.1f} MB = {full['mb'] * 1e6 / n:,.0f} B/asset; bare table "
                 f"{imp['raw']['mb']:.1f} MB = {imp['raw']['mb'] * 1e6 / n:,.0f} B/asset "
                 f"(x{full['mb'] / imp['raw']['mb']:.1f})")
    if "objects" in full:
        lines.append("registry objects (MB): " + ", ".join(f"{k} {v:.1f}" for k, v in full["objects"].items()))
    lines.append("queries (search(limit=200) / in_bbox() as the application calls them):")
    lines.append(query_table(r["queries"]))
    if r.get("queries_tuned"):
        lines.append("what-if, read connection with cache_size 256 MiB + mmap_size 2 GiB:")
        lines.append(query_table(r["queries_tuned"]))
    if r.get("proposals"):
        p = r["proposals"]
        lines.append("proposed core changes, prototyped here on the same queries:")
        lines.append(query_table(p))
        same = {k.split(":")[0]: v.get("same_results_first_20", v.get("same_results_first_50")) for k, v in p.items()
                if "same_results_first_20" in v or "same_results_first_50" in v}
        if same:
            lines.append("results identical to today's: " + ", ".join(f"{k} {v}" for k, v in same.items()))
        if "ngram_index" in p:
            lines.append(f"n-gram index: built in {p['ngram_index']['build_s']:.1f} s, {p['ngram_index']['mb']:.1f} MB "
                         f"({p['ngram_index']['mb'] * 1e6 / n:,.0f} B/asset)")
    return "\n".join(lines)


def summary(results: dict[str, Any]) -> str:
    rows = []

    def p95(d, key):
        return fmt((d or {}).get(key, {}).get("p95_ms"), 1)

    for n_text, r in results["sizes"].items():
        imp, q, p = r["import"], r["queries"], r.get("proposals") or {}
        raw, ours = imp["raw"]["s"], imp["full"]["s"]
        cpu_ratio = imp["raw"]["cpu_s"] / imp["full"]["cpu_s"]
        alts = [(v["s"], k) for k, v in imp.items() if k.startswith("alt") and "s" in v]
        best = min(alts) if alts else None
        n = int(n_text)
        punct_key = next((k for k in p if k.startswith("short_punct:")), "")
        rows.append([f"{n:,}", fmt(raw, 1), fmt(ours, 1), f"{raw / ours:.2f} / {cpu_ratio:.2f}",
                     f"{best[0]:.1f} ({raw / best[0]:.2f})" if best else "-",
                     f"{p95(q, 'fts')} / {p95(p, 'fts: JOIN + ORDER BY f.rowid')}",
                     p95(q, "mixed"), p95(q, "short_common"),
                     f"{p95(q, 'short_rare')} / {p95(p, 'short_rare: n-gram FTS5 index')}",
                     f"{p95(q, 'short_none')} / {p95(p, 'short_none: n-gram FTS5 index')}",
                     f"{p95(q, 'short_punct')} / {p95(p, punct_key)}",
                     p95(q, "bbox_500m"), p95(q, "bbox_2km"),
                     f"{p95(q, 'bbox_2km_dense')} / {p95(p, 'bbox_2km_dense: in_bbox(limit=500)')}",
                     fmt(imp["full"]["mb"], 0), f"{imp['full']['mb'] * 1e6 / n:,.0f}"])
    headers = ["N", "raw s", "our s", "raw/our wall/cpu", "best alt s (ratio)", "fts now/prop", "mixed", "1-2 common",
               "1-2 rare now/prop", "1-2 none now/prop", "1-2 punct now/prop", "bbox 500m", "bbox 2km",
               "bbox 2km dense now/lim500",
               "MB", "B/asset"]
    targets = ["", "", "", f">={RATIO_TARGET}", "", "<=30", "<=30", "<=150", "<=150", "<=150", "<=150", "<=20", "<=20",
               "<=20", "", ""]
    return ("\n=== summary (query columns: p95 ms; now / proposed prototype) ===\n"
            + table(headers, rows + [targets]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,1000000", help="comma-separated asset counts")
    ap.add_argument("--out", default=str(OUT_DIR / "registry.json"), help="JSON results file (or a directory)")
    ap.add_argument("--queries", type=int, default=200, help="queries per category")
    ap.add_argument("--scan-queries", type=int, default=50,
                    help="queries for the 1-2 character categories that may scan (rare, none, punctuation)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--workdir", help="where the throwaway databases go (default: a new temporary directory)")
    ap.add_argument("--no-breakdown", action="store_true", help="only raw and our path, no component variants")
    ap.add_argument("--no-tuned", action="store_true", help="skip the what-if run with cache + mmap on reads")
    ap.add_argument("--no-proposals", action="store_true",
                    help="skip the prototypes of proposed core changes (FTS join, bbox limit, n-gram index)")
    ap.add_argument("--keep", action="store_true", help="keep the registry files")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    out = Path(args.out)
    if out.suffix.lower() != ".json":
        out = out / "registry.json"
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="nibi-bench-registry-"))
    workdir.mkdir(parents=True, exist_ok=True)
    extent = load_divisions()[0]
    results: dict[str, Any] = {"script": "bench/registry.py", "env": environment(), "seed": args.seed,
                               "columns": COLUMNS, "targets_p95_ms": TARGETS_MS, "ratio_target": RATIO_TARGET,
                               "workdir": str(workdir), "sizes": {}}
    try:
        for n in sizes:
            log(f"N = {n:,}: generating ...")
            with Timer() as t:
                rows = generate(n, args.seed)
            gc.collect()
            gc.freeze()  # the generated rows are long-lived: keep the collector from walking them in every variant
            r: dict[str, Any] = {"generation_s": t.s}
            log(f"  generated in {t.s:.1f} s")
            r["import"], reg_path = run_imports(rows, workdir, not args.no_breakdown)
            sets = query_sets(rows, args.queries, args.scan_queries, random.Random(args.seed + n), extent)
            log("  queries ...")
            r["queries"] = run_queries(reg_path, sets, tuned=False)
            if not args.no_tuned:
                log("  queries, what-if tuned read connection ...")
                r["queries_tuned"] = run_queries(reg_path, sets, tuned=True)
            if not args.no_proposals:
                log("  queries, prototypes of proposed core changes ...")
                r["proposals"] = run_proposals(reg_path, sets, workdir, r["queries"])
            results["sizes"][str(n)] = r
            print(report_size(n, r), flush=True)
            write_json(out, results)
            del rows, sets
            gc.unfreeze()
            gc.collect()
            if not args.keep:
                remove_db(reg_path)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(summary(results))
    print(f"\nresults: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
