"""The merge of one record from two registries: PURE (no SQLite), so that a PostgreSQL registry can reuse it.

Every field is a multi-value register over hybrid-clock versions:

* A field's version is its stamp (``field_hlc.get(field, created_hlc)``) plus a version vector ``vv``
  ({device: newest stamp of that device in the field's history}). The vector is ``created_hlc`` joined with the
  stamp joined with the knowledge a merge recorded in ``RowState.vv`` (only fields that took a version from another
  registry have one; local writes need none, since a registry's own stamps only grow).
* One version *dominates* another when its vector is ≥ in every device: its writer had seen the other, so it
  replaces it silently (a field changed on one side only). Versions where neither dominates are concurrent and
  are all kept (``RowState.siblings``, travelling with the record); the newest stamp is shown and the field's
  vector is their join. Equal values are no conflict; different values are an open conflict whose candidates are
  these versions, so nothing is dropped, and a later resolution (a new version dominating every candidate) closes
  it everywhere.
* ``deleted`` is the row's liveness: its vector is the whole row's knowledge (the join of every field), so an edit
  the deleter had not seen is concurrent with the deletion. Such a conflict shows the row (deleted = 0).
* The kept versions are the maximal ones of everything seen, so the result does not depend on the order of imports:
  merging is commutative, associative and idempotent (tests/test_sync_merge_properties.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

DELETED = "deleted"
VV = dict[str, str]


def device_of(stamp: str) -> str:
    return stamp.split("-", 2)[2]


def join(*vvs: Mapping[str, str]) -> VV:
    out: VV = {}
    for vv in vvs:
        for device, stamp in vv.items():
            if stamp > out.get(device, ""):
                out[device] = stamp
    return out


def dominates(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """a ≥ b: every version b knows, a knows."""
    return all(a.get(device, "") >= stamp for device, stamp in b.items())


def same_value(a: Any, b: Any) -> bool:
    # SQLite's column affinity already makes 1 and 1.0 one type per column; text never equals a number.
    return a == b


@dataclass(frozen=True)
class Version:
    """One version of one field: its value, its stamp and its version vector."""

    value: Any
    stamp: str
    vv: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, value: Any, stamp: str, vv: Mapping[str, str]) -> Version:
        return cls(value, stamp, tuple(sorted(vv.items())))

    @property
    def vector(self) -> VV:
        return dict(self.vv)

    def to_json(self) -> dict:
        return {"value": self.value, "stamp": self.stamp, "vv": self.vector}

    @classmethod
    def from_json(cls, data: Mapping) -> Version:
        return cls.of(data["value"], data["stamp"], data["vv"])


@dataclass
class RowState:
    """A record as one registry has it: values, versions, and the candidates of its open conflicts."""

    values: dict[str, Any]
    created: str
    stamps: dict[str, str] = field(default_factory=dict)         # field_hlc
    vv: dict[str, VV] = field(default_factory=dict)              # extra knowledge per field (sparse)
    siblings: dict[str, list[Version]] = field(default_factory=dict)  # concurrent versions per field (sorted)

    def stamp(self, name: str) -> str:
        return self.stamps.get(name, self.created)

    def field_vv(self, name: str) -> VV:
        created, stamp = self.created, self.stamp(name)
        return join({device_of(created): created}, {device_of(stamp): stamp}, self.vv.get(name, {}))

    def row_vv(self) -> VV:
        return join(*(self.field_vv(name) for name in self.values))

    def register(self, name: str) -> list[Version]:
        """The field's current versions: its kept concurrent versions, or its one value. The kept versions are
        current while the field's vector is still their join; a local write since (of the field, or of any field for
        ``deleted``) makes a newer version that supersedes them all."""
        vector = self.row_vv() if name == DELETED else self.field_vv(name)
        kept = self.siblings.get(name)
        if kept and join(*(v.vector for v in kept)) == vector:
            return list(kept)
        return [Version.of(self.values[name], self.stamp(name), vector)]

    @property
    def hlc(self) -> str:
        return max([self.created, *self.stamps.values()])


@dataclass
class MergeResult:
    state: RowState
    outcome: str                                   # new / updated / unchanged / conflict / refused
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)   # values that change locally
    opened: list[str] = field(default_factory=list)    # fields whose open conflict is new or gained candidates
    closed: list[str] = field(default_factory=list)    # fields whose open conflict a newer version superseded
    versions_changed: bool = False                 # stamps / vectors to write even if no value changed
    reason: str | None = None                      # why refused


def maximal(versions: Iterable[Version]) -> list[Version]:
    """The versions no other version dominates (duplicates collapse), ordered by stamp."""
    unique: dict[tuple, Version] = {}
    for v in versions:
        unique.setdefault((v.stamp, v.vv), v)
    vs = list(unique.values())
    out = []
    for v in vs:
        vec = v.vector
        if not any(w is not v and dominates(w.vector, vec) and w.vv != v.vv for w in vs):
            out.append(v)
    # Equal vectors with different stamps cannot come from one history; keep the newest stamp deterministically.
    by_vv: dict[tuple, Version] = {}
    for v in out:
        if v.vv not in by_vv or v.stamp > by_vv[v.vv].stamp:
            by_vv[v.vv] = v
    return sorted(by_vv.values(), key=lambda v: (v.stamp, v.vv))


def distinct_values(versions: Iterable[Version]) -> list[Any]:
    out: list[Any] = []
    for v in versions:
        if not any(same_value(v.value, seen) for seen in out):
            out.append(v.value)
    return out


def shown_version(name: str, versions: list[Version]) -> Version:
    """Which of the current versions the record shows: the newest; for ``deleted`` in conflict, the newest that
    keeps the row (an edit the deleter had not seen stays visible)."""
    pool = versions
    if name == DELETED and len(distinct_values(versions)) > 1:
        pool = [v for v in versions if not v.value]
    newest = max(pool, key=lambda v: v.stamp)
    return Version.of(newest.value, newest.stamp, join(*(v.vector for v in versions)))


def in_conflict(versions: list[Version] | None) -> bool:
    return bool(versions) and len(distinct_values(versions)) > 1


def _extra(created: str, vector: VV) -> VV:
    # Everything but the creation is kept, the current stamp's own entry too: a later local write replaces the
    # stamp in field_hlc, and the knowledge it carried must survive that.
    creator = device_of(created)
    return {d: s for d, s in sorted(vector.items()) if d != creator or s > created}


def merge_row(local: RowState | None, remote: RowState, immutable: bool = False) -> MergeResult:
    """Merge ``remote`` into ``local`` (None: the record is new here). Both must have the same fields."""
    if local is None:  # (``changed`` stays empty: everything is new)
        return MergeResult(remote, "new", versions_changed=True,
                           opened=sorted(k for k, v in remote.siblings.items() if in_conflict(v)) if remote.siblings
                           else [])
    if local.created != remote.created:
        return MergeResult(local, "refused", reason="created")
    if immutable:
        same = all(same_value(local.values.get(k), v) for k, v in remote.values.items())
        return MergeResult(local, "unchanged" if same else "refused", reason=None if same else "immutable")
    values, stamps, extra, siblings = {}, {}, {}, {}
    changed, opened, closed = {}, [], []
    for name in local.values:
        mine = local.register(name)
        merged = maximal(mine + remote.register(name))
        shown = shown_version(name, merged)
        values[name] = shown.value
        if shown.stamp != local.created:
            stamps[name] = shown.stamp
        if name != DELETED:
            more = _extra(local.created, shown.vector)
            if more:
                extra[name] = more
        else:
            deleted_vector = shown.vector
        if len(merged) > 1:  # concurrent versions, kept even with equal values (order independence needs them)
            siblings[name] = merged
        before = mine if len(mine) > 1 else None
        if in_conflict(merged) and (not in_conflict(before) or merged != before):
            opened.append(name)
        elif in_conflict(before) and not in_conflict(merged):
            closed.append(name)
        if not same_value(local.values[name], shown.value):
            changed[name] = (local.values[name], shown.value)
    # The row's knowledge must stay the join of the liveness versions; keep on `deleted` only what no field carries
    # (e.g. the deleter's stamp while an edit keeps the row shown).
    # (not counting `deleted`'s own stamp, which a later local write replaces)
    others = RowState(values, local.created, stamps, extra)
    derived = join(*(others.field_vv(name) for name in values if name != DELETED))
    more = {d: s for d, s in sorted(deleted_vector.items()) if s > derived.get(d, "")}
    if more:
        extra[DELETED] = more
    state = RowState(values, local.created, stamps, extra, siblings)
    versions_changed = stamps != local.stamps or extra != local.vv or siblings != local.siblings
    outcome = "conflict" if opened else "updated" if changed or closed else "unchanged"
    return MergeResult(state, outcome, changed, opened, closed, versions_changed)


def base_stamp(candidates: list[Version]) -> str | None:
    """The newest version every candidate knows (their common base), as a stamp; None when they share nothing."""
    vectors = [c.vector for c in candidates]
    common = set.intersection(*(set(v) for v in vectors)) if vectors else set()
    meet = [min(v[d] for v in vectors) for d in common]
    return max(meet) if meet else None


def sides(candidates: list[Version], local_device: str) -> tuple[Version, Version]:
    """(mine, theirs) for showing a conflict side by side: mine is the newest candidate this device wrote (else the
    one shown), theirs the newest with another value. A pure function of the candidates, so every order of imports
    shows the same."""
    ordered = sorted(candidates, key=lambda v: v.stamp, reverse=True)
    mine = next((c for c in ordered if device_of(c.stamp) == local_device), ordered[0])
    theirs = next((c for c in ordered if not same_value(c.value, mine.value)), ordered[-1])
    return mine, theirs


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
