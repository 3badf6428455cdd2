"""Property tests of the pure merge (nibi_desk/sync/merge.py) over generated edit histories on two and three devices.

A simulated device keeps one record as a RowState and writes like the one writer does (a new stamp per changed
field, nothing for an unchanged value; a resolution always takes a new stamp). Syncing sends the sender's state and
the receiver merges it. An independent oracle tracks, per field, which written versions each device has seen
(causal history as sets of version ids, not vectors) to decide which writes are still "live" — not overwritten by a
writer who had seen them — and checks that every live value is either shown or kept in an open conflict.
"""

from __future__ import annotations

import copy
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from nibi_desk.storage.hlc import HybridClock
from nibi_desk.sync.merge import DELETED, RowState, Version, in_conflict, merge_row

FIELDS = ("name", "status", DELETED)
VALUES = {"name": ["甲", "乙", "丙"], "status": ["in_service", "faulty"], DELETED: [0, 1]}
CREATED = "0000000001000-00000-dev0"


class Device:
    def __init__(self, index: int, wall):
        self.name = f"dev{index}"
        self.clock = HybridClock(self.name, wall=wall)
        self.state = RowState({"name": "甲", "status": "in_service", DELETED: 0}, CREATED)
        # oracle: version ids this device has seen, per field (the creation is version "c:<field>")
        self.seen = {f: {f"c:{f}"} for f in FIELDS}

    def displayed_conflict(self, name: str) -> bool:
        return bool(self.state.register(name)[1:])

    def write(self, name: str, value, log: dict, resolve: bool = False) -> None:
        if not resolve and self.state.values[name] == value:
            return  # the writer writes only fields that really change
        stamp = self.clock.now()
        state = self.state
        state.values[name] = value
        state.stamps[name] = stamp
        vid = f"w:{stamp}"
        log[vid] = (name, value, {f: set(s) for f, s in self.seen.items()})
        self.seen[name].add(vid)
        if name != DELETED:
            # an edit asserts the row is alive (or still deleted) at everything this device knows
            lid = f"l:{stamp}"
            log[lid] = (DELETED, state.values[DELETED], {f: set(s) for f, s in self.seen.items()})
            self.seen[DELETED].add(lid)

    def receive(self, other: Device) -> None:
        remote = copy.deepcopy(other.state)
        self.clock.observe(remote.hlc)
        result = merge_row(self.state, remote)
        self.state = result.state
        for f in FIELDS:
            self.seen[f] |= other.seen[f]


def live_values(log) -> dict[str, set]:
    """The oracle: per field, the values of versions that no writer overwrote knowingly."""
    initial = {"name": "甲", "status": "in_service", DELETED: 0}
    out = {}
    for f in FIELDS:
        written = {vid for vid, (name, _v, _k) in log.items() if name == f} | {f"c:{f}"}
        overwritten = set().union(*[knew[f] for (name, _v, knew) in log.values() if name == f])
        out[f] = {initial[f] if vid.startswith("c:") else log[vid][1] for vid in written - overwritten}
    return out


def shown_or_kept(state: RowState, name: str) -> set:
    kept = {state.values[name]}
    for version in state.register(name):
        kept.add(version.value)
    return kept


op = st.one_of(
    st.tuples(st.just("write"), st.integers(0, 2), st.sampled_from(FIELDS), st.integers(0, 2)),
    st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2), st.just(0)),
    st.tuples(st.just("resolve"), st.integers(0, 2), st.sampled_from(FIELDS), st.integers(0, 2)),
)


def run(n_devices: int, ops, skew: list[int]):
    ticks = itertools.count(1)
    devices = [Device(i, (lambda s=s: 1_000_000 + next(ticks) * 7 + s)) for i, s in zip(range(n_devices), skew)]
    log: dict = {}
    for kind, a, b, c in ops:
        a %= n_devices
        if kind == "write":
            values = VALUES[b]
            devices[a].write(b, values[c % len(values)], log)
        elif kind == "resolve":
            if devices[a].displayed_conflict(b):
                values = VALUES[b]
                devices[a].write(b, values[c % len(values)], log, resolve=True)
        else:
            b %= n_devices
            if a != b:
                devices[b].receive(devices[a])
    return devices, log


def full_sync(devices) -> None:
    for _round in range(3):
        for a in devices:
            for b in devices:
                if a is not b:
                    b.receive(a)


