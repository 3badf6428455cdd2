"""Inspection history of the demo county: users, plans and tasks, about six months of submitted inspections with
photos and signatures, and defects at every step of the rectification loop (整改闭环), several of them overdue.

Every change goes through the inspection core's commands (users, plans, inspections, submission, defects) as the
signed-in user whose job it is, so the role rules hold and the audit log is the one a real county would have.

The demo users all have the password ``demo1234`` (:data:`DEMO_PASSWORD`):

=========== ========== =========== ==============================================
login       name       role        does
=========== ========== =========== ==============================================
office      王主任     office      plans, notices, verification, one correction
zhangwei    张伟       inspector   city cameras, monthly
lina        李娜       inspector   smart poles quarterly, 5G base stations half-yearly
jiandu      刘科长     supervisor  reads and prints
=========== ========== =========== ==============================================

*When*: the core stamps ``started_at``, ``submitted_at`` and ``closed_at`` with the wall clock and has no parameter
for it, so the history is replayed on a simulated clock (:class:`_Clock`): the core's ``now_local`` is replaced, for
the calling thread and this registry's writer thread only, while the history is written. Everything the commands
do take as a parameter (``today``, ``notice_date``, ``rectified_at``) is passed explicitly.

Deterministic: every choice comes from ``rng`` and every date from ``today``, so the same seed on the same day gives
the same history (ids, version stamps and the audit log's wall-clock times aside).

Speed: each command is its own write transaction (the commands cannot share one), a few thousand of them. The
registry being filled is not in use yet (``nibi demo`` builds it under a temporary name and renames it when done),
so its writer commits with ``synchronous = OFF`` meanwhile and with FULL again afterwards; photos are drawn and
stored on a few threads while the replay runs; the published demo password is hashed with cheap argon2id
parameters (:data:`DEMO_HASHER`), which the core upgrades at the first sign-in.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from fractions import Fraction
from typing import Any, Callable

from argon2 import PasswordHasher
from PIL import Image, ImageDraw, ImageFilter
from PIL.TiffImagePlugin import IFDRational

from nibi_desk.context import Context
from nibi_desk.errors import ValidationError
from nibi_desk.inspection import defects, evidence, inspections, periods, plans, submission, templates, users
from nibi_desk.inspection.form import Form
from nibi_desk.photos.exif import read_info
from nibi_desk.photos.store import PhotoStore

DEMO_PASSWORD = "demo1234"
# The demo password is published, so its hashes are made cheaply (argon2id, 1 MiB, 1 pass) instead of spending 3 s
# of a demo build on it; users.sign_in sees the weaker parameters and re-hashes with the full ones on first sign-in.
DEMO_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ORGANISATION = "老河口市新基建办"
# (login, display name, role, organisation, phone make, phone model)
USERS = (("office", "王主任", "office", ORGANISATION, "HUAWEI", "P50"),
         ("zhangwei", "张伟", "inspector", ORGANISATION, "HUAWEI", "Mate 40 Pro"),
         ("lina", "李娜", "inspector", ORGANISATION, "Xiaomi", "Redmi K60"),
         ("jiandu", "刘科长", "supervisor", "老河口市发展和改革局", None, None))
COUNTY = "420682"
HISTORY_MONTHS = 6
CITY = ("420682001", "420682002")  # 光化街道, 酂阳街道
# key: (name, cycle, asset type, assets at scale 1.0, minimum, inspector login, notes)
PLANS = {
    "camera": ("城区重点视频监控月度巡检（光化街道、酂阳街道）", "monthly", "camera", 30, 3, "zhangwei",
               "光化街道、酂阳街道重点路口和公共场所的视频监控点位，每月巡检一次"),
    "pole": ("智慧杆季度巡检", "quarterly", "smart_pole", 40, 3, "lina", "杆体、仓体、接地和挂载设备，每季度一次"),
    "station": ("5G基站半年巡检", "half_yearly", "base_station", 24, 2, "lina",
                "宏站和楼顶站的铁塔、接地、天馈、机柜和动力配套，每半年一次"),
}
COMPLETION = 0.9        # share of a finished period's tasks that were inspected
UNREACHABLE_RATE = 0.03
TOO_FAR_RATE = 0.03
FAIL_RATE = 0.08        # inspections with a failed item (each failed item raises a defect)
MIN_FAILED = 8          # so that even a tiny demo shows every step of the rectification loop
PHOTO_WORKERS = 8
UNREACHABLE = ("道路施工封闭，车辆和人员无法进入", "设备位于封闭小区内，物业不予放行", "汉江涨水，通往点位的便道被淹",
               "院落大门上锁，联系不上管理人员", "现场正在进行管线开挖，无法靠近设备")
REOPEN_REASONS = ("复查发现问题仍然存在，整改不到位", "整改照片与现场不符，请重新整改并补充照片",
                  "同类问题复发，需查明原因彻底整改")
CLEAR_DAY = {1: 4, 2: 7, 3: 12, 4: 18, 5: 23, 6: 27, 7: 30, 8: 29, 9: 25, 10: 19, 11: 12, 12: 6}  # mean °C
DEVICE_FAULTS = {"lighting": "照明灯具不亮", "camera": "挂载摄像机离线", "micro_cell": "5G微站设备告警",
                 "sensors": "环境传感器无数据", "screen": "信息屏黑屏", "broadcast": "广播无声",
                 "emergency_call": "一键报警按钮无响应", "charger": "充电桩故障停用"}

# Failures per template item: (weight, value or function(rng, asset) -> value, note, what the rectification did).
FAILURES: dict[str, dict[str, tuple]] = {
    "camera": {
        "online": (4, "offline", "平台显示离线，光纤收发器无信号", "更换光纤收发器，设备恢复在线"),
        "image_clear": (5, lambda rng, a: rng.choice(("blurred", "blocked", "black")), "画面异常，影响取证",
                        "清洁镜头、修剪遮挡树枝并检修补光，画面恢复清晰"),
        "angle": (3, False, "监控角度偏移，未覆盖路口", "重新调整云台角度并锁紧"),
        "time_offset_s": (2, lambda rng, a: rng.choice((1, -1)) * rng.randint(45, 600), "设备时间与平台偏差过大",
                          "重新配置NTP校时"),
        "housing": (2, False, "护罩破损，有进水痕迹", "更换护罩并做防水处理"),
        "box_closed": (2, False, "设备箱门未锁闭", "更换箱门锁具"),
        "label": (2, False, "点位标识牌缺失", "补装点位标识牌"),
    },
    "smart_pole": {
        "pole_body": (2, False, "杆体局部锈蚀，涂层脱落", "除锈并重新喷涂"),
        "foundation": (1, False, "基础松动，地脚螺栓外露", "加固基础并紧固地脚螺栓"),
        "cabin_closed": (2, False, "仓门未关闭", "更换仓门锁扣"),
        "gateway": (3, "offline", "智能网关离线", "更换网关电源模块，恢复在线"),
        "power_distribution": (2, False, "配电单元空开跳闸", "排查漏电点并恢复供电"),
        "lightning_protection": (1, False, "防雷模块失效指示", "更换防雷模块"),
        "grounding_ohm": (2, lambda rng, a: round(rng.uniform(10.5, 16.0), 1), "接地电阻超标", "增设接地极，复测合格"),
        "handhole": (2, False, "手孔井盖破损", "更换手孔井盖"),
        "faulty_devices": (4, lambda rng, a: [rng.choice(sorted(set(a["functions"]) & set(DEVICE_FAULTS)))],
                           "挂载设备故障", "维修挂载设备，功能恢复"),
        "labels": (2, False, "杆体编号牌脱落", "补装编号牌"),
    },
    "base_station": {
        "tower_body": (1, False, "塔身局部锈蚀", "除锈补漆"),
        "tower_bolts": (2, False, "塔脚螺栓松动", "紧固塔脚螺栓并加装防松螺母"),
        "lightning_rod": (1, False, "避雷针倾斜", "校正并加固避雷针"),
        "grounding_ohm": (2, lambda rng, a: round(rng.uniform(10.5, 15.0), 1), "接地电阻超标", "补打接地极，复测合格"),
        "antenna_mount": (2, False, "天线抱杆松动", "紧固抱杆抱箍"),
        "feeder_entry": (2, False, "馈线窗封堵不严", "重新封堵馈线窗"),
        "cabinet_lock": (2, False, "机柜门锁损坏", "更换机柜门锁"),
        "cabinet_temp": (2, lambda rng, a: round(rng.uniform(41.0, 48.0), 1), "机柜温度过高，空调停机",
                         "维修机柜空调，温度恢复正常"),
        "mains": (1, lambda rng, a: rng.choice(("generator", "battery")), "市电中断，临时供电", "恢复市电接入"),
        "backup_minutes": (2, lambda rng, a: rng.randint(35, 100), "蓄电池容量衰减，后备时长不足", "更换蓄电池组"),
        "alarms": (2, lambda rng, a: [rng.choice(("door_alarm", "power_alarm", "temperature_alarm"))], "动环告警未消除",
                   "排除告警源，告警已消除"),
        "signage": (1, False, "警示标识缺失", "补装警示标识"),
        "cleanliness": (2, "poor", "站内杂物堆积", "清理站内杂物"),
    },
}
# A defect's way through the loop (its fate) as the steps taken; one too long for the days since the defect was raised
# becomes a shorter one.
STEPS = {"open": [], "notice": ["notice"], "rectified": ["notice", "rectify"], "closed": ["notice", "rectify", "close"],
         "reopened": ["notice", "rectify", "reopen"],
         "reopened_closed": ["notice", "rectify", "reopen", "rectify", "close"]}
DOWNGRADE = {"reopened_closed": "reopened", "reopened": "rectified", "closed": "rectified", "rectified": "notice",
             "notice": "open"}
# Which picture each photo item gets.
SCENES = {("camera", "image_clear"): "view", ("camera", "site_photo"): "camera",
          ("smart_pole", "cabin_photo"): "cabinet", ("smart_pole", "overall_photo"): "pole",
          ("smart_pole", "devices_photo"): "pole", ("base_station", "grounding_ohm"): "meter",
          ("base_station", "cabinet_photo"): "cabinet", ("base_station", "site_photo"): "station"}


# -- the simulated clock ---------------------------------------------------------------------------------------------
class _Clock:
    """Stands in for ``inspections.now_local`` while the history is written: the simulated time for the threads
    writing this registry, the real one for any other thread (the GUI may have another registry open)."""

    MODULES = (inspections, submission, defects)

    def __init__(self, threads: set[int]):
        self.threads = threads
        self.value: str | None = None
        self.real = inspections.now_local

    def set(self, when: datetime) -> None:
        self.value = when.isoformat(timespec="seconds")

    def __call__(self) -> str:
        if self.value is not None and threading.get_ident() in self.threads:
            return self.value
        return self.real()

    @contextmanager
    def installed(self):
        saved = [(m, m.now_local) for m in self.MODULES]
        for module, _real in saved:
            module.now_local = self
        try:
            yield self
        finally:
            for module, real in saved:
                module.now_local = real


def _synchronous(registry, level: str) -> int:
    """Set the writer connection's synchronous level (a PRAGMA SQLite refuses inside a transaction, so the writer's
    transaction is committed first and a new one begun); returns the writer thread's ident."""

    def switch(txn) -> int:
        txn.conn.execute("COMMIT")
        txn.conn.execute(f"PRAGMA synchronous = {level}")
        txn.conn.execute("BEGIN IMMEDIATE")
        return threading.get_ident()

    return registry.writer.run(switch)


