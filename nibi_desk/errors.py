"""Typed exceptions of the core: each says what went wrong and where (file, row, field), translated when shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nibi_desk.i18n import N_, _

# Titles of the fields that messages name (English sources, translated when shown); unknown names show as they are.
FIELD_TITLES = {
    "type": N_("type"), "code": N_("code"), "name": N_("name"), "division": N_("division"),
    "address": N_("address"), "lon": N_("longitude"), "lat": N_("latitude"), "alt": N_("altitude"),
    "longitude": N_("longitude"), "latitude": N_("latitude"), "status": N_("status"), "owner": N_("owner unit"),
    "operator": N_("operator"), "notes": N_("notes"), "attrs": N_("attributes"), "gb28181_id": N_("GB/T 28181 ID"),
    "level": N_("level"), "crs": N_("coordinate system"), "carrier": N_("carrier"), "device": N_("device"),
}


def field_title(name: str) -> str:
    if name.startswith("attrs."):
        return name.partition(".")[2]
    title = FIELD_TITLES.get(name)
    return _(title) if title else name


@dataclass
class Where:
    """Where a problem is: any of file, row (1-based, as a person counts), field, record id."""

    file: str | None = None
    row: int | None = None
    field: str | None = None
    record: str | None = None

    def describe(self) -> str:
        parts = []
        if self.file:
            parts.append(_("file {file}").format(file=self.file))
        if self.row is not None:
            parts.append(_("row {row}").format(row=self.row))
        if self.field:
            parts.append(_("field {field}").format(field=field_title(self.field)))
        if self.record:
            parts.append(_("record {record}").format(record=self.record))
        return _(", ").join(parts)


class NibiError(Exception):
    """Base of every error the core raises on purpose.

    ``template`` is an English source string with ``{name}`` placeholders; it is translated when the error is
    shown, so an error raised while the language is English still shows in Chinese after a switch.
    """

    template = "Error"

    def __init__(self, template: str | None = None, where: Where | None = None, **params: Any):
        self.template = template or self.template
        self.where = where or Where()
        self.params = params
        super().__init__(self.message())

    def message(self) -> str:
        text = _(self.template).format(**self.params)
        where = self.where.describe()
        return _("{where}: {text}").format(where=where, text=text) if where else text

    def __str__(self) -> str:
        return self.message()


class ValidationError(NibiError):
    """A value is not acceptable (bad code, coordinate out of range, unknown type...)."""

    template = "Invalid value"


@dataclass
class Problem:
    """One problem found while validating a record (used when several are collected before raising)."""

    field: str
    template: str
    params: dict = field(default_factory=dict)

    def message(self) -> str:
        return _(self.template).format(**self.params)


class RecordInvalid(ValidationError):
    """A record failed validation; ``problems`` lists every field that is wrong."""

    def __init__(self, problems: list[Problem], where: Where | None = None):
        self.problems = problems
        super().__init__("{details}", where=where, details="")

    def message(self) -> str:
        # Built when shown, not when raised, so that it follows a language switch like every other error.
        text = _("; ").join(f"{field_title(p.field)}: {p.message()}" for p in self.problems)
        where = self.where.describe()
        return _("{where}: {text}").format(where=where, text=text) if where else text


class NotFound(NibiError):
    template = "Not found"


class ImportFailed(NibiError):
    """A file could not be imported; nothing was written."""

    template = "Import failed"


class RegistryError(NibiError):
    """The registry file cannot be opened or is not a NIBI registry."""

    template = "Registry error"


class ResourceMissing(NibiError):
    template = "Resource missing"


class PermissionDenied(NibiError):
    """The signed-in user's role does not allow the action (role rules are enforced in the core, not by the GUI)."""

    template = "Permission denied"


class TransitionRefused(NibiError):
    """A record cannot move to the requested state from the one it is in (submitted inspection, defect loop...)."""

    template = "This change is not allowed in the record's current state"


class TemplateInvalid(ValidationError):
    """A checklist template file or body breaks its schema or a rule (the message names the file and the item)."""

    template = "Invalid checklist template"


class SignInFailed(NibiError):
    template = "Wrong login or password"
