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

import random
import threading
import time
from datetime import date, timedelta
from typing import Any

from nibi_desk.context import Context
from nibi_desk.demo_pictures import _Photos
from nibi_desk.demo_replay import _Clock, _synchronous, replay
from nibi_desk.demo_settings import (CITY, COMPLETION, COUNTY, DEMO_HASHER, DEMO_PASSWORD, DOWNGRADE, FAIL_RATE,
                                     HISTORY_MONTHS, MIN_FAILED, ORGANISATION, PLANS, REOPEN_REASONS, SCENES, STEPS,
                                     TOO_FAR_RATE, UNREACHABLE, UNREACHABLE_RATE, USERS, _local)
from nibi_desk.demo_visits import Defect, Visit, _History
from nibi_desk.errors import ValidationError
from nibi_desk.inspection import defects, plans, users

# Names defined here before the split into demo_settings, demo_visits and demo_replay stay importable from here.
__all__ = ["CITY", "COMPLETION", "COUNTY", "DEMO_HASHER", "DEMO_PASSWORD", "DOWNGRADE", "FAIL_RATE", "HISTORY_MONTHS",
           "MIN_FAILED", "ORGANISATION", "PLANS", "REOPEN_REASONS", "SCENES", "STEPS", "TOO_FAR_RATE", "UNREACHABLE",
           "UNREACHABLE_RATE", "USERS", "Defect", "Visit", "add_history"]


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
            replay(h, photos, contexts, plan_ids, clock, summary)
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
