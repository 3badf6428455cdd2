"""The same properties as tests/test_sync_merge_properties.py, through real registries and real bundles: generated
edit histories on three registries, exchanges of full bundles, then convergence, idempotence and order independence
of imports (records, versions and open conflicts)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nibi_desk.context import Context
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import apply, export
from tests.sync_helpers import introduce, make, poles, snapshot

FIELDS = {"name": ["甲", "乙", "丙"], "status": ["in_service", "faulty"], "notes": [None, "注1", "注2"],
          "deleted": [0, 1]}
_BASE: dict = {}


def base(root: Path) -> dict:
    """Three registries that know each other and share three assets, made once per test run."""
    key = str(root)
    if key not in _BASE:
        regs = [make(root, f"dev{i}") for i in range(3)]
        introduce(*(c for _r, c in regs))
        poles(regs[0][1], 3)
        seed = export.export_bundle(regs[0][1], root / "seed.nibx", "rollup").path
        for _r, c in regs[1:]:
            apply.import_bundle(c, seed)
        for r, _c in regs:
            r.close()
        _BASE[key] = [r.path for r, _c in regs]
    return _BASE[key]


def view(path: Path) -> tuple:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assets = conn.execute("SELECT id, name, status, notes, deleted, created_hlc, field_hlc FROM assets "
                              "ORDER BY id").fetchall()
        versions = conn.execute("SELECT tbl, row_id, vv, siblings FROM sync_versions WHERE tbl = 'assets' "
                                "ORDER BY row_id").fetchall()
        conflicts = conn.execute("SELECT tbl, row_id, field, candidates FROM conflicts WHERE status = 'open' "
                                 "ORDER BY row_id, field").fetchall()
        return assets, versions, [(t, r, f, sorted(json.dumps(c, sort_keys=True) for c in json.loads(cs)))
                                  for t, r, f, cs in conflicts]
    finally:
        conn.close()


class World:
    def __init__(self, paths: list[Path], folder: Path):
        self.folder = folder
        self.regs = []
        for p in paths:
            target = folder / p.name
            shutil.copy(p, target)
            registry = Registry.open(target, actor=p.stem)
            self.regs.append((registry, Context(registry)))
        conn = self.regs[0][0].read()
        self.assets = [r[0] for r in conn.execute("SELECT id FROM assets ORDER BY seq")]
        self.n = 0

    def edit(self, dev: int, asset: int, field: str, value) -> None:
        self.regs[dev][0].writer.run(lambda txn: txn.update("assets", self.assets[asset], {field: value}))

    def bundle(self, dev: int) -> Path:
        self.n += 1
        return export.export_bundle(self.regs[dev][1], self.folder / f"b{self.n}.nibx", "rollup", full=True).path

    def sync(self, src: int, dst: int) -> None:
        apply.import_bundle(self.regs[dst][1], self.bundle(src))

    def close(self) -> None:
        for r, _c in self.regs:
            r.close()


op = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, 2), st.sampled_from(sorted(FIELDS)),
              st.integers(0, 2)),
    st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2), st.just(""), st.just(0)),
)


# derandomize: CI must be deterministic; the counterexample hypothesis found on a random run is kept below as a
# strict xfail, so the known bug stays visible until the merge handles it.
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(op, min_size=1, max_size=12))
def test_registries_converge_and_imports_commute(tmp_path, ops):
    run_history(tmp_path, ops)


# Found by hypothesis on a random run: a local edit (of any field) made while a 'deleted' conflict was open settles
# that conflict in the merge, but the registry that made it kept its conflict entry open while the others closed it.
def test_counterexample_delete_undelete_with_concurrent_edit(tmp_path):
    run_history(tmp_path, [("edit", 0, 0, "deleted", 0), ("edit", 0, 0, "deleted", 0), ("edit", 0, 0, "deleted", 0),
                           ("edit", 0, 0, "deleted", 1), ("edit", 1, 0, "name", 0), ("sync", 0, 1, "", 0),
                           ("edit", 0, 0, "deleted", 0), ("edit", 1, 0, "name", 1)])


def run_history(tmp_path, ops):
    paths = base(tmp_path / "base")
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        world = World(paths, Path(folder))
        try:
            for kind, a, b, field, v in ops:
                if kind == "edit":
                    values = FIELDS[field]
                    world.edit(a, b, field, values[v % len(values)])
                elif a != b:
                    world.sync(a, b)
            # order independence: a fresh copy of dev0 imports dev1's and dev2's bundles in both orders
            b1, b2 = world.bundle(1), world.bundle(2)
            orders = []
            for first, second in ((b1, b2), (b2, b1)):
                copy = Path(folder) / f"order{len(orders)}.nibi"
                path = world.regs[0][0].path
                world.regs[0][0].close()  # checkpoints the WAL, so that the copy is complete
                shutil.copy(path, copy)
                reopened = Registry.open(path, actor="dev0")
                world.regs[0] = (reopened, Context(reopened))
                with Registry.open(copy, actor="dev0") as reg:
                    ctx = Context(reg)
                    apply.import_bundle(ctx, first)
                    apply.import_bundle(ctx, second)
                orders.append(view(copy))
            assert orders[0] == orders[1]
            # convergence: everyone exchanges with everyone, twice
            for _round in range(2):
                for src in range(3):
                    for dst in range(3):
                        if src != dst:
                            world.sync(src, dst)
            views = [view(r.path) for r, _c in world.regs]
            assert views[0] == views[1] == views[2]
            # idempotence: the same bundle again changes nothing, not a byte of content
            again = world.bundle(1)
            apply.import_bundle(world.regs[0][1], again)
            before = snapshot(world.regs[0][0].path)
            apply.import_bundle(world.regs[0][1], again)
            assert snapshot(world.regs[0][0].path) == before
        finally:
            world.close()
