"""Restoring a backup bundle into a new registry: password hashes never travel, so a backup with users needs an
office user whose password the restore sets — otherwise nobody could ever sign in to the restored registry."""

from __future__ import annotations

import json

import pytest

from nibi_desk.cli.main import main
from nibi_desk.context import Context
from nibi_desk.errors import ImportFailed, ValidationError
from nibi_desk.inspection import users
from nibi_desk.storage.registry import Registry
from nibi_desk.sync import export, restore
from tests.sync_helpers import make, poles


@pytest.fixture
def backup_with_users(tmp_path):
    registry, ctx = make(tmp_path, "office")
    users.add_user(ctx, "office", "办公室", "office", password="secret-123")
    users.sign_in(ctx, "office", "secret-123")
    users.add_user(ctx, "zhang", "张伟", "inspector", password="secret-456")
    poles(ctx, 3)
    path = export.export_bundle(ctx, tmp_path / "b.nibx", "backup").path
    registry.close()
    return path


def test_probe_names_the_office_users(backup_with_users):
    info = restore.probe(backup_with_users)
    assert info.county == "420682" and info.office_logins == ("office",)


def test_restore_without_an_office_user_is_refused_before_anything_is_written(tmp_path, backup_with_users):
    target = tmp_path / "new.nibi"
    with pytest.raises(ValidationError) as e:
        restore.restore(backup_with_users, target)
    assert "office" in e.value.message() and e.value.where.field == "admin"
    assert not target.exists()
    with pytest.raises(ValidationError):  # a user the backup does not have
        restore.restore(backup_with_users, target, admin="nobody", password="whatever-1")
    with pytest.raises(ValidationError):  # too short a password: refused before the registry is created
        restore.restore(backup_with_users, target, admin="office", password="x")
    assert not target.exists()
    assert not target.with_name(target.name + ".photos").exists()  # the bundle's staging went with it


def test_restored_office_user_signs_in_with_the_new_password(tmp_path, backup_with_users):
    target = tmp_path / "new.nibi"
    plan = restore.restore(backup_with_users, target, admin="office", password="new-pass-1")
    assert plan.totals()["new"] >= 5
    with Registry.open(target) as registry:
        ctx = Context(registry)
        assert registry.read().execute("SELECT count(*) FROM assets").fetchone()[0] == 3
        assert users.sign_in(ctx, "office", "new-pass-1").login == "office"
        with pytest.raises(Exception):
            users.sign_in(ctx, "zhang", "secret-456")  # hashes never travel: only the named user has one


def test_restore_refuses_an_existing_target_and_other_kinds(tmp_path, backup_with_users):
    existing = tmp_path / "exists.nibi"
    existing.write_bytes(b"keep me")
    with pytest.raises(ValidationError):
        restore.restore(backup_with_users, existing, admin="office", password="new-pass-1")
    assert existing.read_bytes() == b"keep me"
    _r, ctx = make(tmp_path, "other")
    poles(ctx, 1)
    rollup = export.export_bundle(ctx, tmp_path / "r.nibx", "rollup").path
    with pytest.raises(ImportFailed):
        restore.probe(rollup)


def test_cli_restore_takes_the_admin_and_the_password_from_the_environment(tmp_path, backup_with_users, capsys,
                                                                           monkeypatch):
    target = tmp_path / "cli.nibi"
    assert main(["--lang", "en", "bundle", "restore", str(backup_with_users), "--to", str(target)]) == 2
    assert "office" in capsys.readouterr().err
    monkeypatch.setenv("NIBI_NEW_PASSWORD", "cli-pass-1")
    assert main(["--lang", "en", "bundle", "restore", str(backup_with_users), "--to", str(target),
                 "--admin", "office", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["new"] >= 5
    with Registry.open(target) as registry:
        assert users.sign_in(Context(registry), "office", "cli-pass-1").login == "office"
