"""Settings of the demo inspection history: users, plans, rates, the loop's steps, date and place helpers."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from argon2 import PasswordHasher

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
UNREACHABLE = ("道路施工封闭，车辆和人员无法进入", "设备位于封闭小区内，物业不予放行", "汉江涨水，通往点位的便道被淹",
               "院落大门上锁，联系不上管理人员", "现场正在进行管线开挖，无法靠近设备")
REOPEN_REASONS = ("复查发现问题仍然存在，整改不到位", "整改照片与现场不符，请重新整改并补充照片",
                  "同类问题复发，需查明原因彻底整改")
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
