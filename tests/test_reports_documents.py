"""Every document type read back with poppler: embedded CJK subset font with a Unicode map, the expected Chinese
text, page counts, metadata, QR codes that decode (zbarimg) to the asset code, photos embedded unchanged, and a
character the font lacks raising a clear error."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nibi_desk.errors import PermissionDenied, ValidationError
from nibi_desk.inspection import inspections as inspection_rows
from nibi_desk.reports import batch, glyphs, kpis, notice, summary, tags, targets
from nibi_desk.reports.furniture import ReportCancelled, ReportOptions
from nibi_desk.reports.inspection import Printer, write_inspection_report
from nibi_desk.reports.photos import PhotoCache
from tests.reports_fixtures import make_county

POPPLER = all(shutil.which(t) for t in ("pdffonts", "pdftotext", "pdfinfo", "pdftoppm"))
pytestmark = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdffonts, pdftotext, pdfinfo, pdftoppm) "
                                                    "not installed: apt-get install poppler-utils")
OPTIONS = dict(issuing_unit="老河口市新型基础设施建设办公室", header="老河口市新基建巡检", doc_prefix="LHK")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    from nibi_desk import i18n

    i18n.set_language("zh_CN")
    c = make_county(tmp_path_factory.mktemp("county"))
    yield c
    c.registry.close()


@pytest.fixture
def options(tmp_path):
    return ReportOptions(**OPTIONS)


def run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def text_of(pdf: Path) -> str:
    return run("pdftotext", str(pdf), "-")


def pages_of(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))


def check_fonts(pdf: Path) -> None:
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "no fonts"
    for row in rows:
        cols = row.split()
        assert "WenQuanYiMicroHei" in cols[0] and re.match(r"[A-Z]{6}\+", cols[0]), row  # a subset of the CJK font
        assert cols[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, Unicode map


def qr_codes(pdf: Path, tmp: Path, page: int = 1) -> list[str]:
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (zbar-tools) not installed: apt-get install zbar-tools")
    prefix = tmp / f"page{page}"
    run("pdftoppm", "-r", "200", "-f", str(page), "-l", str(page), "-png", str(pdf), str(prefix))
    image = next(tmp.glob(f"page{page}*.png"))
    result = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
                            capture_output=True, text=True, timeout=60)
    return result.stdout.split()


def asset_of(county, inspection_id: str) -> dict:
    conn = county.registry.read()
    return dict(conn.execute("SELECT a.* FROM inspections i JOIN assets a ON a.id = i.asset WHERE i.id = ?",
                             (inspection_id,)).fetchone())


def test_inspection_report(county, options, tmp_path):
    pdf = tmp_path / "inspection.pdf"
    pages = write_inspection_report(county.registry, county.camera_inspection, pdf, options)
    assert pages == pages_of(pdf) >= 2
    check_fonts(pdf)
    text = text_of(pdf)
    asset = asset_of(county, county.camera_inspection)
    for expected in (asset["name"], "光化街道", "平台在线状态", "图像质量", "视频监控巡检报告", "第 1 页",
                     f"共 {pages} 页", "张巡检", "整改期限", "不合格", "一、设施信息", asset["grid_code"]):
        assert expected in text, expected
    info = run("pdfinfo", str(pdf))
    assert "视频监控巡检报告" in info and "老河口市新型基础设施建设办公室" in info  # Title, Author
    assert re.search(r"Subject:\s+巡检报告", info) and re.search(r"CreationDate:\s+\S", info)
    assert asset["code"] in qr_codes(pdf, tmp_path)


def test_photos_are_embedded_without_re_encoding(county, options, tmp_path):
    pdf = tmp_path / "inspection.pdf"
    write_inspection_report(county.registry, county.station_inspection, pdf, options)
    from nibi_desk.inspection import evidence
    from nibi_desk.photos.stamp import StampFields

    p = Printer(county.registry.read(), county.registry.path, options)
    row = inspection_rows.get(p.conn, county.station_inspection)
    asset = asset_of(county, county.station_inspection)
    fields = StampFields(asset_code=asset["code"], asset_name=asset["name"], inspector=row["inspector_name"])
    prepared = [p.photos.evidence(e, fields) for e in evidence.of_inspection(p.conn, row["id"])]
    assert prepared and all(x.cached for x in prepared)  # stamped once at print size, kept in the cache
    data = pdf.read_bytes()
    assert all(x.path.read_bytes() in data for x in prepared)  # the JPEG bytes are in the PDF as they are
    assert b"/DCTDecode" in data


def test_large_photos_are_downscaled_once(county, tmp_path):
    from tests.reports_fixtures import store_photo
    from datetime import datetime

    values = store_photo(county.registry, tmp_path, 111.67, 32.39, datetime.now(), size=(3000, 2000))
    cache = PhotoCache.for_registry(county.registry.path, max_px=1200, cache_dir=tmp_path / "cache")
    first = cache.downscaled(values["sha256"])
    assert first.cached and max(first.width, first.height) == 1200
    stamp = first.path.stat().st_mtime_ns
    again = cache.downscaled(values["sha256"])
    assert again.path == first.path and again.path.stat().st_mtime_ns == stamp  # reused, not made again


def test_batch_one_pdf_with_bookmarks_and_separate_files(county, options, tmp_path):
    rows = batch.select(county.registry, plan=county.plan)
    assert len(rows) >= 4
    seen = []
    pdf = tmp_path / "batch.pdf"
    result = batch.write_batch(county.registry, pdf, rows, options, progress=lambda *a: seen.append(a))
    assert result.pages == pages_of(pdf)
    check_fonts(pdf)
    assert seen[-1][:2] == (len(rows), len(rows))
    text = text_of(pdf)
    assert text.count("第 1 页") == len(rows)  # each report numbers its own pages
    assert pdf.read_bytes().count(b"/Outlines") >= 1
    folder = tmp_path / "separate"
    separate = batch.write_batch(county.registry, folder, rows, options, separate=True)
    assert len(separate.files) == len(rows) and sum(pages_of(f) for f in separate.files) == result.pages


def test_cancelled_batch_leaves_no_file(county, options, tmp_path):
    rows = batch.select(county.registry, plan=county.plan)
    pdf = tmp_path / "cancelled.pdf"
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ReportCancelled):
        batch.write_batch(county.registry, pdf, rows, options, cancelled=cancelled)
    assert not pdf.exists() and not list(tmp_path.glob(".*.part"))


def test_summary(county, options, tmp_path):
    targets.set_population(county.office, "420682001", 2026, 98000)
    targets.set_target(county.office, "420682", options.as_of.strftime("%Y"), "coverage", "90%")
    pdf = tmp_path / "summary.pdf"
    period = str(options.as_of.year)
    pages = summary.write_summary(county.registry, period, pdf, options)
    assert pages == pages_of(pdf)
    check_fonts(pdf)
    text = text_of(pdf)
    for expected in ("巡检汇总", "光化街道", "孟楼镇", "视频在线率", "完好率", "赋码率", "巡检覆盖率",
                     "每万人 5G 基站数", "目标 90.0%", "无法到达的设施", "道路施工封闭", "第 1 页"):
        assert expected in text, expected
    assert re.search(r"Page size:\s+841.89 x 595.276", run("pdfinfo", str(pdf)))  # A4 landscape


def test_kpis_follow_their_definitions(county, options):
    conn = county.registry.read()
    s = kpis.compute(conn, county.registry.county, str(options.as_of.year), options.as_of)
    town = s.by_township["420682001000"]
    due = conn.execute("SELECT count(DISTINCT asset) FROM tasks WHERE plan = ?", (county.plan,)).fetchone()[0]
    assert town.due == due and 0 < town.inspected < due
    assert town.inspections == len(county.inspections) - 1  # the unreachable one did not reach its asset
    assert town.with_defects == 1 and town.defects_due >= 1
    assert s.value(town, "coverage", "420682001000") == town.inspected / town.due
    assert len(s.unreachable) == 1 and s.total.assets == sum(c.assets for c in s.by_township.values())


def test_targets_lookup_and_roles(county):
    year = "2031"
    targets.set_target(county.office, "420682", year, "intact_rate", "85%")
    targets.set_target(county.office, "420682001", f"{year}-H2", "intact_rate", 0.9, "2%")
    book = targets.TargetBook(county.registry.read(), "420682")
    assert book.target("intact_rate", "420682001000", f"{year}-H2").target == pytest.approx(0.9)
    assert book.target("intact_rate", "420682001000", f"{year}-H1").target == pytest.approx(0.85)
    assert book.target("intact_rate", "420682100000", "2040").target == pytest.approx(0.8)  # the default
    t = book.target("intact_rate", "420682001000", f"{year}-H2")
    assert (t.state(0.95), t.state(0.885), t.state(0.5)) == ("green", "amber", "red")
    assert targets.set_target(county.office, "420682", year, "intact_rate", "86") == \
        targets.set_target(county.office, "420682", year, "intact_rate", "87")  # updates, no duplicate
    with pytest.raises(PermissionDenied):
        targets.set_target(county.inspector, "420682", year, "coverage", "90%")
    with pytest.raises(ValidationError):
        targets.check_period("2026-Q5")
    assert kpis.period_bounds("2026-H2")[0].isoformat() == "2026-07-01"


def test_notice_unit_notice_and_closure(county, options, tmp_path):
    pdf = tmp_path / "notice.pdf"
    pages = notice.write_notice(county.registry, county.defects[0], pdf, options)
    assert pages == pages_of(pdf)
    check_fonts(pdf)
    text = text_of(pdf)
    camera = asset_of(county, county.camera_inspection)
    for expected in ("整改通知单", "老河口市公安局", camera["name"], "整改期限", "整改前照片", "整改回复",
                     "LHK-ZG-2026-001", "第 1 页"):
        assert expected in text, expected
    unit = tmp_path / "unit.pdf"
    notice.write_unit_notice(county.registry, "老河口市公安局", unit, options)
    assert "缺陷（1 项）" in text_of(unit) or camera["name"] in text_of(unit)
    closure = tmp_path / "closure.pdf"
    notice.write_closure(county.registry, county.closed_defect, closure, options)
    check_fonts(closure)
    text = text_of(closure)
    for expected in ("整改闭环记录", "整改前", "整改后", "已更换镜头", "王主任"):
        assert expected in text, expected


def test_tags(county, options, tmp_path):
    pdf = tmp_path / "tags.pdf"
    conn = county.registry.read()
    n = conn.execute("SELECT count(*) FROM assets WHERE deleted = 0 AND division BETWEEN '420682001000' "
                     "AND '420682001999'").fetchone()[0]
    pages = tags.write_tags(county.registry, pdf, township="420682001", options=options)
    assert pages == pages_of(pdf) == math.ceil(n / tags.LAYOUTS["3x7"].per_sheet)
    check_fonts(pdf)
    first = conn.execute("SELECT code, name FROM assets WHERE deleted = 0 AND division BETWEEN '420682001000' AND "
                         "'420682001999' ORDER BY division, type, code, seq LIMIT 1").fetchone()
    assert first["code"] in text_of(pdf)
    decoded = qr_codes(pdf, tmp_path)
    assert first["code"] in decoded and len(decoded) >= 15
    big = tmp_path / "big.pdf"
    assert tags.write_tags(county.registry, big, [first["code"]], layout="2x4", options=options, skip=3) == 1


def test_missing_glyph_raises_a_clear_error(county, options, tmp_path):
    with pytest.raises(glyphs.MissingGlyph) as caught:
        glyphs.check("杆号𪚥号")
    assert "U+2A6A5" in caught.value.message() and "𪚥" in caught.value.message()
    # A note typed with a character the font lacks stops the report with the error, and no file is left.
    conn = county.registry.read()
    row = inspection_rows.get(conn, county.station_inspection)
    unit = "巡检中心𪚥站"
    pdf = tmp_path / "missing.pdf"
    with pytest.raises(glyphs.MissingGlyph) as caught:
        write_inspection_report(county.registry, row["id"], pdf, ReportOptions(issuing_unit=unit))
    assert caught.value.char == "𪚥" and "U+2A6A5" in str(caught.value)
    assert not pdf.exists()


def test_cli_report_and_targets(county, tmp_path, monkeypatch, capsys):
    from nibi_desk.cli.main import main

    db = str(county.registry.path)
    pdf = tmp_path / "cli.pdf"
    assert main(["report", "inspection", county.camera_inspection, "--db", db, "--out", str(pdf),
                 "--issuing-unit", "老河口市新基建办", "--doc-prefix", "LHK"]) == 0
    assert "LHK-XJ-" in text_of(pdf)
    monkeypatch.setenv("NIBI_PASSWORD", "correct horse")
    assert main(["report", "targets", "set", "--db", db, "--user", "office", "--division", "420682001",
                 "--period", "2030", "--kpi", "online_rate", "--target", "97%"]) == 0
    assert main(["report", "targets", "list", "--db", db, "--json"]) == 0
    assert '"online_rate"' in capsys.readouterr().out
    assert main(["report", "tags", "--db", db, "--out", str(tmp_path / "t.pdf"), "--type", "base_station"]) == 0
