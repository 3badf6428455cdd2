"""The demo registry of 老河口市 (420682): a deterministic, plausible set of 5G base stations, smart poles and cameras."""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter, defaultdict
from datetime import date
from typing import Callable

from nibi_desk.domain import grid
from nibi_desk.errors import ValidationError

COUNTY = "420682"
CHUNK = 5000  # rows per write transaction: progress and cancel are checked between chunks
COUNTS = {"base_station": 300, "smart_pole": 2000, "camera": 20000}  # at scale 1.0; micro-cells come on top
MINIMUM = {"base_station": 4, "smart_pole": 10, "camera": 20}
COLUMNS = ["type", "code", "name", "division", "address", "lon", "lat", "grid_code", "status", "owner", "operator",
           "attrs"]

# Township seats (lon, lat) are APPROXIMATE, placed by hand from the county's general layout (the city on the Han
# River's east bank, the towns north, east and south of it); they are not surveyed coordinates.
SEATS = {
    "420682001000": (111.668, 32.392),  # 光化街道 (city centre)
    "420682002000": (111.693, 32.372),  # 酂阳街道 (city centre)
    "420682100000": (111.735, 32.555),  # 孟楼镇
    "420682101000": (111.820, 32.500),  # 竹林桥镇
    "420682102000": (111.830, 32.405),  # 薛集镇
    "420682103000": (111.790, 32.300),  # 张集镇
    "420682104000": (111.715, 32.255),  # 仙人渡镇
    "420682105000": (111.610, 32.470),  # 洪山嘴镇
    "420682106000": (111.690, 32.500),  # 李楼镇
    "420682200000": (111.545, 32.520),  # 袁冲乡
    "420682501000": (111.705, 32.420),  # 蔬菜原种场
    "420682502000": (111.625, 32.565),  # 百花山林场
    "420682503000": (111.575, 32.440),  # 林茂山林场
}
# Border townships and the neighbouring county (谷城县, 襄州区, 丹江口市) whose centre code a few cameras carry:
# legal data that the registry flags as a finding.
NEIGHBOURS = {"420682104000": "420625", "420682103000": "420607", "420682102000": "420607",
              "420682200000": "420381", "420682105000": "420381"}
CITY_ROADS = ("光化大道", "胜利路", "中山路", "汉江大道", "酂阳路", "航空路", "红军路", "建设路", "友谊路", "新兴路",
              "府前路", "大桥路", "秋丰路", "和平路", "汉口路", "太平街", "仁义街")
TOWN_ROADS = ("正街", "新街", "人民路", "振兴大道", "工业路", "商贸街", "文化路")
CITY_PLACES = ("市人民政府", "市第一医院", "市人民医院", "市第一中学", "市实验小学", "汽车客运站", "老河口东站",
               "汉江大桥", "人民广场", "市体育馆", "光化农贸市场", "中山路步行街", "滨江公园")
TOWN_PLACES = ("政府", "中心小学", "初级中学", "卫生院", "派出所", "农贸市场", "汽车站")
# (name, short name, code letter, weight, bands its sites use)
OPERATORS = (("中国移动", "移动", "M", 45, ("n28", "n41", "n79")), ("中国电信", "电信", "T", 25, ("n1", "n78")),
             ("中国联通", "联通", "U", 20, ("n1", "n78")), ("中国广电", "广电", "G", 10, ("n28", "n79")))
BANDS = ("n1", "n28", "n41", "n78", "n79")
FUNCTIONS = ("lighting", "camera", "micro_cell", "sensors", "screen", "broadcast", "emergency_call", "charger")
POLE_OWNERS = (("老河口市城市管理执法局", 60), ("老河口市住房和城乡建设局", 25), ("老河口市交通运输局", 15))
# (weight, class, owner ("{gov}": the township's government), industry codes, network digits to draw from)
CAMERA_OWNERS = ((50, "A", "老河口市公安局", ("00", "01"), "0000000556"),
                 (12, "A", "老河口市公安局交通警察大队", ("04", "05"), "000055"),
                 (15, "B", "老河口市城市管理执法局", ("08",), "66667"),
                 (8, "B", "老河口市住房和城乡建设局", ("08",), "6668"),
                 (15, "B", "{gov}", ("01",), "666678"))
