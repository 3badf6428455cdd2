"""Print copies made when photos arrive (nibi_desk.reports.print_copies): exactly the copies a batch, a notice and a
closure record then use, in this thread or in worker processes; a cancel stops between photos and leaves nothing
half-written; a photo that cannot be read is skipped and reported; `nibi report prepare` and `nibi bundle import`
end to end. No timing here (see the report of issue #7 for measurements)."""

from __future__ import annotations

import json
import os

import pytest
from PIL import Image

from nibi_desk import i18n
from nibi_desk.cli.main import main
from nibi_desk.inspection import evidence
from nibi_desk.photos.store import PhotoStore
from nibi_desk.reports import batch, notice, print_copies
from nibi_desk.reports.furniture import ReportOptions
from nibi_desk.reports.photos import PhotoCache
from tests.inspection_fixtures import PASSWORD, cheap_hasher  # noqa: F401
from tests.print_copies_fixtures import return_bundle, stamped_copies
from tests.reports_fixtures import damaged_county



pytestmark = pytest.mark.usefixtures("no_worker_left_behind")


@pytest.fixture(scope="module")
def county(photos_county):
    return photos_county


@pytest.fixture
def pool_for_few(monkeypatch):
    """Worker processes even for the few photos of a test county."""
    monkeypatch.setattr(print_copies, "MIN_POOL_JOBS", 1)
    monkeypatch.setattr(print_copies, "PER_WORKER", 1)


def cache_in(county, folder) -> PhotoCache:
    return PhotoCache.for_registry(county.registry.path, ReportOptions().photo_max_px, folder)


def everything(county) -> list[str]:
    return print_copies.submitted(county.registry.read())


def files(folder) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.jpg")
            if "maps" not in p.parts}


def partial_files(*folders) -> list:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*.part")]


def no_decoding(*args, **kwargs):
    raise AssertionError("a document made a print copy that prepare should have made")


# -- the copies the documents use ------------------------------------------------------------------------------------
@pytest.mark.parametrize("workers", [0, 1])
def test_prepare_makes_exactly_the_copies_the_documents_then_use(county, tmp_path, monkeypatch, pool_for_few,
                                                                 workers):
    cache = cache_in(county, tmp_path / "cache")
    ids = everything(county)
    wanted = print_copies.missing(county.registry, ids, cache)
    assert wanted and len({job.target for job in wanted}) == len(wanted)
    assert print_copies.missing(county.registry.read(), ids, cache) == wanted  # a connection will do as well
    seen = []
    stats = print_copies.prepare(county.registry, ids, progress=lambda done, total: seen.append((done, total)),
                                 workers=workers, cache=cache)
    assert (stats.made, stats.failed, stats.already, stats.workers) == (len(wanted), 0, 0, workers)
    assert seen[0] == (0, len(wanted)) and seen[-1] == (len(wanted), len(wanted))
    assert print_copies.missing(county.registry, ids, cache) == []
    made = files(tmp_path / "cache")
    assert len(made) == len(wanted)

    # A batch, the notices and the closure record then find every photo: nothing decoded, no worker, no new file.
    monkeypatch.setattr(PhotoCache, "_shrink", no_decoding)
    options = ReportOptions(cache_dir=tmp_path / "cache")
    rows = batch.select(county.registry, plan=county.plan)
    result = batch.write_batch(county.registry, tmp_path / "warm.pdf", rows, options, workers=1)
    assert result.prefetch.workers == 0 and result.prefetch.made == 0
    notice.write_notice(county.registry, county.defects, tmp_path / "notice.pdf", options)
    notice.write_closure(county.registry, county.closed_defect, tmp_path / "closure.pdf", options)
    assert files(tmp_path / "cache") == made

    again = print_copies.prepare(county.registry, ids, cache=cache, workers=workers)
    assert (again.made, again.already, again.workers) == (0, len(wanted), 0)


def test_copies_are_the_ones_a_cold_batch_makes(county, tmp_path):
    rows = batch.select(county.registry, plan=county.plan)
    batch.write_batch(county.registry, tmp_path / "cold.pdf", rows, ReportOptions(cache_dir=tmp_path / "cold"),
                      workers=0)
    print_copies.prepare(county.registry, [r["id"] for r in rows], cache=cache_in(county, tmp_path / "warm"),
                         workers=0, defects=False)
    cold = {name: (tmp_path / "cold" / name).read_bytes() for name in files(tmp_path / "cold")}
    warm = {name: (tmp_path / "warm" / name).read_bytes() for name in files(tmp_path / "warm")}
    assert warm and warm == cold  # byte for byte, under the same names


def test_the_batch_prefetcher_plans_the_same_photos(county):
    from nibi_desk.reports.inspection import Printer
    from nibi_desk.reports.prefetch import Prefetcher

    p = Printer(county.registry.read(), county.registry.path, ReportOptions())
    ahead = Prefetcher(p, [], workers=1)
    try:
        for inspection_id in everything(county):
            assert ahead._plan(inspection_id) == print_copies.inspection_photos(p.conn, inspection_id)
    finally:
        ahead.close()


def test_arrived_names_the_submitted_inspections_an_import_wrote(county):
    class Op:
        def __init__(self, table, id):
            self.table, self.id, self.insert = table, id, True

    class Plan:
        ops = (Op("inspections", county.station_inspection), Op("assets", county.camera_inspection),
               Op("evidence", evidence.of_inspection(county.registry.read(), county.camera_inspection)[0]["id"]))

    arrived = print_copies.arrived(county.registry.read(), Plan())
    assert sorted(arrived) == sorted([county.station_inspection, county.camera_inspection])


