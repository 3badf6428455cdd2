"""Why a bundle is refused: the messages (what, with the entry and record line as where) and the exceptions that
carry them, shared by the reader (:mod:`.reader`) and the file stager (:mod:`.staging`)."""

from __future__ import annotations

from nibi_desk.errors import ImportFailed, Where
from nibi_desk.i18n import N_

E_NOT_ZIP = N_("This file is not a bundle (not a zip archive)")
E_ABSOLUTE = N_("The bundle holds an absolute path")
E_PARENT = N_("The bundle holds a path with '..'")
E_BAD_NAME = N_("The bundle holds an entry with an unusable name")
E_DIRECTORY = N_("The bundle holds a folder entry, which bundles never have")
E_SYMLINK = N_("The bundle holds a symbolic link")
E_ENCRYPTED = N_("The bundle holds an encrypted entry")
E_DUPLICATE = N_("The bundle holds the same name twice")
E_TOO_MANY = N_("The bundle holds {count} entries, more than the limit of {limit}")
E_NO_MANIFEST = N_("The bundle has no manifest")
E_NO_SIGNATURE = N_("The bundle has no signature")
E_MANIFEST_JSON = N_("The manifest is not valid JSON")
E_NOT_NIBI = N_("This zip archive is not a NIBI bundle")
E_VERSION = N_("Unknown bundle format version {version}; this program reads version {supported}")
E_MANIFEST = N_("The manifest is invalid: {error}")
E_NOT_LISTED = N_("The bundle holds an entry that is not in the manifest")
E_MISSING = N_("A file listed in the manifest is missing from the bundle")
E_LISTED_TWICE = N_("The manifest lists the same file twice")
E_SIZE = N_("The size differs from the manifest ({actual} bytes, manifest says {declared})")
E_HASH = N_("The SHA-256 differs from the manifest")
E_BOMB = N_("The entry expands {ratio}× when unpacked, beyond the limit of {limit}× (a zip bomb?)")
E_TOO_BIG = N_("The bundle unpacks to {size} bytes, beyond the limit of {limit}")
E_DISK = N_("Not enough free disk space to check the bundle: it needs {needed} bytes, {free} are free")
E_CORRUPT = N_("The entry is damaged: {error}")
E_BAD_SIGNATURE = N_("The signature does not match the manifest: the bundle was changed or damaged")
E_TABLE_KIND = N_("A {kind} bundle may not carry {table}")
E_LINE_LONG = N_("The record is longer than {limit} bytes")
E_LINE_JSON = N_("The record is not valid JSON")
E_RECORD = N_("The record is invalid: {error}")
E_STRING = N_("The record holds a string longer than {limit} characters")
E_DUPLICATE_ID = N_("The record id {id} appears twice")
E_COUNT = N_("The manifest counts {declared} records of {table}, the file has {actual}")
E_PHOTO_NAME = N_("A photo's name is not its SHA-256")


class BundleRefused(ImportFailed):
    """The bundle cannot be used; nothing was written outside the staging folder (which is removed)."""

    template = "The bundle was refused"


class BundleCancelled(Exception):
    """The caller stopped the check; the staging folder was removed."""


def refuse(template: str, entry: str | None = None, line: int | None = None, **params) -> BundleRefused:
    return BundleRefused(template, where=Where(file=entry, row=line), **params)
