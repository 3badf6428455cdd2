"""What a supervisor reads on paper: judged values that survive a black-and-white printer, notices whose codes,
punctuation and reply slip are laid out properly, tag lines inside their labels; and the photo preparation behind
every printed photo (decoded once at print size with DCT scaling, cached, stamped legibly)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from nibi_desk import i18n
from nibi_desk.photos.stamp import StampFields
from nibi_desk.reports import batch, glyphs, kpis, notice, rag, summary, tags
from nibi_desk.reports.furniture import ReportOptions, para, styles, text_width
from nibi_desk.reports.inspection import Printer
from nibi_desk.reports.photos import MIN_STAMP_SHORT, PhotoCache, stamp_key
from tests.reports_fixtures import make_county, picture

POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdfinfo"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed: apt-get install poppler-utils")
OPTIONS = dict(issuing_unit="老河口市新型基础设施建设办公室", doc_prefix="LHK")
FIELDS = StampFields(asset_code="42068200001320003959", asset_name="市人民医院门口-半球29", inspector="张巡检")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    i18n.set_language("zh_CN")
    c = make_county(tmp_path_factory.mktemp("county"))
    yield c
    c.registry.close()


def pages_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    return out.split("\f")


def jpeg(size, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    picture(size).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


# -- black and white ---------------------------------------------------------------------------------------------------
def test_state_marks_are_in_the_bundled_font():
    for mark in rag.MARKS.values():
        glyphs.check(mark)  # raises MissingGlyph otherwise


@needs_poppler
def test_summary_states_read_without_colour(county, tmp_path):
    from nibi_desk.reports import targets

    year = str(ReportOptions().as_of.year)
    targets.set_target(county.office, "420682", year, "coverage", "99.9%", "90%")  # amber: within the margin
    targets.set_target(county.office, "420682", year, "coding_rate", "10%")         # green
    targets.set_target(county.office, "420682", year, "intact_rate", "99.9%", "0")  # red
    pdf = tmp_path / "summary.pdf"
    summary.write_summary(county.registry, year, pdf, ReportOptions(**OPTIONS))
    text = "".join(pages_text(pdf))
    assert "标记：●达标（绿色）；▲预警（黄色）" in re.sub(r"\s+", "", text)  # the legend explains the shapes
    for state in ("● 达标", "▲ 预警", "■ 未达标"):  # the targets table says each state in words, after its shape
        assert state in text, state
    assert re.search(r"[●▲■] \d+\.\d%", text)  # judged values in the tables carry their shape


def test_marked_values_keep_the_baseline_of_plain_ones():
    style = styles().cell_r
    plain, marked = para("94.7%", style), rag.rag_para("94.7%", "amber", style)
    assert plain.wrap(80, 100) == marked.wrap(80, 100)
    line = marked.blPara.lines[0]
    assert line.fontSize == style.fontSize  # the larger ▲ does not push the text below its neighbours'


def test_township_rows_stay_together(county):
    p = Printer(county.registry.read(), county.registry.path, ReportOptions())
    s = kpis.compute(p.conn, county.registry.county, str(p.options.as_of.year), p.options.as_of)
    from nibi_desk.domain.asset_types import load

    table = summary.township_table(p, s, load(p.conn))[0]
    groups = table._nosplitCmds
    towns = [t for t in s.townships if any(s.cells.get((t["code"], ty)) for ty in kpis.TYPES)]
    assert len(groups) >= len(towns) + 1  # one per township with rows, and the county's totals


# -- notices --------------------------------------------------------------------------------------------------------
@needs_poppler
def test_multi_defect_notice_layout(county, tmp_path):
    pdf = tmp_path / "notice.pdf"
    notice.write_notice(county.registry, county.defects, pdf, ReportOptions(**OPTIONS), unit="老河口市公安局")
    pages = pages_text(pdf)
    text = "\n".join(pages)
    conn = county.registry.read()
    for defect in county.defects:
        code = conn.execute("SELECT a.code FROM defects d JOIN assets a ON a.id = d.asset WHERE d.id = ?",
                            (defect,)).fetchone()[0]
        assert code in text  # the 20-digit code is never broken over two lines
    reply = [page for page in pages if "沿此线剪下" in page]
    assert len(reply) == 1 and "整改回复" in reply[0] and "回复单位" in reply[0]  # slip and form on one sheet
    assert "整改前照片" in text
    for line in text.splitlines():
        assert not line.strip().startswith(("，", "。", "、", "；", "：")), line


def test_cjk_punctuation_never_starts_a_line():
    style = styles().body
    text = "一" * 20 + "，" + "二" * 30
    paragraph = para(text, style)
    paragraph.wrap(text_width("一" * 20, style.fontSize) + 0.5, 1000)
    lines = ["".join(words) for _extra, words in paragraph.blPara.lines]  # one plain fragment: (space, words)
    assert len(lines) >= 2 and lines[0].endswith("，")  # the comma hangs at the end of the first line
    assert not any(line.startswith(("，", "。", "、", "；", "：")) for line in lines), lines


# -- tags ------------------------------------------------------------------------------------------------------------
def test_tag_lines_fit_their_label():
    width = tags.LAYOUTS["3x7"].width - tags.LAYOUTS["3x7"].height - 2.2 * 2.835 - 1.2 * 2.835  # text column
    for text, size in [("老河口市新型基础设施建设办公室（新基建巡检中心）", 5.8), ("网格码 N49I704A44E225652151", 6.3),
                       ("42068200001320003959", 9.5)]:
        lines = tags._fitted(text, size, width, 5.4)
        assert all(text_width(t, s) <= width + 0.01 for t, s in lines), lines
        assert "".join(t.rstrip("…") for t, _s in lines).replace(" ", "") in text.replace(" ", "") or \
            lines[-1][0].endswith("…")


# -- photos ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(4000, 3000), (4032, 3024), (3000, 4000)])
def test_draft_decoding_gives_the_same_derivative(tmp_path, size):
    cache = PhotoCache.for_registry(tmp_path / "r.nibi", max_px=1000, cache_dir=tmp_path / "cache")
    data = jpeg(size)
    with Image.open(io.BytesIO(data)) as im:
        im.draft("RGB", cache.draft_request(*im.size))
        assert max(im.size) < max(size) / 3  # decoded at 1/4 scale, not in full
    lines = ["时间 2026-11-21 10:00:00", "坐标 32°22'15.73\"N 111°42'08.20\"E"]
    fast = Image.open(io.BytesIO(cache._shrink(data, lines)))
    slow = Image.open(io.BytesIO(cache._shrink(data, lines, draft=False)))
    assert fast.size == slow.size and max(fast.size) == 1000


def test_small_photos_are_enlarged_before_stamping(tmp_path):
    cache = PhotoCache.for_registry(tmp_path / "r.nibi", cache_dir=tmp_path / "cache")
    out = Image.open(io.BytesIO(cache._shrink(jpeg((320, 240)), ["a", "b", "c", "d", "e"])))
    assert min(out.size) == MIN_STAMP_SHORT  # a 5-line band then covers a sixth of the photo, not 40 %
    plain = Image.open(io.BytesIO(cache._shrink(jpeg((320, 240)), None)))
    assert plain.size == (320, 240)  # without a band nothing is enlarged


def test_stamp_cache_key_covers_what_changes_the_picture():
    keys = {stamp_key(FIELDS)}
    i18n.set_language("en")
    try:
        keys.add(stamp_key(FIELDS))
    finally:
        i18n.set_language("zh_CN")
    keys.add(stamp_key(StampFields(FIELDS.asset_code, FIELDS.asset_name, "李娜")))
    assert len(keys) == 3


def test_second_report_uses_the_cache_without_decoding(county, tmp_path, monkeypatch):
    options = ReportOptions(**OPTIONS, cache_dir=tmp_path / "cache")
    rows = batch.select(county.registry, plan=county.plan)
    first = batch.write_batch(county.registry, tmp_path / "one.pdf", rows, options)
    made = sorted(p.name for p in (tmp_path / "cache").rglob("*.jpg"))
    assert made

    def no_decoding(*args, **kwargs):
        raise AssertionError("a photo was decoded again")

    monkeypatch.setattr(PhotoCache, "_shrink", no_decoding)
    again = batch.write_batch(county.registry, tmp_path / "two.pdf", rows, options)
    assert again.pages == first.pages
    assert sorted(p.name for p in (tmp_path / "cache").rglob("*.jpg")) == made


def test_printed_photos_are_print_sized(county, tmp_path):
    from tests.reports_fixtures import store_photo

    values = store_photo(county.registry, tmp_path, 111.67, 32.39, datetime.now(), size=(4000, 3000))
    cache = PhotoCache.for_registry(county.registry.path, cache_dir=tmp_path / "cache")
    prepared = cache.evidence({"sha256": values["sha256"], "stamped": None}, FIELDS)
    assert (prepared.width, prepared.height) == (1000, 750) and prepared.cached
    assert cache.evidence({"sha256": values["sha256"], "stamped": None}, FIELDS).path == prepared.path