# -- cancel ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("workers", [0, 1])
def test_cancel_stops_between_photos_and_leaves_no_partial_copy(county, tmp_path, pool_for_few, workers):
    cache = cache_in(county, tmp_path / "cache")
    ids = everything(county)
    total = len(print_copies.missing(county.registry, ids, cache))
    asked = []

    def cancel():
        asked.append(1)
        return len(asked) >= 2

    stats = print_copies.prepare(county.registry, ids, cancel=cancel, workers=workers, cache=cache)
    assert stats.cancelled and 1 <= stats.made < total and stats.failed == 0
    assert len(print_copies.missing(county.registry, ids, cache)) == total - len(files(tmp_path / "cache"))
    assert not partial_files(tmp_path, PhotoStore.for_registry(county.registry.path).root)
    for copy in (tmp_path / "cache").rglob("*.jpg"):  # whatever was made is whole
        with Image.open(copy) as im:
            im.load()


def test_closing_the_generator_shuts_the_workers_down(county, tmp_path, pool_for_few):
    gen = print_copies.steps(county.registry, everything(county), workers=1, cache=cache_in(county, tmp_path))
    assert next(gen)[0] == 0 and next(gen)[0] == 1
    gen.close()  # what a cancelled GUI task does; the autouse fixture checks that no worker is left


# -- failures --------------------------------------------------------------------------------------------------------
@pytest.fixture
def broken_county(tmp_path):
    """A county one of whose stored photos is not a JPEG any more (a damaged disk, a bad restore)."""
    c, sha = damaged_county(tmp_path, (800, 600))
    yield c, sha
    c.registry.close()


@pytest.mark.parametrize("workers", [0, 1])
def test_a_photo_that_cannot_be_read_is_skipped_and_reported(broken_county, tmp_path, pool_for_few, workers):
    county, sha = broken_county
    cache = cache_in(county, tmp_path / "cache")
    ids = everything(county)
    total = len(print_copies.missing(county.registry, ids, cache))
    stats = print_copies.prepare(county.registry, ids, workers=workers, cache=cache)
    assert (stats.failed, stats.made, stats.workers) == (1, total - 1, workers)
    assert [s for s, _reason in stats.failures] == [sha] and stats.failures[0][1]
    assert [job.photo["sha256"] for job in print_copies.missing(county.registry, ids, cache)] == [sha]
    assert stats.to_dict()["failures"] == [{"sha256": sha, "reason": stats.failures[0][1]}]


# -- the command line ------------------------------------------------------------------------------------------------
def run_cli(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + (captured.err if code else "")


def test_nibi_report_prepare(county, tmp_path, capsys):
    db = str(county.registry.path)
    cache = PhotoCache.for_registry(county.registry.path).root
    before = set(stamped_copies(county.registry.path))
    ids = [r["id"] for r in batch.select(county.registry, plan=county.plan)]
    wanted = print_copies.missing(county.registry, ids)
    code, out = run_cli(capsys, "report", "prepare", "--plan", county.plan, "--db", db, "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["made"], result["failed"], result["placed"]) == (len(wanted), 0, len(wanted) + result["already"])
    assert set(stamped_copies(county.registry.path)) - before == {job.target for job in wanted}

    rest = len(print_copies.missing(county.registry, everything(county)))
    code, out = run_cli(capsys, "report", "prepare", "--all-missing", "--db", db)
    assert code == 0
    assert out.strip() == i18n._(print_copies.SUMMARY).format(made=rest, already=result["placed"], failed=0)
    assert print_copies.missing(county.registry, everything(county)) == []
    code, out = run_cli(capsys, "report", "prepare", "--all-missing", "--db", db, "--json")
    assert json.loads(out)["made"] == 0
    assert main(["report", "prepare", "--db", db]) != 0  # a selection is needed
    assert cache.is_dir()


def test_nibi_bundle_import_makes_the_print_copies(tmp_path, capsys, monkeypatch, cheap_hasher):  # noqa: F811
    monkeypatch.setenv("NIBI_PASSWORD", PASSWORD)
    world, bundle, inspection_id = return_bundle(tmp_path)
    try:
        db = str(world.registry.path)
        code, out = run_cli(capsys, "bundle", "import", str(bundle), "--db", db, "--user", "office", "--json")
        assert code == 0, out
        result = json.loads(out)
        assert result["print_copies"]["made"] >= 2 and result["print_copies"]["failed"] == 0
        assert print_copies.missing(world.registry, [inspection_id]) == []
        assert len(stamped_copies(world.registry.path)) == result["print_copies"]["made"]
    finally:
        world.registry.close()


def test_nibi_bundle_import_without_print_copies(tmp_path, capsys, monkeypatch, cheap_hasher):  # noqa: F811
    monkeypatch.setenv("NIBI_PASSWORD", PASSWORD)
    world, bundle, inspection_id = return_bundle(tmp_path)
    try:
        code, out = run_cli(capsys, "--lang", "en", "bundle", "import", str(bundle), "--db",
                            str(world.registry.path), "--user", "office",
                            "--no-print-copies")
        assert code == 0 and "nibi report prepare --all-missing" in out
        assert print_copies.missing(world.registry, [inspection_id]) and not stamped_copies(world.registry.path)
    finally:
        world.registry.close()


@pytest.mark.skipif(not hasattr(os, "nice"), reason="POSIX process priorities")
def test_background_workers_run_below_normal_priority(county, tmp_path):
    """The app makes copies in the background while someone works: its workers yield the cores to the user."""
    from nibi_desk.reports import prefetch

    cache = cache_in(county, tmp_path / "cache")
    mine = os.nice(0)
    for background, expected in ((False, mine), (True, min(19, mine + prefetch.BACKGROUND_NICE))):
        with prefetch.pool(cache, 1, background) as pool:
            assert pool.submit(os.nice, 0).result(timeout=120) == expected