CAMERA_LABELS = {"bullet": "枪机", "dome": "半球", "ptz": "球机"}


def _townships(conn) -> list[dict]:
    villages = defaultdict(list)
    for code, name, parent in conn.execute(
            "SELECT code, name, parent FROM divisions WHERE county = ? AND level = 'village' ORDER BY code", (COUNTY,)):
        if "虚拟" not in name:  # the farms' statistical "virtual living areas" are no place to put a camera
            short = name.replace("社区居委会", "社区").replace("居委会", "社区").replace("村委会", "村")
            villages[parent].append((code, short))
    towns = []
    for code, name, kind in conn.execute("SELECT code, name, township_type FROM divisions "
                                         "WHERE county = ? AND level = 'township' ORDER BY code", (COUNTY,)):
        if code in SEATS:  # a township added later has no seat here and gets no demo assets
            kind = "street" if kind == "街道" else "farm" if kind and kind.endswith("场") else "town"
            towns.append({"code": code, "name": name, "kind": kind, "seat": SEATS[code], "villages": villages[code]})
    streets = sum(t["kind"] == "street" for t in towns)
    rural = sum(1.0 if t["kind"] == "town" else 0.25 for t in towns if t["kind"] != "street")
    for t in towns:  # 60 % in the city's two 街道, the rest by township, farms a quarter of a town's share
        t["weight"] = 0.6 / streets if t["kind"] == "street" else 0.4 * (1.0 if t["kind"] == "town" else 0.25) / rural
    return towns


def _allocate(rng: random.Random, n: int, towns: list[dict]) -> list[dict]:
    """n township slots in proportion to the weights (largest remainder), shuffled."""
    quotas = [n * t["weight"] for t in towns]
    counts = [int(q) for q in quotas]
    for i in sorted(range(len(towns)), key=lambda i: counts[i] - quotas[i])[:n - sum(counts)]:
        counts[i] += 1
    slots = [t for t, c in zip(towns, counts) for _ in range(c)]
    rng.shuffle(slots)
    return slots


def _near(rng: random.Random, t: dict, extent: dict) -> tuple[float, float]:
    """A point with a Gaussian spread around the township seat (tighter in the city), inside the extent."""
    lon0, lat0 = t["seat"]
    sigma_km = {"street": 1.2, "town": 2.5, "farm": 1.2}[t["kind"]]
    for _ in range(100):
        lat = lat0 + rng.gauss(0, sigma_km) / 111.0
        lon = lon0 + rng.gauss(0, sigma_km) / (111.0 * math.cos(math.radians(lat0)))
        if extent["west"] < lon < extent["east"] and extent["south"] < lat < extent["north"]:
            return round(lon, 6), round(lat, 6)
    return lon0, lat0


def _spot(rng: random.Random, t: dict, village_share: float) -> tuple[str, str | None, str | None, str]:
    """(division, road, village, address) somewhere in township t; city assets are always on a road."""
    if t["kind"] == "street":
        road = rng.choice(CITY_ROADS)
        division = rng.choice(t["villages"])[0] if t["villages"] and rng.random() < 0.4 else t["code"]
        return division, road, None, f"老河口市{t['name']}{road}{rng.randint(1, 360)}号"
    if t["villages"] and rng.random() < village_share:
        division, village = rng.choice(t["villages"])
        return division, None, village, f"老河口市{t['name']}{village}{rng.randint(1, 12)}组"
    road = rng.choice(TOWN_ROADS)
    return t["code"], road, None, f"老河口市{t['name']}{road}{rng.randint(1, 180)}号"


def _status(rng: random.Random) -> str:
    r = rng.random()
    return ("decommissioned" if r < 0.005 else "planned" if r < 0.01 else "under_construction" if r < 0.015
            else "faulty" if r < 0.045 else "in_service")


def _date(rng: random.Random, first_year: int) -> str:
    return date.fromordinal(rng.randint(date(first_year, 1, 1).toordinal(), date(2025, 6, 30).toordinal())).isoformat()


def _asset(type_: str, t: dict, spot: tuple, loc: tuple | None, status: str, **values) -> dict:
    lon, lat = loc or (None, None)
    return {"type": type_, "division": spot[0], "address": spot[3], "lon": lon, "lat": lat, "status": status,
            "owner": None, "operator": None, "_town": t, **values}


