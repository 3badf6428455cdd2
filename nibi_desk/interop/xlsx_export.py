"""The XLSX export: a summary sheet, then one formatted sheet per asset type with Chinese headers (openpyxl)."""

from __future__ import annotations

from pathlib import Path

from nibi_desk.i18n import _
from nibi_desk.interop.export import COMMON, Exported, Source, stamp
from nibi_desk.interop.progress import Steps

HEADER_FILL = "1F4E78"
WIDTHS = {"id": 38, "type": 12, "code": 24, "name": 30, "township": 12, "division": 15, "address": 34, "lon": 12,
          "lat": 12, "alt": 8, "grid_code": 24, "status": 8, "owner": 18, "operator": 10, "notes": 24}
NUMBER_FORMATS = {"lon": "0.000000", "lat": "0.000000", "alt": "0.0"}


def write(source: Source, tmp: Path, result: Exported) -> Steps:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    # Write-only mode streams rows to disk: 100k assets never sit in memory as cell objects.
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("汇总")
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=HEADER_FILL)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def header_cells(ws, titles):
        cells = []
        for title in titles:
            cell = WriteOnlyCell(ws, value=title)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, centre
            cells.append(cell)
        return cells

    for type_code in source.type_codes():
        asset_type = source.types[type_code]
        attrs = source.attribute_columns([type_code])
        keys = [k for k, _t in attrs]
        titles = [title for _k, title in COMMON] + [title for _k, title in attrs]
        ws = wb.create_sheet(asset_type.name_zh[:31])
        ws.freeze_panes = "D2"  # the header and the type, code and name stay in view
        for i, (key, _title) in enumerate(COMMON + attrs):
            ws.column_dimensions[get_column_letter(i + 1)].width = WIDTHS.get(key, 14)
        ws.append(header_cells(ws, titles))
        n = 0
        for row in source.rows(type_code):
            n += 1
            result.count += 1
            cells = []
            for (key, _t), value in zip(COMMON + attrs, source.ledger_row(row, keys)):
                if key in NUMBER_FORMATS and value is not None:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = NUMBER_FORMATS[key]
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
            if result.count % 2000 == 0:
                yield result.count, source.total, _("Writing XLSX")
        result.by_type[type_code] = n
        ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{n + 1}"

    _summary(source, summary, header_cells, result)
    yield result.count, source.total, _("Saving XLSX")
    wb.save(tmp)
    yield result.count, source.total, _("Done")


def _summary(source: Source, ws, header_cells, result: Exported) -> None:
    """Counts per type and status, and per township and type, with the filters used."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws.column_dimensions["A"].width = 22
    title = WriteOnlyCell(ws, value=f"{source.county_name} 新基建设施台账导出")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    filters = source.selection.filters
    ws.append(["导出时间", stamp()])
    ws.append(["筛选", "；".join(filter(None, [
        "类型：" + "、".join(source.type_label(t) for t in filters.types) if filters.types else "",
        "乡镇/街道：" + (source.townships.get(filters.township[:9] + "000", filters.township))
        if filters.township else "",
        "当前视图：{:.5f},{:.5f},{:.5f},{:.5f}".format(*source.selection.bbox) if source.selection.bbox else "",
    ])) or "全部"])
    ws.append([])
    statuses = ["planned", "under_construction", "in_service", "faulty", "decommissioned"]
    ws.append(header_cells(ws, ["类型"] + [source.status_label(s) for s in statuses] + ["合计"]))
    by_status: dict[str, dict[str, int]] = {}
    by_township: dict[str, dict[str, int]] = {}
    where, params = source.selection.where()
    conn = source.registry.read()
    for type_code, status, n in conn.execute(
            f"SELECT a.type, a.status, count(*) FROM assets a WHERE {where} GROUP BY a.type, a.status", params):
        by_status.setdefault(type_code, {})[status] = n
    for township, type_code, n in conn.execute(
            f"SELECT substr(a.division, 1, 9) || '000', a.type, count(*) FROM assets a WHERE {where} "
            "GROUP BY 1, a.type", params):
        by_township.setdefault(township or "", {})[type_code] = n
    types = source.type_codes()
    for type_code in types:
        counts = by_status.get(type_code, {})
        ws.append([source.type_label(type_code)] + [counts.get(s, 0) for s in statuses] + [sum(counts.values())])
    ws.append(["合计"] + [sum(by_status.get(t, {}).get(s, 0) for t in types) for s in statuses] + [result.count])
    ws.append([])
    ws.append(header_cells(ws, ["乡镇/街道"] + [source.type_label(t) for t in types] + ["合计"]))
    for township in sorted(by_township, key=lambda c: (c == "", c)):
        counts = by_township[township]
        name = source.townships.get(township, "（未填写乡镇）" if not township else township)
        ws.append([name] + [counts.get(t, 0) for t in types] + [sum(counts.values())])
