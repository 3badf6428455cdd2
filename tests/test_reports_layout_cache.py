"""What the layout caches of the reports share must not change a byte of the PDF: cached paragraphs (split across
pages too), the memoized number formatting, the measured and glyph-checked font, and the QR codes kept between
runs."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus import paragraph as rl_paragraph

from nibi_desk.reports import glyphs, paracache, qr
from nibi_desk.reports.furniture import FONT, grid_table, para, register_fonts, styles

LONG = ("杆体倾斜，基础松动，需尽快加固；" * 14) + "附近有施工，请注意安全。"
CAPTION = "立杆外观\n2026-11-20 09:30:00  32.385000, 111.671000\nSHA-256 0123456789ab…"


def story(make) -> list:
    """Repeated and unique texts, plain and markup, in table cells (wrapped twice) and in the body, and a long
    paragraph that must split across pages — twice, so that the second copy is split from cached lines."""
    s = styles()
    out = []
    for n in range(3):
        rows = [[make("序号", s.cell_h), make("项目", s.cell_h), make("判定", s.cell_h)]]
        for i in range(12):
            rows.append([make(str(i + 1), s.cell_c), make(f"检查项 {i % 4}：外观是否完好", s.cell),
                         make('<font color="#16A34A">合格</font>', s.cell_c, True)])
        rows.append([make(CAPTION, s.caption), make(LONG[: 40 + n], s.cell), make("—", s.cell_c)])
        rows.append([make("合格", s.cell_c), make("合格", s.cell_c), make("合格", s.cell_c)])  # one text, 3 widths
        rows.append(["", make(LONG, s.body), ""])  # as in the body, narrower
        out += [make(f"{n + 1}. 巡检记录", s.h2), grid_table(rows, [20 * mm, 100 * mm, 30 * mm])]
        out += [make(LONG, s.body), Spacer(1, (100 + 37 * n) * mm), make(LONG, s.body)]
    return out


def pdf_bytes(make) -> tuple[bytes, int]:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, invariant=1, initialFontName=register_fonts())
    doc.build(story(make))
    return out.getvalue(), doc.page


def plain(text, style, markup=False):
    return Paragraph(text if markup else escape(text).replace("\n", "<br/>"), style)


def cached(text, style, markup=False):
    return para(text, style, markup=markup)


def test_cached_paragraphs_print_what_reportlab_prints():
    paracache.clear()
    reference, pages = pdf_bytes(plain)
    assert pages >= 4  # long paragraphs split across pages
    assert pdf_bytes(cached) == (reference, pages)  # every entry made
    assert pdf_bytes(cached) == (reference, pages)  # every entry reused


def test_a_text_is_parsed_and_broken_once_per_style_and_width(monkeypatch):
    paracache.clear()
    counts = {"parse": 0, "break": 0}
    parse, breaks = rl_paragraph.ParaParser.parse, Paragraph.breakLinesCJK

    def counting_parse(self, *a, **kw):
        counts["parse"] += 1
        return parse(self, *a, **kw)

    def counting_break(self, *a, **kw):
        counts["break"] += 1
        return breaks(self, *a, **kw)

    monkeypatch.setattr(rl_paragraph.ParaParser, "parse", counting_parse)
    monkeypatch.setattr(Paragraph, "breakLinesCJK", counting_break)
    s = styles()
    table = Table([[para("资产类型", s.label), para("杆号", s.label)] for _ in range(50)], colWidths=[30 * mm] * 2)
    SimpleDocTemplate(io.BytesIO(), invariant=1, initialFontName=register_fonts()).build([table])
    assert counts == {"parse": 2, "break": 2}  # 100 cells, each sized and then drawn: 200 wraps without the cache
    assert para("资产类型", s.cell).style is s.cell  # another style is another paragraph


def test_the_caches_keep_the_texts_in_use_and_stay_bounded(monkeypatch):
    paracache.clear()
    monkeypatch.setattr(paracache, "MAX_ENTRIES", 8)
    s = styles()
    para("资产类型", s.label)
    first = paracache._parsed[("资产类型", s.label)]
    for i in range(50):
        para("资产类型", s.label).wrap(50 * mm, 100)  # on every page
        para(f"SHA-256 {i:012d}…", s.caption).wrap(50 * mm, 100)  # printed once
    assert len(paracache._parsed) <= 8 and len(paracache._broken) <= 8
    assert paracache._parsed[("资产类型", s.label)] is first  # never forgotten, never parsed again
    paracache.clear()


def test_a_split_never_edits_the_shared_lines():
    paracache.clear()
    s = styles()
    marked = escape(LONG[:60]) + '<font color="#DC2626">' + escape(LONG[60:120]) + "</font>" + escape(LONG[120:])
    first = para(marked, s.body, markup=True)  # several fragments: reportlab's split edits their words
    first.wrap(100 * mm, 1000)
    shared = first.blPara
    lines_before = [repr(line) for line in shared.lines]
    parts = first.split(100 * mm, 30)
    assert len(parts) == 2 and first.blPara is not shared  # split from a copy of its own
    assert [repr(line) for line in shared.lines] == lines_before
    again = para(marked, s.body, markup=True)
    assert again.wrap(100 * mm, 1000) == (100 * mm, len(shared.lines) * s.body.leading)
    assert again.blPara is shared


def test_a_text_without_glyphs_is_refused_every_time():
    s = styles()
    for _ in range(2):
        with pytest.raises(glyphs.MissingGlyph):
            para("杆号𪚥号", s.body)


def test_measured_widths_are_the_fonts():
    register_fonts()
    font = pdfmetrics.getFont(FONT)
    for text in ("第 1 页", "杆号", "ABC 123", ""):
        for size in (7, 8.5, 9.5):
            expected = TTFont.stringWidth(font, text, size)
            assert expected > 0 or not text
            assert font.stringWidth(text, size) == expected
            assert font.stringWidth(text, size) == expected  # from the memo


def test_memoized_numbers_are_formatted_as_reportlab_formats_them():
    from reportlab.lib import rl_accel
    from reportlab.pdfgen import canvas

    import nibi_desk.reports.streaming  # noqa: F401  (installs the memo)

    values = [0, 1, -1, 0.5, 1e-8, -1e-8, 1 / 3, 123456.789, -0.0, 2.000001, 595.2755905511812, True, 10 ** 7]
    original = rl_accel._py_funcs.get("fp_str")
    if original is None:
        pytest.skip("reportlab's C accelerator is installed: nothing is memoized")
    assert getattr(canvas.fp_str, "memoized", False) and canvas.fp_str is rl_accel.fp_str
    for _ in range(2):
        for v in values:
            assert rl_accel.fp_str(v) == original(v)
        assert rl_accel.fp_str(*values) == original(*values)
        assert rl_accel.fp_str(list(values)) == original(list(values))  # a list: not a key


def test_qr_codes_are_kept_between_runs(tmp_path, monkeypatch):
    folder = tmp_path / "qr"
    rows = qr.stored_matrix("LHK-ZHG-00001", folder)
    assert rows == qr.matrix("LHK-ZHG-00001")
    (stored,) = folder.glob("*.png")

    def no_encoding(*a, **kw):
        raise AssertionError("encoded again")

    monkeypatch.setattr(qr, "matrix", no_encoding)
    assert qr.stored_matrix("LHK-ZHG-00001", folder) == rows  # read back, not encoded
    monkeypatch.undo()
    stored.write_bytes(b"not a png")
    assert qr.stored_matrix("LHK-ZHG-00001", folder) == rows  # made again
    other = qr.stored_matrix("nibi:asset:0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", folder)
    stored.write_bytes(next(p for p in folder.glob("*.png") if p != stored).read_bytes())  # another text's code
    assert qr.stored_matrix("LHK-ZHG-00001", folder) == rows != other
