"""The report preview: a generated PDF shown with QPdfView, printed (pages rasterised by QPdfDocument.render at the
printer's resolution) or saved under a name the user picks."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout



class PreviewDialog(QDialog):
    """Shows one PDF file; Print… and Save As… act on it. The file stays where it is (a temporary copy usually)."""

    def __init__(self, pdf_path: str | Path, title: str, parent=None, suggested_name: str | None = None):
        super().__init__(parent)
        self.path = Path(pdf_path)
        self.suggested_name = suggested_name or self.path.name
        self.setWindowTitle(title)
        self.resize(900, 1000)
        self.document = QPdfDocument(self)
        self.document.load(str(self.path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        pages = QCoreApplication.translate("Reports", "{n} pages")
        self.pages_label = QLabel(pages.format(n=self.document.pageCount()), self)
        self.print_button = QPushButton(QCoreApplication.translate("Reports", "Print…"), self)
        self.save_button = QPushButton(QCoreApplication.translate("Reports", "Save As…"), self)
        close = QPushButton(QCoreApplication.translate("Reports", "Close"), self)
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button.clicked.connect(self.save_dialog)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pages_label)
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    # -- actions -------------------------------------------------------------------------------------------------
    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.document.pageCount()))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print every page (or the range chosen in the dialog) as images at the printer's resolution; returns the
        number of pages sent."""
        count = self.document.pageCount()
        first, last = printer.fromPage(), printer.toPage()
        pages = range(first - 1, last) if first and last else range(count)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        sent = 0
        try:
            dpi = printer.resolution()
            for n, index in enumerate(pages):
                if n:
                    printer.newPage()
                points = self.document.pagePointSize(index)
                size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
                image = self.document.render(index, size)
                target = painter.viewport()
                scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.topLeft(), scaled), image)
                sent += 1
        finally:
            painter.end()
        return sent

    def save_dialog(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, QCoreApplication.translate("Reports", "Save PDF"),
                                                    self.suggested_name,
                                                    QCoreApplication.translate("Reports", "PDF (*.pdf)"))
        if name:
            self.save_to(name)

    def save_to(self, target: str | Path) -> Path:
        target = Path(target)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        shutil.copyfile(self.path, target)
        return target


__all__ = ["PreviewDialog", "QPointF"]
