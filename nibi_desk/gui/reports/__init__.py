"""Reports in the GUI: generate in the background (progress, cancel), preview with QPdfView, print, save.

Entry points for the main window's menus (wired by its owner):
``open_report_for_inspection(ctx, parent, inspection_id)``, ``open_batch_reports(ctx, parent)``,
``open_summary(ctx, parent)``, ``open_notice(ctx, parent, defect_id)``, ``open_tags(ctx, parent, asset_ids)``.
The header options come from the settings (report_issuing_unit, report_header, report_doc_prefix).
"""

from nibi_desk.gui.reports.actions import (generate_then_preview, open_batch_reports, open_notice,
                                           open_report_for_inspection, open_summary, open_tags, report_options)

__all__ = ["open_report_for_inspection", "open_batch_reports", "open_summary", "open_notice", "open_tags",
           "report_options", "generate_then_preview"]