def _number(assets: list[dict], width: int, always: bool = False) -> None:
    """Number names that repeat (光化大道与人民路口-枪机03); ``always`` numbers every name."""
    totals, seen = Counter(a["name"] for a in assets), Counter()
    for a in assets:
        base = a["name"]
        seen[base] += 1
        if always or totals[base] > 1:
            a["name"] = f"{base}{seen[base]:0{width}d}"


def _poles(rng, towns, n, extent) -> list[dict]:
    poles = []
    for i, t in enumerate(_allocate(rng, n, towns), 1):
        spot = _spot(rng, t, village_share=0.2)
        status = _status(rng)
        loc = None if status == "planned" and rng.random() < 0.1 else _near(rng, t, extent)
        extras = [f for f, p in (("sensors", .3), ("screen", .15), ("broadcast", .2), ("emergency_call", .1),
                                 ("charger", .05)) if rng.random() < p]
        attrs = {"height_m": rng.choice((6.0, 8.0, 8.0, 10.0, 10.0, 12.0, 15.0)), "functions": {"lighting", *extras},
                 "cabin": rng.random() < 0.7, "power": rng.choices(("mains", "hybrid", "solar"), (85, 10, 5))[0],
                 "grounding_ohm": round(rng.uniform(0.8, 4.0) if rng.random() < 0.97 else rng.uniform(4.5, 12), 1)}
        if status not in ("planned", "under_construction"):
            attrs["installed"] = _date(rng, 2020)
        place = spot[1] if t["kind"] == "street" else f"{t['name']}{spot[1] or spot[2]}"
        poles.append(_asset("smart_pole", t, spot, loc, status, code=f"LHK-ZHG-{i:05d}", name=f"{place}智能杆",
                            owner=rng.choices(*zip(*POLE_OWNERS))[0], attrs=attrs))
    _number(poles, 3, always=True)
    return poles


def _station(rng, t, spot, loc, op, site, name, seq: Counter, **extra) -> dict:
    seq[op[2]] += 1
    status = _status(rng)
    if status == "planned" and site != "pole_micro" and rng.random() < 0.1:
        loc = None
    bands = sorted(rng.sample(op[4], rng.randint(1, len(op[4]))), key=BANDS.index)
    attrs = {"site_type": site, "bands": bands, **extra}
    if status not in ("planned", "under_construction"):
        attrs["commissioned"] = _date(rng, 2020)
    return _asset("base_station", t, spot, loc, status, code=f"LHK-5G-{op[2]}-{seq[op[2]]:04d}", name=name,
                  owner=f"{op[0]}老河口分公司", operator=op[0], attrs=attrs)


def _stations(rng, towns, n, extent, poles) -> tuple[list[dict], list[tuple]]:
    seq, stations, mounts = Counter(), [], []
    weights = [op[3] for op in OPERATORS]
    for t in _allocate(rng, n, towns):
        op = rng.choices(OPERATORS, weights)[0]
        city = t["kind"] == "street"
        site = rng.choices(("rooftop", "macro_tower", "indoor"), (50, 30, 20) if city else (12, 80, 8))[0]
        spot = _spot(rng, t, village_share=0.6)
        place = spot[1] if city else f"{t['name']}{spot[1] or spot[2]}"
        if site == "indoor":
            name = f"老河口{rng.choice(CITY_PLACES) if city else t['name'] + rng.choice(TOWN_PLACES)}{op[1]}5G室分"
            extra = {"sectors": rng.randint(1, 2), "backup_minutes": rng.choice((0, 30, 60))}
        else:
            name = f"老河口{place}{op[1]}5G{'宏站' if site == 'macro_tower' else '楼顶站'}"
            extra = {"sectors": rng.choice((3, 3, 3, 6)), "tower_owner": "中国铁塔",
                     "backup_minutes": rng.choice((120, 180, 240))}
        stations.append(_station(rng, t, spot, _near(rng, t, extent), op, site, name, seq, **extra))
    # Micro-cells on about one pole in ten (poles standing and in service or faulty).
    standing = [p for p in poles if p["lon"] is not None and p["status"] in ("in_service", "faulty")]
    for pole in rng.sample(standing, min(len(standing), round(0.1 * len(poles)))):
        op = rng.choices(OPERATORS, weights)[0]
        spot = (pole["division"], None, None, pole["address"])
        stations.append(_station(rng, pole["_town"], spot, (pole["lon"], pole["lat"]), op, "pole_micro",
                                 f"老河口{pole['name']}{op[1]}5G微站", seq, sectors=1, tower_owner=pole["owner"],
                                 backup_minutes=rng.choice((0, 30, 60))))
        pole["attrs"]["functions"].add("micro_cell")
        mounts.append((pole["code"], stations[-1]["code"], "杆顶"))
    _number(stations, 2)
    return stations, mounts


