"""Every English message template of the Qt-free core has a Simplified Chinese translation with the same placeholders.

Templates are collected from the source with ``ast`` (no import needed):

* the first string argument of ``_(...)`` and ``N_(...)``;
* the first positional string argument of calls to ``...Error``, ``...Failed``, ``...NotFound``, ``...Invalid``,
  ``...Denied``, ``...Refused``,
  ``Problem`` and ``_fail`` (errors keep the English template and translate it when shown);
* ``template=`` keyword strings of any call, and ``Problem(field, template, ...)`` whose template is the second
  positional argument.

Exceptions that are programming errors (``ValueError``, ``TypeError``, ``FileNotFoundError``...) are not messages
for the user and are skipped, as are f-strings (not translatable as a key).
"""

from __future__ import annotations

import ast
import builtins
import re
import string
from pathlib import Path

import pytest

from nibi_desk import i18n

PACKAGE = Path(__file__).resolve().parent.parent / "nibi_desk"
SUFFIXES = ("Error", "Failed", "NotFound", "Invalid", "Denied", "Refused")
NAMES = {"Problem", "_fail"}
# Built-in exceptions carry messages for developers, not for users: they are never shown through the catalog.
BUILTIN_EXCEPTIONS = frozenset(dir(builtins))


def _func_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_message_call(name: str) -> bool:
    if name in NAMES:
        return True
    return name.endswith(SUFFIXES) and name not in BUILTIN_EXCEPTIONS


def source_files() -> list[Path]:
    gui = PACKAGE / "gui"
    return sorted(p for p in PACKAGE.rglob("*.py") if gui not in p.parents)


def collect_templates() -> dict[str, list[str]]:
    """{template: ["path:line", ...]} over the core (everything but nibi_desk/gui)."""
    found: dict[str, list[str]] = {}

    def add(text: str | None, path: Path, node: ast.AST) -> None:
        if text:  # an empty string is not a message
            found.setdefault(text, []).append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")

    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _func_name(node)
            for kw in node.keywords:
                if kw.arg == "template":
                    add(_string(kw.value), path, node)
            if name is None:
                continue
            if name in ("_", "N_"):
                if node.args:
                    add(_string(node.args[0]), path, node)
            elif name == "Problem":
                # Problem(field, template, params): the template is the second argument.
                if len(node.args) >= 2:
                    add(_string(node.args[1]), path, node)
            elif _is_message_call(name):
                if node.args:
                    add(_string(node.args[0]), path, node)
    return found


def placeholders(text: str) -> set[str]:
    names = set()
    for _literal, field, _spec, _conv in string.Formatter().parse(text):
        if field is not None:
            names.add(re.split(r"[.\[!:]", field, maxsplit=1)[0])
    return names


def test_collector_finds_known_templates():
    """The collector itself works: a few templates known to be in the core are found."""
    found = collect_templates()
    assert "Division code {code} must have 6, 9 or 12 digits" in found          # ValidationError(...)
    assert "The file has no divisions of county {county}" in found              # ImportFailed(...)
    assert "{path} already exists; open it or choose another file name" in found  # RegistryError(...)
    assert "Unknown field {field}" in found                                     # Problem(key, template, ...)
    assert "file {file}" in found                                               # _(...)
    assert "GB/T 28181 ID is empty" in found                                    # N_(...)
    assert len(found) > 100


def test_placeholder_helper():
    assert placeholders("{a} and {b:>3} and {c!r} {{literal}}") == {"a", "b", "c"}


def test_catalog_values_keep_the_placeholders_of_their_keys():
    bad = {k: v for k, v in i18n.catalog("zh_CN").items() if placeholders(k) != placeholders(v)}
    assert not bad, f"translations whose placeholders differ from the source: {bad}"



def test_every_core_template_has_a_zh_cn_translation():
    catalog = i18n.catalog("zh_CN")
    missing = {t: where for t, where in collect_templates().items() if t not in catalog}
    report = "\n".join(f"  {t!r}  ({', '.join(w)})" for t, w in sorted(missing.items()))
    assert not missing, f"{len(missing)} core messages have no zh_CN translation:\n{report}"
