"""Messy county ledgers for the interop tests, written with openpyxl, csv (UTF-8 with BOM, GB18030) and xlwt."""

from __future__ import annotations

import csv
from pathlib import Path

from nibi_desk.domain import coords

COUNTY = "420682"
ID = "420682000013200000{:02d}"  # GB/T 28181 camera IDs of 老河口 (IP camera, serial nn)
TITLE = "老河口市公共视频监控点位台账（2024年）"
# Two header rows: 坐标 is merged over 经度 / 纬度; the other headers are merged down over both rows.
HEADER_TOP = ["序号", "点位名称", "设备编码", "坐标", None, "安装地址", "乡镇/街道", "类别", "机型", "状态"]
HEADER = [None, None, None, "经度", "纬度", None, None, None, None, None]
GCJ_POINT = (111.6712, 32.3856)  # the WGS-84 point whose GCJ-02 coordinates row 12 gives

# (sheet row number, cells, expected outcome, expected reason fragment)
ROWS = [
    (4, [1, "光化大道与胜利路口枪机", ID.format(1), "111°40′30.5″", "32°23′10″", "光化大道1号", "光化街道", "一类", "枪机",
         "在用"], "new", None),
    (5, [2, "  胜利路口半球　", "４２０６８２００００１３２００００００２", "１１１．６７１２", "３２．３８５６", "胜利路８号 ", "孟楼",
         "B类", "半球", "故障"], "new", None),
    (6, [3, "人民路口球机", 4.20682000013200E+19, 111.672, 32.386, None, "光化街道", "A", "球机", None], "error",
     "Excel turned the 20-digit ID into a number and lost digits"),
    (7, [4, "坐标填反的点位", ID.format(4), 32.3801, 111.6803, None, "酂阳街道", "一类", "枪机", "在用"], "new", None),
    (8, [None, None, None, None, None, None, None, None, None, None], "blank", None),
    (9, [5, "度分秒点位", ID.format(5), "111度40分30.5秒", "32度23分10秒", None, "420682100", "二类", "枪机", "规划"],
     "new", None),
    (10, [6, "不存在的镇", ID.format(6), 111.67, 32.38, None, "火星镇", "一类", "枪机", None], "error",
     "Unknown township or village 火星镇"),
    (11, [7, "重复编码", ID.format(1), 111.68, 32.39, None, "光化街道", "一类", "枪机", None], "error",
     "appears again in this file (first in row 4)"),
    (12, [8, "高德坐标点位", ID.format(8), *map(str, coords.wgs84_to_gcj02(*GCJ_POINT)), None, "光化街道", "一类",
          "球机", None], "new", None),
    (13, [9, None, ID.format(9), 111.67, 32.38, None, "光化街道", "一类", "枪机", None], "error", "Name is required"),
    (14, [10, "县外点位", ID.format(10), 116.3, 39.9, None, "光化街道", "一类", "枪机", None], "error",
     "outside the county"),
    (15, [11, "类别缺失", ID.format(11), 111.67, 32.38, None, "光化街道", None, "枪机", None], "error",
     "Class is required"),
]


def expected() -> dict[int, tuple[str, str | None]]:
    return {row: (outcome, reason) for row, _cells, outcome, reason in ROWS if outcome != "blank"}


def write_xlsx(path: Path, rows=ROWS) -> Path:
    """The ledger as an office keeps it: a merged title row, a two-row merged header, then the rows."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "监控点位"
    ws.append([TITLE])
    ws.merge_cells("A1:J1")
    ws.append(HEADER_TOP)
    ws.append(HEADER)
    ws.merge_cells("D2:E2")
    for col in "ABCFGHIJ":
        ws.merge_cells(f"{col}2:{col}3")
    for _row, cells, _outcome, _reason in rows:
        ws.append(cells)
    other = wb.create_sheet("说明")
    other.append(["本表由各乡镇填报"])
    wb.save(path)
    return path


def csv_rows(rows=ROWS) -> list[list[str]]:
    """The same ledger as a CSV would hold it: one header row, every cell text; Excel's float ID as it prints it."""
    header = ["序号", "点位名称", "设备编码", "经度", "纬度", "安装地址", "乡镇/街道", "类别", "机型", "状态"]
    out = [[TITLE], header]
    for _row, cells, _outcome, _reason in rows:
        out.append(["4.20682E+19" if isinstance(c, float) and c > 1e15 else "" if c is None else str(c)
                    for c in cells])
    return out


def write_csv(path: Path, encoding: str, rows=ROWS) -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(csv_rows(rows))
    return path


def write_xls(path: Path, rows=ROWS) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("监控点位")
    for r, line in enumerate(csv_rows(rows)):
        for c, value in enumerate(line):
            original = rows[r - 2][1][c] if r >= 2 else None
            # Numbers stay numbers, as Excel 97-2003 ledgers keep them (the float ID included).
            sheet.write(r, c, original if isinstance(original, (int, float)) else value)
    book.save(str(path))
    return path


def sheet_row(ours: int) -> int:
    """Rows of the CSV/XLS variant are one higher up than in the .xlsx (one header row instead of two)."""
    return ours - 1
