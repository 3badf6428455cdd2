"""Users and roles: argon2id hashes, signing in, the first user, role checks, audit actor and redaction."""

from __future__ import annotations

import pytest

from nibi_desk import i18n
from nibi_desk.context import Context
from nibi_desk.errors import PermissionDenied, SignInFailed, ValidationError
from nibi_desk.inspection import users
from nibi_desk.storage.registry import Registry
from tests.inspection_fixtures import PASSWORD, cheap_hasher, world  # noqa: F401


def test_first_user_must_be_office_and_needs_no_sign_in(tmp_path, cheap_hasher):
    with Registry.create(tmp_path / "u.nibi", "420682") as registry:
        ctx = Context(registry)
        with pytest.raises(ValidationError):
            users.add_user(ctx, "zhang", "张三", "inspector", PASSWORD)
        users.add_user(ctx, "admin", "管理员", "office", PASSWORD)
        with pytest.raises(PermissionDenied):  # from now on, only a signed-in office user adds users
            users.add_user(ctx, "zhang", "张三", "inspector", PASSWORD)


def test_passwords_are_argon2id_and_never_in_the_audit(world):
    conn = world.registry.read()
    stored = conn.execute("SELECT password_hash FROM users WHERE login = 'zhang'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert "password_hash" not in users.get_user(conn, "zhang")
    assert not any(PASSWORD in (c or "") or "$argon2" in (c or "") for (c,) in conn.execute("SELECT changes FROM audit"))


def test_default_hasher_is_memory_hard():
    params = users._hasher.hash("x" * 8).split("$")[3]
    memory = int(dict(p.split("=") for p in params.split(","))["m"])
    assert memory >= 19 * 1024  # KiB: at least OWASP's minimum for argon2id


def test_sign_in(world):
    ctx = Context(world.registry)
    for login, password in (("zhang", "wrong password"), ("nobody", PASSWORD)):
        with pytest.raises(SignInFailed):
            users.sign_in(ctx, login, password)
    session = users.sign_in(ctx, "ZHANG", PASSWORD)  # logins are case-insensitive
    assert (session.login, session.role, session.display_name) == ("zhang", "inspector", "张巡检")
    assert ctx.user == session and world.registry.actor == "zhang"
    users.sign_out(ctx)
    assert ctx.user is None


def test_role_messages_name_who_may(world):
    i18n.set_language("en")
    with pytest.raises(PermissionDenied) as caught:
        users.require(world.inspector, users.OFFICE, action="verify and close a defect")
    assert str(caught.value) == "Only office user may verify and close a defect; zhang is signed in as inspector"
    with pytest.raises(PermissionDenied, match="Sign in"):
        users.require(Context(world.registry), users.OFFICE)


def test_passwords_roles_and_the_last_office_user(world):
    zhang = users.get_user(world.registry.read(), "zhang")["id"]
    li = users.get_user(world.registry.read(), "li")["id"]
    with pytest.raises(SignInFailed):  # your own password needs the old one
        users.set_password(world.inspector, zhang, "new password 1", "not the old one")
    users.set_password(world.inspector, zhang, "new password 1", PASSWORD)
    with pytest.raises(PermissionDenied):
        users.set_password(world.inspector, li, "new password 2")
    users.set_password(world.office, li, "new password 2")  # an office user resets anyone's
    with pytest.raises(ValidationError):
        users.set_password(world.office, li, "short")
    users.sign_in(Context(world.registry), "zhang", "new password 1")
    with pytest.raises(PermissionDenied):
        users.edit_user(world.inspector, zhang, role="office")
    users.edit_user(world.office, zhang, role="supervisor", display_name="张主管")
    assert users.get_user(world.registry.read(), "zhang")["role"] == "supervisor"
    office = world.office.user.user_id
    with pytest.raises(ValidationError):
        users.edit_user(world.office, office, active=False)  # the last active office user stays
    users.edit_user(world.office, li, active=False)
    with pytest.raises(SignInFailed):
        users.sign_in(Context(world.registry), "li", "new password 2")
    with pytest.raises(ValidationError):
        users.add_user(world.office, "Zhang", "重名", "inspector", PASSWORD)
    assert [u["login"] for u in users.list_users(world.registry.read(), include_inactive=False)] == [
        "office", "zhang", "zhao"]