def _local(day: date, hour: float) -> datetime:
    """A local time on ``day`` (``hour`` 9.5 = 09:30), aware of the machine's zone like the core's now_local."""
    seconds = int(round(hour * 3600))
    return datetime.combine(day, clock_time(seconds // 3600, seconds // 60 % 60, seconds % 60)).astimezone()


def _workday(rng: random.Random, first: date, last: date) -> date:
    """A day in [first, last], Sundays avoided when there is another choice."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    weekdays = [d for d in days if d.weekday() != 6] or days
    return rng.choice(weekdays)


def _offset(lon: float, lat: float, metres: float, bearing: float) -> tuple[float, float]:
    dlat = metres * math.cos(bearing) / 111_320
    dlon = metres * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
    return round(lon + dlon, 7), round(lat + dlat, 7)


# -- pictures --------------------------------------------------------------------------------------------------------
@dataclass
class PhotoSpec:
    seed: int
    scene: str
    taken: datetime | None
    lon: float | None
    lat: float | None
    make: str | None
    model: str | None
    mark: str = ""          # "defect": damage drawn in; "blurred"/"blocked"/"black": what a failed view shows
    reading: str = ""       # digits on the meter


def _rational(value: float) -> IFDRational:
    f = Fraction(str(value)).limit_denominator(10**6)
    return IFDRational(f.numerator, f.denominator)


def _dms(degrees: float) -> tuple:
    ms = round(abs(degrees) * 3600 * 1000)
    d, rest = divmod(ms, 3600 * 1000)
    m, s = divmod(rest, 60 * 1000)
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 1000)


def _draw(spec: PhotoSpec) -> Image.Image:
    """A 320×240 picture of the scene: crude, but recognisably a pole, a cabinet, a tower, a meter or a street."""
    rng = random.Random(spec.seed)
    w, h = 320, 240
    sky = (rng.randint(110, 150), rng.randint(160, 190), rng.randint(205, 235))
    im = Image.new("RGB", (w, h), sky)
    d = ImageDraw.Draw(im)
    horizon = rng.randint(150, 175)
    for _ in range(rng.randint(1, 4)):  # clouds
        x, y = rng.randint(-20, 300), rng.randint(5, 90)
        d.ellipse((x, y, x + rng.randint(40, 90), y + rng.randint(12, 25)), fill=(240, 242, 245))
    scene = spec.scene
    if scene in ("cabinet", "meter"):
        d.rectangle((0, 0, w, h), fill=(rng.randint(150, 175),) * 3)
        if scene == "cabinet":
            x0 = rng.randint(50, 90)
            d.rectangle((x0, 20, x0 + 160, 225), fill=(205, 208, 210), outline=(90, 90, 90), width=3)
            d.line((x0 + 80, 22, x0 + 80, 223), fill=(120, 120, 120), width=2)
            for i in range(rng.randint(3, 6)):
                d.ellipse((x0 + 15 + i * 12, 35, x0 + 21 + i * 12, 41), fill=rng.choice(((40, 200, 60), (240, 180, 0))))
            d.rectangle((x0 + 90, 110, x0 + 100, 140), fill=(60, 60, 60))  # the lock
        else:
            d.rounded_rectangle((90, 30, 230, 220), radius=12, fill=(240, 190, 30), outline=(60, 60, 60), width=3)
            d.rectangle((105, 50, 215, 100), fill=(150, 190, 140))
            d.text((118, 65), f"{spec.reading} Ω", fill=(20, 30, 20))
            for i in range(6):
                d.ellipse((110 + (i % 3) * 38, 125 + (i // 3) * 40, 135 + (i % 3) * 38, 150 + (i // 3) * 40),
                          fill=(70, 70, 70))
    else:
        d.rectangle((0, horizon, w, h), fill=(rng.randint(80, 110), rng.randint(90, 115), rng.randint(70, 90)))
        d.polygon(((130, h), (190, h), (165, horizon), (155, horizon)), fill=(95, 95, 100))  # a road
        for _ in range(rng.randint(1, 3)):  # buildings or trees on the skyline
            x = rng.randint(0, 280)
            top = horizon - rng.randint(30, 90)
            if rng.random() < 0.5:
                d.rectangle((x, top, x + rng.randint(25, 60), horizon), fill=(rng.randint(170, 215),) * 3)
            else:
                d.ellipse((x, top, x + 40, horizon + 5), fill=(55, rng.randint(110, 140), 60))
        x = rng.randint(120, 200)
        if scene in ("camera", "pole"):
            d.rectangle((x, 30, x + 8, horizon + 20), fill=(150, 152, 155))
            d.line((x + 4, 40, x + 60, 36), fill=(150, 152, 155), width=5)
            if scene == "camera":
                d.rectangle((x + 45, 40, x + 75, 55), fill=(235, 235, 235), outline=(60, 60, 60))
            else:
                d.ellipse((x + 50, 30, x + 72, 42), fill=(250, 245, 210))
                d.rectangle((x - 6, horizon - 40, x + 14, horizon + 10), fill=(200, 202, 205))
        elif scene == "station":
            top = rng.randint(10, 30)
            for dx in (-30, 30):
                d.line((x, top, x + dx, horizon + 15), fill=(110, 110, 115), width=3)
            for y in range(top + 20, horizon, 22):
                half = 30 * (y - top) / (horizon + 15 - top)
                d.line((x - half, y, x + half, y), fill=(110, 110, 115), width=2)
            for dx in (-14, 0, 14):
                d.rectangle((x + dx - 3, top, x + dx + 3, top + 22), fill=(235, 235, 235))
    if spec.mark == "defect":
        for _ in range(rng.randint(3, 7)):  # rust and damage
            x, y = rng.randint(60, 260), rng.randint(40, 200)
            r = rng.randint(4, 14)
            d.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randint(120, 160), rng.randint(60, 80), 30))
        x, y = rng.randint(90, 230), rng.randint(70, 170)
        d.ellipse((x - 45, y - 45, x + 45, y + 45), outline=(230, 30, 30), width=3)  # the inspector's red circle
    elif spec.mark == "blurred":
        im = im.filter(ImageFilter.GaussianBlur(6))
    elif spec.mark == "blocked":
        for _ in range(12):
            x, y = rng.randint(-40, 300), rng.randint(-40, 200)
            d.ellipse((x, y, x + 120, y + 90), fill=(40, rng.randint(90, 130), 45))
    elif spec.mark == "black":
        im = Image.new("RGB", (w, h), (8, 8, 10))
    return im


def _jpeg(spec: PhotoSpec) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 1
    if spec.make:
        exif[0x010F], exif[0x0110] = spec.make, spec.model
    if spec.taken is not None:
        # Camera-local time without an offset, as most phones write it (read in the inspection's zone).
        stamp = spec.taken.strftime("%Y:%m:%d %H:%M:%S")
        exif[0x0132] = stamp
        sub = exif.get_ifd(0x8769)
        sub[0x9003] = sub[0x9004] = stamp
    if spec.lon is not None:
        exif.get_ifd(0x8825).update({1: "N", 2: _dms(spec.lat), 3: "E", 4: _dms(spec.lon), 5: b"\x00",
                                     6: _rational(round(random.Random(spec.seed).uniform(82, 98), 1))})
    buffer = io.BytesIO()
    _draw(spec).save(buffer, "JPEG", quality=80, exif=exif)
    return buffer.getvalue()


class _Photos:
    """Every planned photo, drawn and read here (a fraction of a millisecond each) and written to the photo store by
    worker threads while the replay runs: the writes wait on fsync, not on Python, so they do not slow the replay.
    ``photos[i]`` is photo i's values (for the ``photos`` row); :meth:`finish` waits for the files."""

    def __init__(self, registry, specs: list[PhotoSpec]):
        store = PhotoStore.for_registry(registry.path)
        self.pool = ThreadPoolExecutor(max_workers=PHOTO_WORKERS, thread_name_prefix="demo-photos")
        self.values, self.writes = [], []
        for spec in specs:
            data = _jpeg(spec)
            self.writes.append(self.pool.submit(store.add_bytes, data))
            name = f"IMG_{spec.taken:%Y%m%d_%H%M%S}.jpg" if spec.taken else f"IMG_{spec.seed % 10000:04d}.jpg"
            self.values.append(evidence.photo_values(hashlib.sha256(data).hexdigest(), len(data), read_info(data),
                                                     original_name=name))

    def __getitem__(self, index: int) -> dict:
        return self.values[index]

    def finish(self) -> None:
        """Wait for every file; the first failed write raises."""
        self.pool.shutdown(wait=True)
        for write in self.writes:
            write.result()


def _signature(rng: random.Random) -> bytes:
    """A scribbled signature (PNG, like the signature pad's)."""
    im = Image.new("L", (240, 80), 255)
    d = ImageDraw.Draw(im)
    x, y = 15.0, 45.0
    points = [(x, y)]
    for _ in range(rng.randint(14, 22)):
        x += rng.uniform(4, 14)
        y = min(70.0, max(10.0, y + rng.uniform(-18, 18)))
        points.append((x, y))
    d.line(points, fill=0, width=3, joint="curve")
    d.line((points[0][0], 62, points[-1][0], rng.uniform(55, 68)), fill=0, width=2)
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()


# -- the plan of the history -------------------------------------------------------------------------------------------
@dataclass
class Visit:
    """One inspection as it will be replayed."""

    start: datetime
    plan: str
    asset: dict
    period: str
    login: str
    unreachable: str | None = None
    too_far: bool = False
    fails: dict = field(default_factory=dict)      # item -> (value, note)
    answers: dict = field(default_factory=dict)
    photos: list = field(default_factory=list)      # (item, spec index)
    stood: tuple = (None, None)
    source: str = "typed"
    corrected: bool = False
    id: str | None = None


@dataclass
class Defect:
    visit: Visit
    item: str
    severity: str
    raised: datetime
    steps: list = field(default_factory=list)       # (when, action, extra)
    id: str | None = None


def _chosen_assets(conn, rng: random.Random, key: str, n: int) -> list[dict]:
    type_ = PLANS[key][2]
    sql = "SELECT seq FROM assets WHERE deleted = 0 AND type = ? AND status = 'in_service' AND lon IS NOT NULL"
    params: list = [type_]
    if key == "camera":
        sql += " AND substr(division, 1, 9) IN (?, ?)"
        params += list(CITY)
    elif key == "station":
        sql += " AND json_extract(attrs, '$.site_type') IN ('macro_tower', 'rooftop')"
    seqs = [r[0] for r in conn.execute(sql + " ORDER BY seq", params)]
    picked = sorted(seqs[i] for i in rng.sample(range(len(seqs)), min(n, len(seqs))))
    out = []
    for seq in picked:
        a = dict(conn.execute("SELECT id, type, code, name, division, lon, lat, owner, operator, attrs FROM assets "
                              "WHERE seq = ?", (seq,)).fetchone())
        a["attrs"] = json.loads(a["attrs"] or "{}")
        a["functions"] = a["attrs"].get("functions", [])
        out.append(a)
    return out


def _passing(f, asset: dict, rng: random.Random, day: date) -> Any:
    """A plausible passing answer ({value} / {na} / None to leave an optional item empty)."""
    attrs, key = asset["attrs"], f.key
    if asset["type"] == "camera":
        if key == "column":
            return {"na": True} if attrs.get("mounting") == "wall" else {"value": True}
        if key == "night_lighting" and rng.random() < 0.2:
            return {"na": True}
        if key == "time_offset_s":
            return {"value": rng.randint(-8, 8)}
    if asset["type"] == "smart_pole":
        if key == "smart_lock" and not attrs.get("cabin", True):
            return {"na": True}
        if key == "grounding_ohm":
            return {"value": min(9.6, max(0.4, round(attrs.get("grounding_ohm", 2.0) + rng.gauss(0, 0.25), 1)))}
    if asset["type"] == "base_station":
        site = attrs.get("site_type")
        if key == "grounding_ohm":
            return {"value": round(rng.uniform(0.8, 6.5), 1)}
        if key == "antenna_tilt":
            return {"na": True} if site == "indoor" else {"value": round(rng.uniform(2.0, 9.0), 1)}
        if key == "cabinet_temp":
            return {"value": round(min(39.0, max(-4.0, CLEAR_DAY[day.month] + rng.uniform(-2, 8))), 1)}
        if key == "backup_minutes":
            minutes = attrs.get("backup_minutes", 120)
            return {"na": True} if minutes < 120 else {"value": max(120, round(minutes * rng.uniform(0.9, 1.05)))}
        if key == "fence" and site != "macro_tower":
            return {"na": True}
        if key == "cleanliness":
            return {"value": "good" if rng.random() < 0.7 else "fair"}
    if f.kind == "text":
        return {"value": rng.choice(("运行正常", "现场整洁", "设备完好"))} if rng.random() < 0.3 else None
    if not f.required and f.kind != "photo":
        return None
    return _generic_pass(f)


def _generic_pass(f) -> Any:
    if f.kind == "pass_fail":
        return {"value": True}
    if f.kind == "number":
        lows = [v for v in (f.min, f.pass_min) if v is not None]
        highs = [v for v in (f.max, f.pass_max) if v is not None]
        low = max(lows) if lows else 0
        high = min(highs) if highs else low + 10
        return {"value": round((low + high) / 2, f.decimals or 0)}
    if f.kind == "choice":
        return {"value": next(o.value for o in f.options if not o.fails)}
    if f.kind == "multi":
        return {"value": []}
    return None


def _fail_options(form: Form, asset: dict) -> list[tuple[str, tuple]]:
    keys = {f.key for f in form.fields}
    out = []
    for item, spec in FAILURES.get(asset["type"], {}).items():
        if item not in keys:
            continue
        if item == "faulty_devices" and not set(asset["functions"]) & set(DEVICE_FAULTS):
            continue
        out.append((item, spec))
    return out


def _fail_value(rng: random.Random, spec: tuple, asset: dict, f) -> tuple[Any, str]:
    _weight, value, note, _fix = spec
    value = value(rng, asset) if callable(value) else value
    if f.kind == "multi":
        note = "、".join(DEVICE_FAULTS.get(v, f.option(v).title("zh_CN") if f.option(v) else v) for v in value)
    elif f.kind == "choice" and f.option(value) is not None and f.key == "image_clear":
        note = f"画面{f.option(value).title('zh_CN')}"
    return value, note


class _History:
    def __init__(self, registry, rng: random.Random, scale: float, today: date):
        self.registry, self.rng, self.scale, self.today = registry, rng, scale, today
        self.yesterday = today - timedelta(days=1)
        first_month = (today.year * 12 + today.month - 1) - HISTORY_MONTHS
        self.start = date(first_month // 12, first_month % 12 + 1, 1)
        conn = registry.read()
        self.forms = {t: Form.from_body(templates.default_for(conn, t)["body"]) for t in
                      ("camera", "smart_pole", "base_station")}
        self.specs: list[PhotoSpec] = []
        self.visits: list[Visit] = []
        self.defects: list[Defect] = []
        self.draft: Visit | None = None
        self.camera_assets: list[dict] = []
        self.skipped = 0
        self.phones = {u[0]: (u[4], u[5]) for u in USERS}

    # -- planning (rng only; nothing written) -------------------------------------------------------------------------
    def photo(self, scene: str, taken: datetime, lon: float, lat: float, login: str, mark: str = "",
              reading: str = "") -> int:
        rng = self.rng
        gps = rng.random() >= 0.02  # now and then the phone had no position fix
        if rng.random() < 0.01:     # or an old photo was picked from the gallery
            taken = taken - timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 6))
        make, model = self.phones[login]
        self.specs.append(PhotoSpec(rng.getrandbits(32), scene, taken.replace(tzinfo=None),
                                    round(lon + rng.gauss(0, 0.00003), 7) if gps else None,
                                    round(lat + rng.gauss(0, 0.00003), 7) if gps else None, make, model, mark,
                                    reading))
        return len(self.specs) - 1

    def plan_visits(self, conn) -> dict[str, list[dict]]:
        rng, chosen = self.rng, {}
        for key, (_name, cycle, _type, n, minimum, login, _notes) in PLANS.items():
            assets = _chosen_assets(conn, rng, key, max(minimum, round(n * self.scale)))
            chosen[key] = assets
            if key == "camera":
                self.camera_assets = assets
            period = periods.period_of(cycle, self.start)
            while period is not None and period.start <= self.yesterday:
                first, last = max(period.start, self.start), min(period.end, self.yesterday)
                share = COMPLETION * min(1.0, ((last - first).days + 1) / ((period.end - first).days + 1))
                for asset in assets:
                    if rng.random() >= share:
                        self.skipped += period.end < self.today
                        continue
                    day = _workday(rng, first, last)
                    self.visits.append(Visit(_local(day, rng.uniform(8.5, 16.5)), key, asset, period.label, login))
                period = periods.next_period(cycle, period)
        self.visits.sort(key=lambda v: v.start)
        if not self.skipped:  # an inspection left undone in a past period: an overdue task to show
            past = [v for v in self.visits if periods.period_of(PLANS[v.plan][1], v.start.date()).end < self.today]
            if past:
                self.visits.remove(past[-1])
                self.skipped = 1
        return chosen

    def plan_outcomes(self) -> None:
        rng, visits = self.rng, self.visits
        n = len(visits)
        for v in rng.sample(visits, max(1, round(UNREACHABLE_RATE * n))):
            v.unreachable = rng.choice(UNREACHABLE)
        normal = [v for v in visits if v.unreachable is None]
        for v in rng.sample(normal, max(1, round(TOO_FAR_RATE * n))):
            v.too_far = True
        # Failures: some old enough for their deadline to have passed, some recent, the rest anywhere.
        wanted = min(len(normal), max(MIN_FAILED, round(FAIL_RATE * n)))
        old = [v for v in normal if v.start.date() <= self.today - timedelta(days=40)]
        recent = [v for v in normal if v.start.date() >= self.today - timedelta(days=12)]
        failing = rng.sample(old, min(5, len(old), wanted))
        recent = [v for v in recent if v not in failing]
        failing += rng.sample(recent, min(3, len(recent), wanted - len(failing)))
        rest = [v for v in normal if v not in failing]
        failing += rng.sample(rest, min(len(rest), wanted - len(failing)))
        for v in sorted(failing, key=lambda v: v.start):
            form, options = self.forms[v.asset["type"]], _fail_options(self.forms[v.asset["type"]], v.asset)
            count = 2 if rng.random() < 0.2 and len(options) > 1 else 1
            picked: list = []
            while len(picked) < count:
                item = rng.choices(options, [o[1][0] for o in options])[0]
                if item not in picked:
                    picked.append(item)
            for item, spec in picked:
                v.fails[item] = _fail_value(rng, spec, v.asset, form.field(item))
        # One older, passing camera inspection gets a correction from the office.
        cameras = [v for v in normal if v.plan == "camera" and not v.fails and v.start.date() < self.today -
                   timedelta(days=30)]
        if cameras:
            rng.choice(cameras).corrected = True

    def plan_details(self) -> None:
        rng = self.rng
        for v in self.visits:
            a, form = v.asset, self.forms[v.asset["type"]]
            if v.too_far or v.unreachable:
                metres = rng.uniform(130, 450) if v.too_far else rng.uniform(30, 220)
            else:
                metres = abs(rng.gauss(0, 18)) + 2
            v.stood = _offset(a["lon"], a["lat"], metres, rng.uniform(0, 2 * math.pi))
            if v.unreachable:
                continue
            for f in form.fields:
                if f.kind == "photo":
                    continue
                if f.key in v.fails:
                    value, note = v.fails[f.key]
                    v.answers[f.key] = {"value": value, "note": note}
                elif v.corrected and f.key == "night_lighting":
                    v.answers[f.key] = {"na": True}
                else:
                    answer = _passing(f, a, rng, v.start.date())
                    if answer is not None:
                        v.answers[f.key] = answer
            minute = 2.0
            for f in form.fields:
                if not f.needs_photo or (not f.required and f.key not in v.fails):
                    continue
                scene = SCENES.get((a["type"], f.key), "camera")
                mark = ""
                if f.key in v.fails and scene != "meter":
                    mark = v.answers[f.key]["value"] if f.key == "image_clear" else "defect"
                reading = ""
                if scene == "meter":
                    reading = f"{v.answers.get(f.key, {}).get('value', 0):.1f}"
                minute += rng.uniform(1, 6)
                v.photos.append((f.key, self.photo(scene, v.start + timedelta(minutes=minute), *v.stood, v.login,
                                                   mark, reading)))
            for item in v.fails:  # a photo of the defect for an item that had none: it becomes the "before" photo
                if not form.field(item).needs_photo:
                    minute += rng.uniform(1, 4)
                    scene = "cabinet" if "cabin" in item or "cabinet" in item or item == "box_closed" else \
                        SCENES.get((a["type"], "site_photo"), "pole")
                    v.photos.append((item, self.photo(scene, v.start + timedelta(minutes=minute), *v.stood,
                                                      v.login, "defect")))
            v.source = "exif" if v.photos and rng.random() < 0.6 else rng.choice(("typed", "typed", "map"))

    def plan_defects(self) -> None:
        """Each defect's way through the loop, as far as it got by yesterday. Deadline passed: most closed, some
        stalled (overdue), a few reopened; deadline still ahead: open, notice issued, rectified, some closed."""
        rng = self.rng
        for v in self.visits:
            for i, item in enumerate(v.fails):
                f = self.forms[v.asset["type"]].field(item)
                self.defects.append(Defect(v, item, f.severity_hint, v.start + timedelta(minutes=40 + i)))
        past, ahead = [], []
        for d in self.defects:
            deadline = d.raised.date() + timedelta(days=defects.DEADLINE_DAYS[d.severity])
            (past if deadline < self.today else ahead).append(d)
        fates: dict[int, str] = {}
        rng.shuffle(past)
        stalled = max(1, round(0.25 * len(past))) if past else 0
        reopened = max(1, round(0.1 * len(past))) if len(past) > 2 else 0
        for i, d in enumerate(past):
            fate = "open" if i < stalled and i % 2 == 0 else "notice" if i < stalled else \
                "reopened" if i < stalled + reopened else "closed"
            if fate == "closed" and len(past) >= 10 and i == stalled + reopened:
                fate = "reopened_closed"
            fates[id(d)] = fate
        rng.shuffle(ahead)
        for i, d in enumerate(ahead):
            fates[id(d)] = ("open", "notice", "rectified", "closed")[i % 4]
        room = {id(d): (self.yesterday - d.raised.date()).days for d in self.defects}
        for d in self.defects:
            while len(STEPS[fates[id(d)]]) > room[id(d)]:  # too recent for this fate: fewer steps
                fates[id(d)] = DOWNGRADE[fates[id(d)]]
        # Every state on screen at least once (a tiny demo has few defects): take from the commonest fate, never
        # from the stalled ones whose deadline passed (the overdue defects).
        stalled_ids = {id(d) for d in past if fates[id(d)] in ("open", "notice")}
        for wanted in ("rectified", "reopened", "closed", "notice", "open"):
            have = [fates[id(d)] for d in self.defects]
            if wanted in have:
                continue
            common = max(set(have), key=lambda f: (have.count(f), f))
            donors = [d for d in self.defects if fates[id(d)] == common and room[id(d)] >= len(STEPS[wanted])
                      and id(d) not in stalled_ids]
            if have.count(common) > 1 and donors:
                fates[id(donors[0])] = wanted
        for d in self.defects:
            fate = fates[id(d)]
            days_available = room[id(d)]
            steps = STEPS[fate]
            day, deadline_days = d.raised.date(), defects.DEADLINE_DAYS[d.severity]
            left = days_available
            for n, action in enumerate(steps):
                # Spread the steps over the time there was: notice soon, rectification within the deadline.
                gap = {"notice": rng.randint(1, 3), "rectify": rng.randint(2, max(2, deadline_days - 3)),
                       "close": rng.randint(1, 4), "reopen": rng.randint(2, 8)}[action]
                gap = max(1, min(gap, left - (len(steps) - n - 1)))
                day += timedelta(days=gap)
                left -= gap
                hour = {"notice": rng.uniform(9, 11.5), "rectify": rng.uniform(10, 16), "close": rng.uniform(14, 17),
                        "reopen": rng.uniform(9, 12)}[action]
                extra = None
                if action == "rectify":
                    a = d.visit.asset
                    spot = _offset(a["lon"], a["lat"], abs(rng.gauss(0, 10)) + 2, rng.uniform(0, 2 * math.pi))
                    login = PLANS[d.visit.plan][5]
                    extra = self.photo("cabinet" if "cabin" in d.item else SCENES.get((a["type"], "site_photo"),
                                       "pole"), _local(day, hour) + timedelta(minutes=3), *spot, login)
                elif action == "reopen":
                    extra = rng.choice(REOPEN_REASONS)
                d.steps.append((_local(day, hour), action, extra))

    def plan_draft(self) -> None:
        """An inspection started yesterday afternoon and not finished: a draft to continue."""
        done = {(v.asset["id"], v.period) for v in self.visits}
        label = periods.period_of("monthly", self.yesterday).label
        todo = [a for a in self.camera_assets if (a["id"], label) not in done]
        if todo:
            a = self.rng.choice(todo)
            v = Visit(_local(self.yesterday, 16.5), "camera", a, label, PLANS["camera"][5])
            form = self.forms["camera"]
            for f in form.fields[:4]:
                answer = _passing(f, a, self.rng, self.yesterday)
                if answer is not None:
                    v.answers[f.key] = answer
            self.draft = v

    # -- replay (the core's commands, on the simulated clock) ---------------------------------------------------------
    def replay(self, photos: _Photos, contexts: dict[str, Context], plan_ids: dict[str, str],
               clock: _Clock, summary: dict) -> None:
        office = contexts["office"]
        conn = self.registry.read()
        signatures = {login: [_signature(self.rng) for _ in range(2)] for login in ("office", "zhangwei", "lina")}
        events: list[tuple[datetime, int, Callable[[], None]]] = []
        month = self.start
        while month <= self.today:
            for key in plan_ids:
                events.append((_local(month, 7.0), len(events), lambda m=month, k=key: generate(k, m)))
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        for key in plan_ids:
            events.append((_local(self.today, 0.0), len(events), lambda k=key: generate(k, self.today)))

        def generate(key: str, day: date) -> None:
            clock.set(_local(day, 7.0))
            summary["tasks"] += plans.generate_tasks(office, plan_ids[key], today=day)["created"]

        def task_of(v: Visit) -> str | None:
            row = conn.execute("SELECT id FROM tasks WHERE plan = ? AND asset = ? AND period = ?",
                               (plan_ids[v.plan], v.asset["id"], v.period)).fetchone()
            return row[0] if row else None

        def inspect(v: Visit) -> None:
            ctx = contexts[v.login]
            clock.set(v.start)
            v.id = inspections.start(ctx, v.asset["id"], task_id=task_of(v), today=v.start.date())
            if v.unreachable:
                inspections.update_draft(ctx, v.id, unreachable_reason=v.unreachable)
            else:
                inspections.save_answers(ctx, v.id, v.answers)
            first = None
            for item, index in v.photos:
                link = submission.attach_photo(ctx, v.id, photos[index], item=item)
                first = first or (link if photos[index]["lon"] is not None else None)
            if v.source == "exif" and first:
                inspections.position_from_photo(ctx, v.id, first)
            else:
                inspections.set_position(ctx, v.id, *v.stood, source="map" if v.source == "map" else "typed")
            submission.set_signature(ctx, v.id, self.rng.choice(signatures[v.login]))
            clock.set(v.start + timedelta(minutes=self.rng.uniform(12, 35)))
            submission.submit(ctx, v.id)

        def raise_(d: Defect) -> None:
            clock.set(d.raised)
            d.id = defects.raise_defect(contexts[d.visit.login], d.visit.id, d.item, today=d.raised.date())

        def step(d: Defect, when: datetime, action: str, extra: Any) -> None:
            clock.set(when)
            if action == "notice":
                summary["notices"] += 1
                number = f"老新基整改〔{when.year}〕{summary['notices']:03d}号"
                unit = d.visit.asset["owner"] or d.visit.asset["operator"] or ORGANISATION
                defects.issue_notice(office, d.id, number, unit, when.date())
            elif action == "rectify":
                fix = FAILURES[d.visit.asset["type"]][d.item][3]
                defects.rectify(contexts[PLANS[d.visit.plan][5]], d.id, fix, [photos[extra]],
                                rectified_at=when.isoformat(timespec="seconds"))
            elif action == "close":
                defects.close(office, d.id)
            else:
                defects.reopen(office, d.id, extra)

        def correct(v: Visit) -> None:
            clock.set(v.start + timedelta(days=2, hours=1))
            cid = submission.correct(office, v.id)
            inspections.save_answers(office, cid, {"night_lighting": {"value": True,
                                                                      "note": "经平台夜间录像核实，补光正常"}})
            inspections.update_draft(office, cid, notes="更正：补录夜间补光检查结果（原记录为不适用）")
            submission.set_signature(office, cid, signatures["office"][0])
            clock.set(v.start + timedelta(days=2, hours=1, minutes=20))
            submission.submit(office, cid)
            summary["corrections"] += 1

        def draft(v: Visit) -> None:
            clock.set(v.start)
            v.id = inspections.start(contexts[v.login], v.asset["id"], task_id=task_of(v), today=v.start.date())
            inspections.save_answers(contexts[v.login], v.id, v.answers)
            summary["drafts"] += 1

        for v in self.visits:
            events.append((v.start, len(events), lambda v=v: inspect(v)))
            if v.corrected:
                events.append((v.start + timedelta(days=2, hours=1), len(events), lambda v=v: correct(v)))
        for d in self.defects:
            events.append((d.raised, len(events), lambda d=d: raise_(d)))
            for when, action, extra in d.steps:
                events.append((when, len(events), lambda d=d, w=when, a=action, e=extra: step(d, w, a, e)))
        if self.draft is not None:
            events.append((self.draft.start, len(events), lambda: draft(self.draft)))
        for _when, _n, run in sorted(events, key=lambda e: (e[0], e[1])):
            run()


def add_history(registry, rng: random.Random, scale: float, today: date | None = None) -> dict:
    """Add the demo's users, plans, tasks, inspections, photos and defects to a demo registry (assets already in,
    no users yet). Returns counts: users, plans, tasks, submitted inspections (by result), corrections, drafts,
    photos, defects (by status, open, overdue), the password of the demo users and the seconds taken."""
    started = time.monotonic()
    today = today or date.today()
    conn = registry.read()
    if registry.county != COUNTY:
        raise ValidationError("The demo registry is of county {demo}, not {county}", demo=COUNTY,
                              county=registry.county)
    if users.has_users(conn):
        raise ValidationError("The demo history goes into a demo registry that has no users yet")
    h = _History(registry, rng, scale, today)
    chosen = h.plan_visits(conn)
    h.plan_outcomes()
    h.plan_details()
    h.plan_defects()
    h.plan_draft()
    summary: dict[str, Any] = {"users": len(USERS), "password": DEMO_PASSWORD, "plans": 0, "tasks": 0,
                               "corrections": 0, "drafts": 0, "notices": 0}
    actor = registry.actor
    writer_thread = _synchronous(registry, "OFF")
    hasher = users.set_hasher(DEMO_HASHER)
    photos = None
    try:
        photos = _Photos(registry, h.specs)
        # The first user is the office user (no sign-in needed); the office adds the others; each signs in.
        contexts = {login: Context(registry) for login in ("office", "zhangwei", "lina")}
        office = contexts["office"]
        ids = {}
        for login, name, role, organisation, *_phone in USERS:
            ids[login] = users.add_user(office, login, name, role, DEMO_PASSWORD, organisation)
            if login in contexts:
                users.sign_in(contexts[login], login, DEMO_PASSWORD)
        clock = _Clock({threading.get_ident(), writer_thread})
        with clock.installed():
            clock.set(_local(h.start - timedelta(days=3), 10.0))
            # A plan without assets (a tiny demo may lack them) is left out: without ids it would take them all.
            plan_ids = {key: plans.create_plan(office, name, cycle, h.start, {"types": [type_], "ids": [
                a["id"] for a in chosen[key]]}, inspector=ids[login], notes=notes)
                        for key, (name, cycle, type_, _n, _m, login, notes) in PLANS.items() if chosen[key]}
            summary["plans"] = len(plan_ids)
            h.replay(photos, contexts, plan_ids, clock, summary)
        photos.finish()
    finally:
        users.set_hasher(hasher)
        if photos is not None:
            photos.pool.shutdown(wait=True)
        _synchronous(registry, "FULL")
        registry.actor = actor
    conn = registry.read()
    counts = defects.counts(conn, today)
    submitted = "FROM inspections WHERE status = 'submitted' AND deleted = 0"
    summary.update(
        submitted=conn.execute(f"SELECT count(*) {submitted}").fetchone()[0],
        results=dict(conn.execute(f"SELECT result, count(*) {submitted} GROUP BY result ORDER BY result")),
        too_far=conn.execute(f"SELECT count(*) {submitted} AND flags LIKE '%\"too_far\"%'").fetchone()[0],
        photos=conn.execute("SELECT count(*) FROM photos WHERE media_type = 'image/jpeg'").fetchone()[0],
        evidence=conn.execute("SELECT count(*) FROM evidence").fetchone()[0],
        defects=sum(counts["by_status"].values()), defects_by_status=counts["by_status"],
        open_defects=counts["open"], overdue_defects=counts["overdue"],
        overdue_tasks=conn.execute("SELECT count(*) FROM tasks WHERE status = 'open' AND due_date < ?",
                                   (today.isoformat(),)).fetchone()[0],
        seconds=round(time.monotonic() - started, 2))
    return summary
