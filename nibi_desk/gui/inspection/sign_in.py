"""Signing in to a registry that has users, and offering to continue the signed-in inspector's newest draft."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from nibi_desk.errors import NibiError, SignInFailed
from nibi_desk.gui.inspection.common import TAP, problem_label, set_problems, short_time
from nibi_desk.inspection import inspections, users


class SignInDialog(QDialog):
    """Login and password; the password check (argon2id, deliberately slow) runs on the task runner."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.session: users.Session | None = None
        self.setObjectName("signInDialog")
        self.setModal(True)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.login = QLineEdit()
        self.login.setObjectName("login")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.login, self.password):
            edit.setMinimumHeight(TAP)
        self.error = problem_label("signInError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        for button in self.buttons.buttons():
            button.setMinimumHeight(TAP)
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        self.login_label, self.password_label = QLabel(), QLabel()
        self.form = QFormLayout()
        self.form.addRow(self.login_label, self.login)
        self.form.addRow(self.password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.setMinimumWidth(420)
        self.login.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in"))
        self.intro.setText(self.tr("This registry keeps inspections under each user's name. Sign in to inspect, "
                                   "record defects or plan."))
        self.login_label.setText(self.tr("Login"))
        self.password_label.setText(self.tr("Password"))

    def try_sign_in(self) -> None:
        login, password = self.login.text().strip(), self.password.text()
        if not login or not password:
            set_problems(self.error, [self.tr("Enter your login and password.")])
            return
        self.buttons.setEnabled(False)
        set_problems(self.error, [])
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.ctx.tasks.run(users.sign_in, self.ctx, login, password, on_done=self._signed_in,
                           on_error=self._failed, label=self.tr("Signing in"), cancellable=False)

    def _signed_in(self, session: users.Session) -> None:
        self.unsetCursor()
        self.session = session
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.unsetCursor()
        self.buttons.setEnabled(True)
        if isinstance(error, (SignInFailed, NibiError)):
            set_problems(self.error, [error.message()])
        else:
            set_problems(self.error, [f"{type(error).__name__}: {error}"])
        self.password.clear()
        self.password.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def offer_draft(ctx, parent: QWidget | None) -> str | None:
    """Ask whether to continue the signed-in user's newest draft; open it when yes. Returns the opened draft id."""
    from PySide6.QtCore import QCoreApplication

    if ctx.user is None:
        return None
    found = inspections.drafts(ctx.registry.read(), inspector=ctx.user.user_id)
    if not found:
        return None
    newest = found[0]
    text = QCoreApplication.translate(
        "SignIn", "Continue the draft inspection of {asset} ({code}) from {time}?").format(
        asset=newest["asset_name"], code=newest["asset_code"] or "—", time=short_time(newest["saved_at"]))
    if len(found) > 1:
        text += "\n" + QCoreApplication.translate(
            "SignIn", "You have {n} drafts in all; each opens again when you start inspecting its asset.").format(
            n=len(found))
    if not ctx.interaction.confirm(QCoreApplication.translate("SignIn", "Unfinished inspection"), text, True):
        return None
    from nibi_desk.gui.inspection import open_inspection

    open_inspection(ctx, parent, newest["id"])
    return newest["id"]


def ensure_signed_in(ctx, parent: QWidget | None = None, offer_drafts: bool = True) -> bool:
    """True when someone is signed in, or the registry has no users to sign in as; False when the user cancels.

    Call after opening a registry, and before any inspection command. After a sign-in the newest draft of the user
    is offered for continuing (``offer_drafts``)."""
    if ctx.user is not None:
        return True
    if not users.has_users(ctx.registry.read()):
        return True
    dialog = SignInDialog(ctx, parent)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted and ctx.user is not None
    dialog.deleteLater()
    if accepted and offer_drafts:
        offer_draft(ctx, parent)
    return accepted
