"""The inspection window: asset card, the generated form, photos, where I stood, access, signature, submit.

Every change is saved to the draft as it happens (DraftSaver), so closing the window (Esc) or losing power keeps
the work; Ctrl+S submits, Ctrl+P adds photos. A submitted inspection, or someone else's draft, opens read-only.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QMetaMethod, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QWidget

from nibi_desk.errors import Problem, RecordInvalid
from nibi_desk.gui.inspection.common import tablet_font, InspectionTexts, show_error, threshold_m
from nibi_desk.gui.inspection.defect_dialogs import RaiseDefectDialog
from nibi_desk.gui.inspection.photo_import import choose_files, choose_folder, import_photos
from nibi_desk.gui.inspection.saver import DraftSaver
from nibi_desk.gui.inspection.window_layout import build, show_data
from nibi_desk.gui.inspection.window_parts import defects_by_item, load_inspection, photo_counts
from nibi_desk.gui.print_copies import prepare_print_copies
from nibi_desk.inspection import defects, evidence, inspections, submission

SIGNATURE_DEBOUNCE_MS = 1500


def _set_unreachable(ctx, inspection_id: str, reason: str | None) -> None:
    inspections.update_draft(ctx, inspection_id, unreachable_reason=reason)


class InspectionWindow(QDialog):
    """``pick_position_requested(inspection_id)``: the owner should put the map in pick mode and hand the point to
    ``set_picked_position(lon, lat)``. ``submitted(inspection_id)`` after a successful submit."""

    pick_position_requested = Signal(str)
    submitted = Signal(str)

    def __init__(self, ctx, inspection_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.inspection_id = inspection_id
        self.setObjectName("inspectionWindow")
        tablet_font(self)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.texts = InspectionTexts(self)
        data = load_inspection(ctx.registry, inspection_id)
        self.row, self.form_model = data["row"], data["form"]
        user = ctx.user
        self.editable = self.row["status"] == "draft" and user is not None and self.row["inspector"] == user.user_id
        self.saver = DraftSaver(ctx, inspection_id, self)
        self.saver.saved.connect(self._saved)
        self.saver.failed.connect(lambda e: show_error(ctx, e))

        build(self)  # the parts and their layout (window_layout.py)
        self._connect()
        show_data(self, data)
        self.retranslate()
        self.resize(1180, 820)

    # -- building ------------------------------------------------------------------------------------------
    def _connect(self) -> None:
        self.form.answer_changed.connect(self._answer_changed)
        self.form.photo_requested.connect(lambda key: self.add_photos(key))
        self.form.defect_requested.connect(self.raise_defect)
        self.photos.add_requested.connect(lambda folder: self.add_photos(None, folder))
        self.photos.position_requested.connect(self.position_from_photo)
        self.photos.remove_requested.connect(self.remove_photo)
        self.position.typed.connect(lambda lon, lat: self.set_position(lon, lat, "typed"))
        self.position.photo_requested.connect(lambda: self.position_from_photo(self.photos.current_id()))
        self.position.pick_requested.connect(lambda: self.pick_position_requested.emit(self.inspection_id))
        self.unreachable.changed.connect(self._unreachable_changed)
        self._signature_timer = QTimer(self)
        self._signature_timer.setSingleShot(True)
        self._signature_timer.setInterval(SIGNATURE_DEBOUNCE_MS)
        self._signature_timer.timeout.connect(self.save_signature)
        self.signature.pad.stroke_finished.connect(self._signature_timer.start)
        self.summary.item_requested.connect(self._show_item)
        self.close_button.clicked.connect(self.reject)
        self.submit_button.clicked.connect(self.submit)
        QShortcut(QKeySequence("Ctrl+S"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+P"), self, lambda: self.add_photos(None))
        app = QCoreApplication.instance()
        if app is not None:  # quitting with the window open: what is typed is saved (disconnected when deleted)
            app.aboutToQuit.connect(self._flush_quietly)

    def retranslate(self) -> None:
        a = self.card.name.text()
        self.setWindowTitle(self.tr("Inspection: {0}").format(a) if self.editable
                            else self.tr("Inspection record: {0}").format(a))
        self.close_button.setText(self.tr("Close (Esc)"))
        self.close_button.setToolTip(self.tr("Close; the draft is kept and can be continued later"))
        self.submit_button.setText(self.tr("Submit (Ctrl+S)"))
        if not self.status.text():
            self.status.setText(self.tr("Changes are saved as you go.") if self.editable else "")

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def map_available(self) -> bool:
        """Whether someone (the main window's map) listens for pick requests; the hub replaces this check."""
        return self.isSignalConnected(QMetaMethod.fromSignal(self.pick_position_requested))

    def showEvent(self, event) -> None:
        self.position.set_map_available(self.map_available())
        super().showEvent(event)

    # -- saving --------------------------------------------------------------------------------------------
    def _answer_changed(self, key: str, answer: dict) -> None:
        self.status.setText(self.tr("Saving…"))
        self.saver.save_answer(key, answer)

    def _saved(self) -> None:
        self.status.setText(self.tr("Draft saved at {0}").format(datetime.now().strftime("%H:%M:%S")))

    def _unreachable_changed(self, reason: str | None) -> None:
        self.form.set_unreachable(reason)
        self.saver.save("unreachable", _set_unreachable, reason)

    def save_signature(self) -> None:
        self._signature_timer.stop()
        if self.editable and self.signature.pad.has_new_strokes():
            self.saver.save("signature", submission.set_signature, self.signature.pad.png_bytes())

    def flush(self) -> None:
        """Hand every change still waiting (typing, reason, signature) to the writer and wait for it."""
        if not self.editable:
            return
        self.form.flush_typing()
        if self.unreachable.value() != self.form.unreachable_reason:
            self.unreachable.emit_now()
        if self._signature_timer.isActive():
            self.save_signature()
        self.saver.flush()

    def _flush_quietly(self) -> None:
        try:
            self.flush()
        except Exception as e:  # quitting: say what was not saved, never stop the quit
            show_error(self.ctx, e)

    # -- photos and position -------------------------------------------------------------------------------
    def add_photos(self, item: str | None = None, folder: bool = False) -> None:
        if not self.editable:  # a record: the item's photo button shows its photos
            for photo in self.photos.photos:
                if photo["item"] == item:
                    return self.photos.select(photo["id"])
            return
        if folder:
            chosen = choose_folder(self)
            paths = [chosen] if chosen else []
        else:
            paths = choose_files(self)
        self.add_photo_paths(paths, item)

    def add_photo_paths(self, paths: list, item: str | None = None, on_finished=None):
        ctx, inspection_id, limit = self.ctx, self.inspection_id, threshold_m(self.ctx)

        def finished(result) -> None:
            self.reload_photos()
            if on_finished is not None:
                on_finished(result)

        return import_photos(ctx, self, paths, lambda values: submission.attach_photo(
            ctx, inspection_id, values, item=item, max_distance_m=limit), on_finished=finished)

    def reload_photos(self) -> None:
        photos = evidence.of_inspection(self.ctx.registry.read(), self.inspection_id)
        self.photos.load(photos, self.editable)
        self.form.set_photo_counts(photo_counts(photos))

    def remove_photo(self, evidence_id: str | None) -> None:
        if evidence_id and self.ctx.interaction.confirm(self.tr("Remove photo"), self.tr(
                "Remove this photo from the inspection? The original stays in the photo store.")):
            self.ctx.tasks.run(submission.detach_photo, self.ctx, evidence_id, on_done=lambda _r: self.reload_photos(),
                               on_error=lambda e: show_error(self.ctx, e))

    def position_from_photo(self, evidence_id: str | None) -> None:
        located = [p for p in self.photos.photos if p["lon"] is not None and p["lat"] is not None]
        chosen = next((p for p in located if p["id"] == evidence_id), located[0] if located else None)
        if chosen is None:
            self.ctx.interaction.info(self.tr("Where I stood"), self.tr("None of the photos has a GPS position."))
            return
        self.ctx.tasks.run(inspections.position_from_photo, self.ctx, self.inspection_id, chosen["id"],
                           threshold_m(self.ctx), on_done=lambda r: self._positioned(r, chosen["lon"], chosen["lat"],
                                                                                      "exif"),
                           on_error=lambda e: show_error(self.ctx, e))

    def set_position(self, lon: float, lat: float, source: str = "typed") -> None:
        self.ctx.tasks.run(inspections.set_position, self.ctx, self.inspection_id, lon, lat, source,
                           threshold_m(self.ctx), on_done=lambda r: self._positioned(r, lon, lat, source),
                           on_error=lambda e: show_error(self.ctx, e))

    def pick_prompt(self) -> str:
        """What the map says while the inspector picks where they stood."""
        return self.tr("Click the map where you stood to inspect {asset} (Esc cancels)").format(
            asset=self.card.name.text())

    def set_picked_position(self, lon: float, lat: float) -> None:
        """The point the inspector picked on the map (WGS-84)."""
        if self.editable:
            self.set_position(lon, lat, "map")
            self.raise_()
            self.activateWindow()

    def _positioned(self, result: dict, lon: float, lat: float, source: str) -> None:
        self.position.show_position(lon, lat, source, result["distance_m"], result["flags"])
        self.card.show_proximity(result["distance_m"], result["flags"])

    # -- defects -------------------------------------------------------------------------------------------
    def raise_defect(self, key: str) -> RaiseDefectDialog | None:
        try:
            self.flush()  # the core checks the stored answer: it must have failed
        except Exception as e:
            show_error(self.ctx, e)
            return None
        note = (self.form.answers.get(key) or {}).get("note")
        dialog = RaiseDefectDialog(self.form_model, key, note, self.form.photo_counts.get(key, 0), self)

        def add_photos() -> None:
            self.add_photo_paths(choose_files(dialog), key,
                                 lambda _result: dialog.set_photo_count(self.form.photo_counts.get(key, 0)))

        dialog.photos_requested.connect(add_photos)
        dialog.accepted.connect(lambda: self._raise(key, dialog.values()))
        dialog.open()
        return dialog

    def _raise(self, key: str, values: dict) -> None:
        def done(_defect_id) -> None:
            self.form.set_defects(defects_by_item(self.ctx.registry.read(), self.inspection_id))

        self.ctx.tasks.run(defects.raise_defect, self.ctx, self.inspection_id, key, on_done=done,
                           on_error=lambda e: show_error(self.ctx, e), **values)

    # -- submitting and closing ----------------------------------------------------------------------------
    def submit(self) -> None:
        if not self.editable:
            return
        try:
            self.flush()
        except Exception as e:
            show_error(self.ctx, e)
            return
        unsigned = self.form_model.signature_required and self.signature.pad.is_empty()
        if unsigned or self.form.parse_errors:  # a cleared pad or a half-typed number: the core cannot know
            self.show_problems(self.form.all_problems() + (
                [Problem("signature", "Sign the inspection before submitting")] if unsigned else []))
            return
        self.submit_button.setEnabled(False)
        self.status.setText(self.tr("Submitting…"))
        self.ctx.tasks.run(submission.submit, self.ctx, self.inspection_id, threshold_m(self.ctx),
                           on_done=self._submitted, on_error=self._submit_failed)

    def _submit_failed(self, error: BaseException) -> None:
        self.submit_button.setEnabled(True)
        self.status.setText("")
        if isinstance(error, RecordInvalid):
            self.show_problems(error.problems)
        else:
            show_error(self.ctx, error)

    def show_problems(self, problems: list[Problem]) -> None:
        """Every problem next to its item and in the summary under the form."""
        self.form.show_problems()
        self.summary.show_problems(problems, self.form_model)
        self.status.setText(self.tr("{0} thing(s) to complete before submitting").format(len(problems)))
        if problems:
            self._show_item(problems[0].field)

    def _show_item(self, key: str) -> None:
        if key in self.form.rows:
            self.form.scroll_to(key)
        elif key == "signature":
            self.signature.pad.setFocus()
        elif key == "unreachable_reason":
            self.unreachable.reason.setFocus()

    def _submitted(self, result: dict) -> None:
        self.editable = False
        prepare_print_copies(self.ctx, [self.inspection_id])
        self.submitted.emit(self.inspection_id)
        self.ctx.interaction.info(self.tr("Inspection submitted"), self.tr("{asset}: {result}, score {score}.").format(
            asset=self.card.name.text(), result=self.texts.result(result["result"]),
            score=self.texts.score(result["score"])))
        self.accept()

    def reject(self) -> None:
        """Esc or Close: the draft stays (everything typed is saved first)."""
        self._flush_quietly()
        super().reject()
