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

import json
import math
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any, Callable

from argon2 import PasswordHasher

from nibi_desk.context import Context
from nibi_desk.errors import ValidationError
from nibi_desk.inspection import defects, inspections, periods, plans, submission, templates, users
from nibi_desk.inspection.form import Form

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


from nibi_desk.demo_pictures import PhotoSpec, _Photos, _signature  # noqa: E402
from nibi_desk.demo_answers import FAILURES, _fail_options, _fail_value, _passing


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
