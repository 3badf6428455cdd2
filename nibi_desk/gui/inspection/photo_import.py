"""Bringing photos in: choose files or a camera folder, store each original and link it, in the background with
progress and cancel. Each photo is its own transaction, so a cancelled import keeps what it already took."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from nibi_desk.errors import NibiError
from nibi_desk.inspection import evidence
from nibi_desk.photos.store import find_photos


def choose_files(parent: QWidget | None) -> list[Path]:
    names, _filter = QFileDialog.getOpenFileNames(
        parent, QCoreApplication.translate("PhotoImport", "Add photos"), "",
        QCoreApplication.translate("PhotoImport", "JPEG photos (*.jpg *.jpeg *.JPG *.JPEG);;All files (*)"))
    return [Path(n) for n in names]


def choose_folder(parent: QWidget | None) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, QCoreApplication.translate("PhotoImport", "Add a folder of photos"))
    return Path(name) if name else None


def _import(registry_path, sources: list[Path], link: Callable[[dict], Any]):
    """Generator run by the task runner: (done, total, name) per file; returns {"linked": [...], "failed": [...]}."""
    files: list[Path] = []
    for source in sources:
        files += find_photos(source) if source.is_dir() else [source]
    linked, failed = [], []
    for i, path in enumerate(files):
        yield i, len(files), path.name
        try:
            linked.append(link(evidence.store_file(registry_path, path)))
        except NibiError as e:  # not a JPEG, unreadable, refused: reported at the end, the others go on
            failed.append((path.name, e.message()))
    yield len(files), len(files), ""
    return {"linked": linked, "failed": failed, "total": len(files)}


def import_photos(ctx, parent: QWidget | None, sources: list[Path], link: Callable[[dict], Any],
                  on_finished: Callable[[dict | None], None] | None = None, show_progress: bool = True):
    """Store ``sources`` (files and folders) and call ``link(photo_values)`` for each on the worker thread.

    ``on_finished(result)`` runs on the main thread (None when cancelled or failed). Returns the Task."""
    if not sources:
        return None
    dialog = None
    if show_progress:
        dialog = QProgressDialog(QCoreApplication.translate("PhotoImport", "Adding photos…"),
                                 QCoreApplication.translate("PhotoImport", "Cancel"), 0, 0, parent)
        dialog.setObjectName("photoImportProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)

    def progress(done: int, total: int, name: str) -> None:
        if dialog is not None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            if name:
                dialog.setLabelText(QCoreApplication.translate("PhotoImport", "Adding {name} ({done} of {total})…")
                                    .format(name=name, done=done + 1, total=total))

    def done(result: dict) -> None:
        close()
        if result["failed"]:
            details = "\n".join(f"{name}: {why}" for name, why in result["failed"])
            ctx.interaction.warn(QCoreApplication.translate("PhotoImport", "Some photos were not added"),
                                 QCoreApplication.translate("PhotoImport", "{n} of {total} photos were not added:")
                                 .format(n=len(result["failed"]), total=result["total"]) + "\n" + details)
        if on_finished is not None:
            on_finished(result)

    def failed(error: BaseException) -> None:
        close()
        from nibi_desk.gui.inspection.common import show_error

        show_error(ctx, error)
        if on_finished is not None:
            on_finished(None)

    def close() -> None:
        if dialog is not None:
            dialog.reset()
            dialog.deleteLater()

    task = ctx.tasks.run(_import, ctx.registry.path, [Path(s) for s in sources], link, on_done=done,
                         on_error=failed, on_progress=progress,
                         label=QCoreApplication.translate("PhotoImport", "Adding photos"))

    def finished() -> None:
        if task.state == "cancelled":  # what was linked before the cancel stays; the caller reloads
            close()
            if on_finished is not None:
                on_finished(None)

    task.finished.connect(finished)
    if dialog is not None:
        dialog.canceled.connect(task.cancel)
    return task
