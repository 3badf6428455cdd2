"""The period summary (巡检汇总): per township and asset type, each KPI against its target in red/amber/green
(with shapes and words too, for black-and-white printers: :mod:`.rag`), charts, overdue rectifications and
unreachable assets. A4 landscape."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from nibi_desk.domain.asset_types import load as load_types
from nibi_desk.i18n import _
from nibi_desk.inspection.defects import SEVERITY_TITLES
from nibi_desk.reports import kpis, rag
from nibi_desk.reports.document import Section, section_parts, write
from nibi_desk.reports.furniture import (ACCENT, FONT, INK, MUTED, RED, ReportOptions, grid_table, para, rag_colours)
from nibi_desk.reports.inspection import Printer, heading, title_block
from nibi_desk.reports.targets import KPIS, format_value, kpi_title

WIDTH = 261 * mm  # A4 landscape text width


def _rate_cell(summary: kpis.Summary, counts: kpis.Counts, kpi: str, division: str, style):
    value, target, state = summary.judged(counts, kpi, division)
    return rag.rag_para(format_value(kpi, value), state, style), state


def township_table(p: Printer, summary: kpis.Summary, types: dict) -> list:
    s = p.s
    rate_kpis = ["coverage", "defect_rate", "on_time_rate", "intact_rate", "coding_rate"]
    header = [_("Township"), _("Asset type"), _("Assets"), _("Due"), _("Inspected")] + [kpi_title(k) for k in
                                                                                          rate_kpis]
    rows = [[para(h, s.cell_h) for h in header]]
    extra = []

    def add(name: str, type_title: str, counts: kpis.Counts, division: str, bold: bool = False) -> None:
        row = [para(name, s.cell), para(type_title, s.cell), para(str(counts.assets), s.cell_r),
               para(str(counts.due), s.cell_r), para(str(counts.inspected), s.cell_r)]
        r = len(rows)
        for i, kpi in enumerate(rate_kpis):
            cell, state = _rate_cell(summary, counts, kpi, division, s.cell_r)
            row.append(cell)
            fg, bg = rag_colours(state)
            if bg is not None:
                extra.append(("BACKGROUND", (5 + i, r), (5 + i, r), bg))
        if bold:
            extra.append(("LINEABOVE", (0, r), (-1, r), 0.9, ACCENT))
        rows.append(row)

    for town in summary.townships:
        code = town["code"]
        first = len(rows)
        for type_ in kpis.TYPES:
            counts = summary.cells.get((code, type_))
            if counts is None or not (counts.assets or counts.due):
                continue
            add(town["name"] if len(rows) == first else "", types[type_].title() if type_ in types else type_,
                counts, code)
        if len(rows) - first > 1:
            add("", _("All types"), summary.by_township[code], code)
            extra.append(("BACKGROUND", (1, len(rows) - 1), (4, len(rows) - 1), colors.HexColor("#F3F5F8")))
        if len(rows) > first:  # a township's rows stay on one page, under its name
            extra.append(("NOSPLIT", (0, first), (-1, len(rows) - 1)))
    first = len(rows)
    totals = {t: kpis.Counts() for t in kpis.TYPES}
    for (code, type_), counts in summary.cells.items():
        totals[type_].add(counts)
    first_total = True
    for type_ in kpis.TYPES:
        if totals[type_].assets or totals[type_].due:
            add(summary.county_name if first_total else "", types[type_].title() if type_ in types else type_,
                totals[type_], summary.county_code, bold=first_total)
            first_total = False
    add("" if not first_total else summary.county_name, _("All types"), summary.total, summary.county_code)
    extra.append(("NOSPLIT", (0, first), (-1, len(rows) - 1)))
    widths = [28 * mm, 24 * mm, 17 * mm, 17 * mm, 17 * mm] + [31.6 * mm] * 5
    return [grid_table(rows, widths, extra=extra)]


def density_table(p: Printer, summary: kpis.Summary) -> list:
    s = p.s
    header = [_("Township"), _("Cameras in service"), _("Online at last check"), kpi_title("online_rate"),
              _("5G sites in service"), _("Population"), kpi_title("sites_per_10k")]
    rows = [[para(h, s.cell_h) for h in header]]
    extra = []
    entries = [(t["code"], t["name"], summary.by_township[t["code"]]) for t in summary.townships]
    entries.append((summary.county_code, summary.county_name, summary.total))
    for code, name, counts in entries:
        r = len(rows)
        people, year = summary.population.get(code, (None, None))
        online, _t, online_state = summary.judged(counts, "online_rate", code)
        density, _t2, density_state = summary.judged(counts, "sites_per_10k", code)
        population = f"{people:,}" + (f"（{year}）" if year and year != summary.start.year else "") if people \
            else _("not entered")
        rows.append([para(name, s.cell), para(str(counts.cameras), s.cell_r), para(str(counts.online), s.cell_r),
                     rag.rag_para(format_value("online_rate", online), online_state, s.cell_r),
                     para(str(counts.stations), s.cell_r), para(population, s.cell_r),
                     rag.rag_para(format_value("sites_per_10k", density), density_state, s.cell_r)])
        for col, state in ((3, online_state), (6, density_state)):
            bg = rag_colours(state)[1]
            if bg is not None:
                extra.append(("BACKGROUND", (col, r), (col, r), bg))
        if code == summary.county_code:
            extra.append(("LINEABOVE", (0, r), (-1, r), 0.9, ACCENT))
    widths = [40 * mm, 34 * mm, 34 * mm, 36 * mm, 34 * mm, 42 * mm, 41 * mm]
    return [grid_table(rows, widths, extra=extra)]


def targets_table(p: Printer, summary: kpis.Summary) -> list:
    s = p.s
    rows = [[para(h, s.cell_h) for h in (_("Indicator"), _("Target (county)"), _("Amber within"), _("Set by"),
                                          _("County value"), _("State"))]]
    extra = []
    for key, info in KPIS.items():
        value, target, state = summary.judged(summary.total, key, summary.county_code)
        if target is None:
            goal, margin, source = _("no target"), "—", "—"
        else:
            sign = "≥" if info.higher_is_better else "≤"
            goal = f"{sign} {format_value(key, target.target)}"
            margin = format_value(key, target.amber_margin)
            names = {t["code"]: t["name"] for t in summary.townships}
            names[summary.county_code] = summary.county_name
            source = _("built-in default") if target.division is None else \
                f"{names.get(target.division, target.division)} {target.period}"
        r = len(rows)
        rows.append([para(kpi_title(key), s.cell), para(goal, s.cell_c), para(margin, s.cell_c),
                     para(source, s.cell_c), para(format_value(key, value), s.cell_c),
                     rag.title_para(state, s.cell_c)])
        bg = rag_colours(state)[1]
        if bg is not None:
            extra.append(("BACKGROUND", (5, r), (5, r), bg))
    return [grid_table(rows, [62 * mm, 38 * mm, 34 * mm, 49 * mm, 38 * mm, 40 * mm], extra=extra)]


def bar_chart(summary: kpis.Summary, kpi: str, width: float, height: float) -> Drawing:
    """Bars per township (value of ``kpi``), a dashed line at the county target, bars coloured by state."""
    names, values, raws, states = [], [], [], []
    for town in summary.townships:
        value, _target, state = summary.judged(summary.by_township[town["code"]], kpi, town["code"])
        names.append(town["name"])
        values.append((value or 0) * (100 if KPIS[kpi].rate else 1))
        raws.append(value)
        states.append(state)
    drawing = Drawing(width, height, initialFontName=FONT)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 34, 46, width - 44, height - 86
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = names or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 35
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max(values + [1]) * 1.1
    target = summary.book.target(kpi, summary.county_code, summary.period)
    goal = target.target * (100 if KPIS[kpi].rate else 1) if target else None
    if KPIS[kpi].rate:
        chart.valueAxis.valueMax = 100
        chart.valueAxis.valueStep = 20
    else:
        chart.valueAxis.valueMax = max(top, (goal or 0) * 1.2, 1)
    chart.bars[0].fillColor = colors.HexColor("#93A8D0")
    chart.bars[0].strokeColor = None
    for i, state in enumerate(states):
        fg, _bg = rag_colours(state)
        if state:
            chart.bars[(0, i)].fillColor = fg
    # Each bar's value above it, after its state's shape: the colours alone are lost in black and white, and a
    # value near zero would otherwise show no bar at all.
    chart.barLabelFormat = lambda v: ""
    drawing.add(chart)
    step = chart.width / max(1, len(values))
    vmax = chart.valueAxis.valueMax
    for i, (value, raw, state) in enumerate(zip(values, raws, states)):
        if raw is None:
            continue
        x, y = chart.x + step * (i + 0.5), chart.y + chart.height * min(value, vmax) / vmax + 2
        drawing.add(String(x, y, format_value(kpi, raw).rstrip("%"), fontName=FONT, fontSize=5.8, fillColor=INK,
                           textAnchor="middle"))
        if state:
            drawing.add(String(x, y + 7, rag.mark(state), fontName=FONT, fontSize=6.6 * rag.SCALE[state],
                               textAnchor="middle",
                               fillColor=rag_colours(state)[0]))
    if goal is not None:
        y = chart.y + chart.height * goal / chart.valueAxis.valueMax
        drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=RED, strokeDashArray=[3, 2],
                         strokeWidth=0.8))
        # The target's legend sits above the plot (a label on the line would collide with full bars).
        top_y = height - 12
        label = _("target {value}").format(value=format_value(kpi, target.target))
        drawing.add(Line(chart.x + chart.width - 60, top_y + 3, chart.x + chart.width - 46, top_y + 3,
                         strokeColor=RED, strokeDashArray=[3, 2], strokeWidth=0.8))
        drawing.add(String(chart.x + chart.width - 43, top_y, label, fontName=FONT, fontSize=7, fillColor=RED))
    drawing.add(String(chart.x, height - 12, kpi_title(kpi) + (" (%)" if KPIS[kpi].rate else ""), fontName=FONT,
                       fontSize=9, fillColor=ACCENT))
    return drawing


def charts(p: Printer, summary: kpis.Summary) -> list:
    from reportlab.platypus import Table, TableStyle

    w, h = WIDTH / 2 - 4 * mm, 70 * mm
    row = [bar_chart(summary, "coverage", w, h), bar_chart(summary, "intact_rate", w, h)]
    row2 = [bar_chart(summary, "online_rate", w, h), bar_chart(summary, "coding_rate", w, h)]
    table = Table([row, row2], colWidths=[WIDTH / 2] * 2)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table]


def overdue_table(p: Printer, summary: kpis.Summary, types: dict) -> list:
    s = p.s
    if not summary.overdue:
        return [para(_("No rectification is overdue."), s.body)]
    rows = [[para(h, s.cell_h) for h in (_("No."), _("Asset code"), _("Asset"), _("Defect"), _("Severity"),
                                          _("Deadline"), _("Days overdue"), _("Responsible unit"), _("Notice no."))]]
    for n, d in enumerate(summary.overdue, 1):
        rows.append([para(str(n), s.cell_c), para(d["code"] or "—", s.cell), para(d["name"], s.cell),
                     para(d["description"], s.cell), para(_(SEVERITY_TITLES[d["severity"]]), s.cell_c),
                     para(d["deadline"], s.cell_c), para(str(d["days"]), s.cell_r),
                     para(d["responsible_unit"] or "—", s.cell), para(d["notice_no"] or "—", s.cell)])
    widths = [10 * mm, 38 * mm, 40 * mm, 57 * mm, 14 * mm, 22 * mm, 18 * mm, 34 * mm, 28 * mm]
    return [grid_table(rows, widths, zebra=True)]


def unreachable_table(p: Printer, summary: kpis.Summary, types: dict) -> list:
    s = p.s
    if not summary.unreachable:
        return [para(_("Every inspected asset was reached."), s.body)]
    rows = [[para(h, s.cell_h) for h in (_("No."), _("Asset code"), _("Asset"), _("Asset type"), _("Date"),
                                          _("Inspector"), _("Reason"))]]
    for n, d in enumerate(summary.unreachable, 1):
        rows.append([para(str(n), s.cell_c), para(d["code"] or "—", s.cell), para(d["name"], s.cell),
                     para(types[d["type"]].title() if d["type"] in types else d["type"], s.cell),
                     para((d["submitted_at"] or "")[:10], s.cell_c), para(d["inspector_name"], s.cell),
                     para(d["unreachable_reason"] or "—", s.cell)])
    return [grid_table(rows, [10 * mm, 40 * mm, 50 * mm, 26 * mm, 24 * mm, 26 * mm, 85 * mm], zebra=True)]


def summary_flowables(p: Printer, summary: kpis.Summary, section: Section) -> list:
    s = p.s
    types = load_types(p.conn)
    section.doc_number = p.options.doc_number("HZ", summary.period.replace("-", ""))
    title = _("{county} infrastructure inspection summary {period}").format(county=summary.county_name,
                                                                             period=summary.period)
    subtitle = _("Period {start} to {end}, as of {as_of}").format(start=summary.start, end=summary.end,
                                                                  as_of=min(summary.end, summary.as_of))
    out = title_block(p, title, section.doc_number, subtitle)
    out.append(rag.legend_para(_("Marks: {met} (green); {close} (amber): missed, but within the amber margin; "
                                 "{missed} (red). Targets come from the office's target table, else the built-in "
                                 "defaults."), s.small))
    out += [heading(p, _("1. Inspections by township and asset type")), *township_table(p, summary, types)]
    out += [CondPageBreak(60 * mm), heading(p, _("2. Camera online rate and 5G site density")),
            *density_table(p, summary)]
    out += [CondPageBreak(70 * mm), heading(p, _("3. Targets")), *targets_table(p, summary)]
    out += [CondPageBreak(150 * mm), heading(p, _("4. Charts")), *charts(p, summary)]
    out += [CondPageBreak(40 * mm), heading(p, _("5. Overdue rectifications ({n})").format(n=len(summary.overdue))),
            *overdue_table(p, summary, types)]
    out += [CondPageBreak(40 * mm), heading(p, _("6. Unreachable assets ({n})").format(n=len(summary.unreachable))),
            *unreachable_table(p, summary, types), Spacer(1, 6 * mm),
            para(_("Compiled by: ______________    Reviewed by: ______________    Date: ______________"), s.body)]
    return out


def write_summary(registry, period: str, out, options: ReportOptions | None = None,
                  township: str | None = None) -> int:
    """Write the period summary of the registry's county (or one township) to ``out``; returns the page count."""
    options = options or ReportOptions()
    p = Printer(registry.read(), registry.path, options)
    summary = kpis.compute(p.conn, registry.county, period, options.as_of, township)
    title = _("{county} infrastructure inspection summary {period}").format(county=summary.county_name,
                                                                             period=summary.period)
    section = Section(title=title)
    return write(out, options, title, section_parts([(section, lambda: summary_flowables(p, summary, section))]),
                 subject=_("Period summary"), keywords=period, orientation="landscape")


__all__ = ["write_summary", "summary_flowables", "bar_chart", "MUTED", "date"]
