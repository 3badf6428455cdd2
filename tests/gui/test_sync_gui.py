"""The bundle dialogs walked through: export, import wizard with preview and trust, conflicts side by side (resolve
alike), devices (card, enroll, revoke) and exchange history."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QWizard  # noqa: E402

from nibi_desk.gui.context import AppContext  # noqa: E402
from nibi_desk.gui.sync import open_conflicts, open_devices, open_export_bundle, open_import_bundle  # noqa: E402
from nibi_desk.gui.tasks import TaskRunner  # noqa: E402
from nibi_desk.interaction import HeadlessInteraction  # noqa: E402
from nibi_desk.sync import export, keys  # noqa: E402
from tests.sync_helpers import hold_staging, introduce, make, poles  # noqa: E402

pytestmark = pytest.mark.gui
WAIT = 15000


@pytest.fixture
def contexts(tmp_path, qapp):
    office, _o = make(tmp_path, "office")
    field, _f = make(tmp_path, "field")
    octx = AppContext(office, HeadlessInteraction(answer=True), TaskRunner(), settings=None)
    fctx = AppContext(field, HeadlessInteraction(answer=True), TaskRunner(), settings=None)
    yield octx, fctx
    octx.close()
    fctx.close()


def test_export_then_import_with_preview_and_conflict(contexts, qtbot, tmp_path):
    octx, fctx = contexts
    introduce(octx, fctx)
    ids = poles(octx, 3)
    dialog = open_export_bundle(octx, None)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("rollup"))
    dialog.peer_combo.setCurrentIndex(dialog.peer_combo.findData(fctx.registry.device))
    dialog.path_edit.setText(str(tmp_path / "up.nibx"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=WAIT)
    assert dialog.result.counts["assets"] == 3 and (tmp_path / "up.nibx").exists()
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=WAIT)
    dialog.reject()

    wizard = open_import_bundle(fctx, None, tmp_path / "up.nibx")
    qtbot.addWidget(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=WAIT)
    assert wizard.plan.totals()["new"] >= 3 and wizard.preview_page.isComplete()
    assert wizard.preview_page.counts.rowCount() >= 1
    assert fctx.registry.read().execute("SELECT count(*) FROM assets").fetchone()[0] == 0  # a preview writes nothing
    wizard.next()
    qtbot.waitUntil(lambda: wizard.apply_page.isComplete(), timeout=WAIT)
    assert wizard.result.totals()["new"] >= 3
    assert fctx.registry.read().execute("SELECT count(*) FROM assets").fetchone()[0] == 3
    wizard.accept()

    # the same field changed on both sides: a conflict, resolved in the conflicts view
    for ctx, value in ((octx, "县里的名字"), (fctx, "现场的名字")):
        for asset_id in ids[:2]:
            ctx.registry.writer.run(lambda txn, a=asset_id, v=value: txn.update("assets", a, {"name": v}))
    path = export.export_bundle(octx, tmp_path / "up2.nibx", "rollup", to=fctx.registry.device).path
    wizard = open_import_bundle(fctx, None, path)
    qtbot.addWidget(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=WAIT)
    assert wizard.plan.totals()["conflict"] == 2 and wizard.preview_page.details.rowCount() == 2
    wizard.next()
    qtbot.waitUntil(lambda: wizard.apply_page.isComplete(), timeout=WAIT)
    assert wizard.apply_page.conflicts_button.isVisibleTo(wizard)
    wizard.accept()

    view = open_conflicts(fctx, None)
    qtbot.addWidget(view)
    assert view.table.rowCount() == 2
    assert view.mine_text.toPlainText() == "现场的名字" and view.theirs_text.toPlainText() == "县里的名字"
    assert view.alike_check.isVisible() or not view.isVisible()
    view.alike_check.setChecked(True)
    view.theirs_button.click()
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=WAIT)
    names = {r[0] for r in fctx.registry.read().execute("SELECT name FROM assets WHERE id IN (?, ?)", ids[:2])}
    assert names == {"县里的名字"}
    view.reject()


def test_untrusted_bundle_needs_an_explicit_trust(contexts, qtbot, tmp_path):
    octx, fctx = contexts
    poles(octx, 2)
    path = export.export_bundle(octx, tmp_path / "b.nibx", "rollup").path
    wizard = open_import_bundle(fctx, None, path)
    qtbot.addWidget(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=WAIT)
    assert wizard.plan.trust == "unknown" and not wizard.preview_page.isComplete()
    wizard.preview_page.trust_check.setChecked(True)
    assert not wizard.preview_page.isComplete()
    wizard.preview_page.reason_edit.setText("电话确认过")
    assert wizard.preview_page.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.apply_page.isComplete(), timeout=WAIT)
    assert fctx.registry.read().execute("SELECT trusted_once FROM exchanges").fetchone()[0] == 1
    wizard.accept()


def test_refused_bundle_is_reported(contexts, qtbot, tmp_path):
    _octx, fctx = contexts
    bad = tmp_path / "bad.nibx"
    bad.write_bytes(b"junk")
    wizard = open_import_bundle(fctx, None, bad)
    qtbot.addWidget(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: any(kind == "error" for kind, *_ in fctx.interaction.messages), timeout=WAIT)
    assert not wizard.preview_page.isComplete()
    assert wizard.button(QWizard.CommitButton).isEnabled() is False
    wizard.reject()


def test_devices_dialog_card_enroll_revoke_history(contexts, qtbot, tmp_path):
    octx, fctx = contexts
    dialog = open_devices(octx, None)
    qtbot.addWidget(dialog)
    assert dialog.fingerprint_label.text() == keys.card_for(octx.registry).fingerprint
    dialog.save_card(str(tmp_path / "office.nibikey"))
    assert keys.read_card(tmp_path / "office.nibikey").device == octx.registry.device
    dialog.enroll_text(keys.card_for(fctx.registry, "张三的笔记本").qr_text())
    qtbot.waitUntil(lambda: dialog.devices.rowCount() == 1, timeout=WAIT)
    assert dialog.devices.item(0, 0).text() == "张三的笔记本"
    poles(octx, 1)
    export.export_bundle(octx, tmp_path / "x.nibx", "rollup", to=fctx.registry.device)
    dialog.refresh()
    assert dialog.peer_combo.count() == 2 and dialog.history.rowCount() == 1
    dialog.peer_combo.setCurrentIndex(1)
    assert "—" not in dialog.peers_label.text().split(";")[0]
    dialog.devices.selectRow(0)
    dialog.revoke_selected()
    qtbot.waitUntil(lambda: dialog.devices.item(0, 4).text() != dialog.tr("enrolled"), timeout=WAIT)
    dialog.reject()


def _photo_bundle(octx, fctx, tmp_path, tamper: bool = False):
    import zipfile

    from nibi_desk.sync.keys import DeviceKey
    from tests.sync_helpers import rewrite
    from tests.test_sync_throughput_export import _photos

    introduce(octx, fctx)
    poles(octx, 3)
    _photos(octx, 4)
    path = export.export_bundle(octx, tmp_path / "photos.nibx", "rollup").path
    if not tamper:
        return path, None
    with zipfile.ZipFile(path) as zf:
        photo = sorted(n for n in zf.namelist() if n.startswith("photos/"))[-1]
        data = zf.read(photo)
    bad = rewrite(path, tmp_path / "bad-photo.nibx", sign_with=DeviceKey.for_registry(octx.registry),
                  files={photo: bytes([data[0] ^ 1]) + data[1:]}, fix_manifest=False)
    return bad, photo


def test_preview_shows_before_the_photos_are_checked_and_import_waits_for_them(contexts, qtbot, tmp_path,
                                                                                monkeypatch):
    """The preview comes as soon as the records are checked; Import may be pressed while the photos are still
    being checked, and the import waits for them."""

    from nibi_desk.photos.store import PhotoStore

    octx, fctx = contexts
    path, _photo = _photo_bundle(octx, fctx, tmp_path)
    gate = hold_staging(monkeypatch)
    wizard = open_import_bundle(fctx, None, path)
    qtbot.addWidget(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=WAIT)  # shown while every photo is held back
    assert wizard.preview_page.isComplete() and wizard.preview_page.files_error is None
    assert not any(p.exists() for p in wizard.bundle.photos.values())  # no photo staged yet
    assert wizard.preview_page.files.text() != wizard.preview_page.tr("Every file of the bundle is checked.")
    wizard.next()  # Import
    gate.set()
    qtbot.waitUntil(lambda: wizard.apply_page.isComplete(), timeout=WAIT)
    assert wizard.result is not None and len(wizard.result.photos_to_adopt) == 4
    store = PhotoStore.for_registry(fctx.registry.path)
    assert all(store.verify(sha) for sha in wizard.result.photos_to_adopt)
    wizard.accept()


def test_the_preview_page_shows_the_progress_of_the_records_and_of_the_files(contexts, qtbot, tmp_path,
                                                                           monkeypatch):
    """Both checks report through the task runner (workers never emit on the page's objects) and reach the page on
    the main thread, up to the whole of the bundle's files."""
    import zipfile

    from PySide6.QtCore import QCoreApplication, QThread

    from nibi_desk.gui.sync.import_wizard import BundlePreviewPage

    octx, fctx = contexts
    path, _photo = _photo_bundle(octx, fctx, tmp_path)
    seen: dict[str, list] = {"records": [], "files": []}
    for kind, name in (("records", "_on_progress"), ("files", "_on_files_progress")):
        real = getattr(BundlePreviewPage, name)

        def record(page, done, total, label, kind=kind, real=real):
            seen[kind].append((done, total, QThread.currentThread() == QCoreApplication.instance().thread()))
            real(page, done, total, label)

        monkeypatch.setattr(BundlePreviewPage, name, record)
    gate = hold_staging(monkeypatch)  # the files' check reports while it waits for them
    wizard = open_import_bundle(fctx, None, path)
    qtbot.addWidget(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: bool(seen["files"]), timeout=WAIT)
    gate.set()
    qtbot.waitUntil(lambda: wizard.preview_page.files.text() == wizard.preview_page.tr(
        "Every file of the bundle is checked."), timeout=WAIT)
    with zipfile.ZipFile(path) as zf:
        photo_bytes = sum(i.file_size for i in zf.infolist() if i.filename.startswith("photos/"))
    assert seen["records"] and all(main for *_, main in seen["records"])
    assert all(main and total == photo_bytes for _done, total, main in seen["files"])
    wizard.reject()


def test_a_bad_photo_found_after_the_preview_turns_import_off(contexts, qtbot, tmp_path):
    octx, fctx = contexts
    path, photo = _photo_bundle(octx, fctx, tmp_path, tamper=True)
    before = fctx.registry.read().execute("SELECT count(*) FROM assets").fetchone()[0]
    wizard = open_import_bundle(fctx, None, path)
    qtbot.addWidget(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.files_error is not None, timeout=WAIT)
    assert wizard.plan is not None and not wizard.preview_page.isComplete()
    assert wizard.button(QWizard.CommitButton).isEnabled() is False
    assert photo[7:27] in wizard.preview_page.files.text()
    assert any(kind == "error" for kind, *_ in fctx.interaction.messages)
    wizard.reject()
    assert fctx.registry.read().execute("SELECT count(*) FROM assets").fetchone()[0] == before


def test_closing_the_wizard_during_a_long_import_keeps_its_photos_until_it_ends(contexts, qtbot, tmp_path,
                                                                                monkeypatch):
    import threading

    from nibi_desk.gui.sync import import_wizard
    from nibi_desk.photos.store import PhotoStore

    octx, fctx = contexts
    path, _photo = _photo_bundle(octx, fctx, tmp_path)
    gate, real = threading.Event(), import_wizard.apply.apply

    def slow_apply(*args, **kwargs):
        assert gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(import_wizard.apply, "apply", slow_apply)
    monkeypatch.setattr(fctx.tasks, "wait_for", lambda tasks, msecs=0: False)  # the wizard gives up waiting
    wizard = open_import_bundle(fctx, None, path)
    qtbot.addWidget(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=WAIT)
    bundle = wizard.bundle
    wizard.next()  # Import: held at the gate
    wizard.reject()  # closed while the import runs
    assert bundle.staging.exists()
    gate.set()
    qtbot.waitUntil(lambda: wizard.result is not None and wizard.bundle is None, timeout=WAIT)
    store = PhotoStore.for_registry(fctx.registry.path)
    assert len(wizard.result.photos_to_adopt) == 4
    assert all(store.verify(sha) for sha in wizard.result.photos_to_adopt) and not bundle.staging.exists()
