"""Visits for the demo inspection history: the inspections and defects to replay, all planned from ``rng``."""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from nibi_desk.demo_answers import _fail_options, _fail_value, _passing
from nibi_desk.demo_pictures import PhotoSpec
from nibi_desk.demo_settings import (CITY, COMPLETION, DOWNGRADE, FAIL_RATE, HISTORY_MONTHS, MIN_FAILED, PLANS,
                                     REOPEN_REASONS, SCENES, STEPS, TOO_FAR_RATE, UNREACHABLE, UNREACHABLE_RATE,
                                     USERS, _local, _offset, _workday)
from nibi_desk.inspection import defects, periods, templates
from nibi_desk.inspection.form import Form


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