def key(state: RowState):
    return (state.values, state.created, state.stamps, state.vv,
            {k: sorted(v, key=lambda x: (x.stamp, x.vv)) for k, v in state.siblings.items()})


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 3), st.lists(op, max_size=30), st.lists(st.integers(-50, 50), min_size=3, max_size=3))
def test_convergence_and_nothing_lost(n, ops, skew):
    devices, log = run(n, ops, skew)
    full_sync(devices)
    first = key(devices[0].state)
    for d in devices[1:]:
        assert key(d.state) == first  # convergence: values, versions and open conflicts alike
    live = live_values(log)
    for d in devices:
        for f in FIELDS:
            assert live[f] <= shown_or_kept(d.state, f), (f, live[f], d.state)
            if len(live[f]) == 1:  # one live value (however many versions hold it): shown, and no conflict
                assert d.state.values[f] in live[f] and not in_conflict(d.state.siblings.get(f))


@settings(max_examples=80, deadline=None)
@given(st.lists(op, max_size=25), st.lists(st.integers(-50, 50), min_size=3, max_size=3))
def test_idempotent_and_order_independent(ops, skew):
    devices, _log = run(3, ops, skew)
    receiver, a, b = (copy.deepcopy(d.state) for d in devices)
    ab = merge_row(merge_row(receiver, a).state, b).state
    ba = merge_row(merge_row(receiver, b).state, a).state
    assert key(ab) == key(ba)
    again = merge_row(ab, a)
    assert key(again.state) == key(ab) and again.outcome == "unchanged" and not again.changed
    assert key(merge_row(ab, b).state) == key(ab)


def test_one_side_changes_merge_silently():
    office, field = Device(0, lambda: 2_000_000), Device(1, lambda: 3_000_000)
    log: dict = {}
    office.write("name", "乙", log)
    field.write("status", "faulty", log)
    result = merge_row(office.state, field.state)
    assert result.state.values == {"name": "乙", "status": "faulty", DELETED: 0}
    assert result.outcome == "updated" and not result.opened


def test_same_field_two_values_is_a_conflict_showing_the_newer():
    office, field = Device(0, lambda: 2_000_000), Device(1, lambda: 3_000_000)
    log: dict = {}
    office.write("name", "乙", log)
    field.write("name", "丙", log)
    result = merge_row(office.state, field.state)
    assert result.outcome == "conflict" and result.opened == ["name"]
    assert result.state.values["name"] == "丙"  # newer stamp shown
    assert {v.value for v in result.state.siblings["name"]} == {"乙", "丙"}


def test_same_value_on_both_sides_is_no_conflict():
    office, field = Device(0, lambda: 2_000_000), Device(1, lambda: 3_000_000)
    log: dict = {}
    office.write("name", "乙", log)
    field.write("name", "乙", log)
    result = merge_row(office.state, field.state)
    assert not result.opened and result.state.values["name"] == "乙"


def test_edit_against_delete_keeps_the_edit_visible():
    office, field = Device(0, lambda: 5_000_000), Device(1, lambda: 3_000_000)
    log: dict = {}
    office.write(DELETED, 1, log)  # newer, but it had not seen the edit
    field.write("name", "丙", log)
    for receiver, sender in ((office, field), (field, office)):
        result = merge_row(copy.deepcopy(receiver.state), copy.deepcopy(sender.state))
        assert result.state.values[DELETED] == 0 and result.state.values["name"] == "丙"
        assert DELETED in result.opened


def test_delete_after_seeing_the_edit_wins_silently():
    office, field = Device(0, lambda: 5_000_000), Device(1, lambda: 3_000_000)
    log: dict = {}
    field.write("name", "丙", log)
    office.receive(field)
    office.write(DELETED, 1, log)
    result = merge_row(field.state, office.state)
    assert result.state.values[DELETED] == 1 and not result.opened


def test_resolution_closes_the_conflict_everywhere():
    a, b, c = Device(0, lambda: 2_000_000), Device(1, lambda: 3_000_000), Device(2, lambda: 4_000_000)
    log: dict = {}
    a.write("name", "乙", log)
    b.write("name", "丙", log)
    a.receive(b)
    c.receive(b)
    c.receive(a)  # c has the conflict too (it travels with the record)
    assert in_conflict(c.state.siblings.get("name"))
    a.write("name", "乙", log, resolve=True)
    c.receive(a)
    assert c.state.values["name"] == "乙" and not c.state.register("name")[1:]


def test_versions_round_trip_json():
    v = Version.of("x", "0000000001000-00001-dev1", {"dev1": "0000000001000-00001-dev1"})
    assert Version.from_json(v.to_json()) == v