def _cameras(rng, towns, n, extent, poles) -> tuple[list[dict], list[tuple], int]:
    carriers = defaultdict(list)
    for p in poles:
        if p["lon"] is not None and p["status"] != "decommissioned":
            carriers[p["_town"]["code"]].append(p)
    slots = _allocate(rng, n, towns)
    border = [i for i, t in enumerate(slots) if t["code"] in NEIGHBOURS]
    flagged = set(rng.sample(border, min(len(border), max(1, round(0.005 * n)))))
    serials, per_pole, cameras, mounts = Counter(), Counter(), [], []
    for i, t in enumerate(slots):
        status = _status(rng)
        _, cls, owner, industries, networks = rng.choices(CAMERA_OWNERS, [o[0] for o in CAMERA_OWNERS])[0]
        gov = f"老河口市{t['name']}" + {"street": "办事处", "town": "人民政府", "farm": ""}[t["kind"]]
        pole = rng.choice(carriers[t["code"]]) if carriers[t["code"]] and rng.random() < 0.4 else None
        if pole:
            spot, loc = (pole["division"], None, None, pole["address"]), (pole["lon"], pole["lat"])
            place, mounting = pole["name"], "pole"
            ctype = rng.choices(("bullet", "ptz", "dome"), (60, 30, 10))[0]
        else:
            spot = _spot(rng, t, village_share=0.4)
            loc = None if status == "planned" and rng.random() < 0.1 else _near(rng, t, extent)
            mounting = rng.choice(("wall", "column"))
            ctype = rng.choices(("bullet", "ptz", "dome"), (45, 20, 35))[0]
            division, road, village, _ = spot
            other = rng.choice([r for r in (CITY_ROADS if t["kind"] == "street" else TOWN_ROADS) if r != road])
            r = rng.random()
            if t["kind"] == "street":
                place = (f"{road}与{other}路口" if r < 0.5 else spot[3].split(t["name"], 1)[1] if r < 0.75
                         else f"{rng.choice(CITY_PLACES)}门口")
            elif village:
                place = t["name"] + village + rng.choice(("口", "部", "广场") if village.endswith("村") else ("服务中心",))
            else:
                place = f"{t['name']}{rng.choice(TOWN_PLACES)}门口" if r < 0.5 else f"{t['name']}{road}与{other}路口"
        centre = (NEIGHBOURS[t["code"]] if i in flagged else COUNTY) + "00"
        prefix = f"{centre}{rng.choice(industries)}{'132' if rng.random() < 0.9 else '131'}{rng.choice(networks)}"
        serials[prefix] += rng.randint(1, 3)
        attrs = {"class": cls, "camera_type": ctype, "mounting": mounting,
                 "resolution": rng.choices(("1080p", "4mp", "8mp"), (45, 45, 10))[0]}
        if status in ("faulty", "decommissioned"):
            attrs["online"] = False
        elif status == "in_service":
            attrs["online"] = rng.random() >= 0.015
        cameras.append(_asset("camera", t, spot, loc, status, code=f"{prefix}{serials[prefix]:06d}",
                              name=f"{place}-{CAMERA_LABELS[ctype]}", owner=owner.format(gov=gov), attrs=attrs))
        if pole:
            per_pole[pole["code"]] += 1
            pole["attrs"]["functions"].add("camera")
            mounts.append((pole["code"], cameras[-1]["code"], f"挑臂{per_pole[pole['code']]}"))
    _number(cameras, 2)
    return cameras, mounts, len(flagged)


