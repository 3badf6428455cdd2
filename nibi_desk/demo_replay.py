"""Replay of the demo inspection history: the core's commands in time order, on a simulated clock."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, Callable

from nibi_desk.context import Context
from nibi_desk.demo_answers import FAILURES
from nibi_desk.demo_pictures import _Photos, _signature
from nibi_desk.demo_settings import ORGANISATION, PLANS, _local
from nibi_desk.demo_visits import Defect, Visit, _History
from nibi_desk.inspection import defects, inspections, plans, submission


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


# -- replay (the core's commands, on the simulated clock) ------------------------------------------------------------
def replay(h: _History, photos: _Photos, contexts: dict[str, Context], plan_ids: dict[str, str], clock: _Clock,
           summary: dict) -> None:
    """Write the planned history through the core's commands as its users, in time order (ties in the order listed)."""
    office = contexts["office"]
    conn = h.registry.read()
    signatures = {login: [_signature(h.rng) for _ in range(2)] for login in ("office", "zhangwei", "lina")}
    events: list[tuple[datetime, int, Callable[[], None]]] = []
    month = h.start
    while month <= h.today:
        for key in plan_ids:
            events.append((_local(month, 7.0), len(events), lambda m=month, k=key: generate(k, m)))
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    for key in plan_ids:
        events.append((_local(h.today, 0.0), len(events), lambda k=key: generate(k, h.today)))

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
        submission.set_signature(ctx, v.id, h.rng.choice(signatures[v.login]))
        clock.set(v.start + timedelta(minutes=h.rng.uniform(12, 35)))
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

    for v in h.visits:
        events.append((v.start, len(events), lambda v=v: inspect(v)))
        if v.corrected:
            events.append((v.start + timedelta(days=2, hours=1), len(events), lambda v=v: correct(v)))
    for d in h.defects:
        events.append((d.raised, len(events), lambda d=d: raise_(d)))
        for when, action, extra in d.steps:
            events.append((when, len(events), lambda d=d, w=when, a=action, e=extra: step(d, w, a, e)))
    if h.draft is not None:
        events.append((h.draft.start, len(events), lambda: draft(h.draft)))
    for _when, _n, run in sorted(events, key=lambda e: (e[0], e[1])):
        run()