def _row(a: dict) -> tuple:
    attrs = dict(a["attrs"])
    if "functions" in attrs:
        attrs["functions"] = sorted(attrs["functions"], key=FUNCTIONS.index)
    values = {**a, "attrs": json.dumps(attrs, ensure_ascii=False, sort_keys=True),
              "grid_code": grid.encode(a["lon"], a["lat"], 10) if a["lon"] is not None else None}
    return tuple(values[c] for c in COLUMNS)


def generate(registry, seed: int = 420682, scale: float = 1.0, progress: Callable[[int, int], None] | None = None,
             cancel: Callable[[], bool] | None = None, history: bool = True) -> dict:
    """Fill a new, empty registry of 老河口市 with a deterministic demo asset registry.

    ``progress(done, total)`` is called between write transactions (chunks of CHUNK rows); when ``cancel()`` turns
    true the generator stops there and returns with ``cancelled`` set (chunks already written stay written).
    Returns counts per type written, micro-cells, mounts, faulty assets, flagged cameras and the seconds taken.
    With ``history`` the demo's users, plans, inspections and defects follow (:mod:`nibi_desk.demo_history`,
    counts under ``history``); the demo users' password is ``demo1234``.
    """
    started = time.monotonic()
    if registry.county != COUNTY:
        raise ValidationError("The demo registry is of county {demo}, not {county}", demo=COUNTY,
                              county=registry.county)
    conn = registry.read()
    if conn.execute("SELECT 1 FROM assets LIMIT 1").fetchone():
        raise ValidationError("The demo fills only a new, empty registry")
    extent = json.loads(conn.execute("SELECT value FROM registry_meta WHERE key = 'extent'").fetchone()[0])
    towns = _townships(conn)
    rng = random.Random(seed)
    n = {k: max(MINIMUM[k], round(v * scale)) for k, v in COUNTS.items()}
    poles = _poles(rng, towns, n["smart_pole"], extent)
    stations, mounts = _stations(rng, towns, n["base_station"], extent, poles)
    cameras, camera_mounts, flagged = _cameras(rng, towns, n["camera"], extent, poles)
    mounts += camera_mounts
    groups = [("smart_pole", [_row(a) for a in poles]), ("base_station", [_row(a) for a in stations]),
              ("camera", [_row(a) for a in cameras])]
    everything = poles + stations + cameras
    summary = {"counts": dict.fromkeys(COUNTS, 0), "micro_cells": 0, "mounts": 0,
               "faulty": sum(a["status"] == "faulty" for a in everything), "flagged_cameras": flagged,
               "without_location": sum(a["lon"] is None for a in everything), "cancelled": False}
    total, done = sum(len(rows) for _, rows in groups) + len(mounts), 0

    def stop() -> bool:
        if progress:
            progress(done, total)
        summary["seconds"] = round(time.monotonic() - started, 2)
        summary["cancelled"] = bool(cancel and cancel())
        return summary["cancelled"]

    for type_, rows in groups:
        for start in range(0, len(rows), CHUNK):
            if stop():
                return summary
            chunk = rows[start:start + CHUNK]
            registry.writer.run(lambda txn: txn.bulk_insert("assets", COLUMNS, chunk))
            done += len(chunk)
            summary["counts"][type_] += len(chunk)
    if stop():
        return summary

    def write_mounts(txn):
        # Codes are unique in the demo (pole, site and GB/T 28181 formats differ), so one lookup gives every id.
        ids = {code: id_ for code, id_ in txn.execute("SELECT code, id FROM assets WHERE deleted = 0")}
        return txn.bulk_insert("mounts", ["carrier", "device", "position"], [(ids[c], ids[d], p) for c, d, p in mounts])

    summary["mounts"] = registry.writer.run(write_mounts)
    summary["micro_cells"] = sum(a["attrs"]["site_type"] == "pole_micro" for a in stations)
    if progress:
        progress(total, total)
    summary["cancelled"] = bool(history and cancel and cancel())  # the history is one more step to cancel before
    if history and not summary["cancelled"]:
        from nibi_desk import demo_history

        summary["history"] = demo_history.add_history(registry, rng, scale)
    summary["seconds"] = round(time.monotonic() - started, 2)
    return summary
