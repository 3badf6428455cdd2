"""Checklist template documents: JSON Schema plus semantic validation, and the templates shipped in db/templates.

A document is one template version (db/templates/schema.json). What a schema cannot say is checked here: keys
unique, min <= max, options only on choice items and never empty, declared defect categories, something to score.
Every problem raises TemplateInvalid naming the file and the item.
"""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import jsonschema

from nibi_desk import paths
from nibi_desk.errors import TemplateInvalid, Where

KINDS = ("pass_fail", "number", "choice", "multi", "text", "photo")
SEVERITIES = ("general", "major", "critical")
NUMBER_KEYS = ("unit", "min", "max", "pass_min", "pass_max", "decimals")
# Identity of a document (which family, which version) lives in the templates table; the stored body is the rest.
IDENTITY_KEYS = ("$schema", "key", "version")
# Every registry derives the same ids for the shipped templates from their keys (uuid5 in this namespace).
NAMESPACE = uuid.UUID("6f1c2b1e-4a0e-5d7c-9a52-4e4942492d54")


def templates_dir() -> Path:
    return paths.db_dir() / "templates"


@lru_cache(maxsize=1)
def schema() -> dict:
    with open(templates_dir() / "schema.json", encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    return cls(schema())


def family_id(key: str) -> str:
    """The family id of a shipped (or keyed) template: the same in every registry."""
    return str(uuid.uuid5(NAMESPACE, f"template:{key}"))


def version_id(family: str, version: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"template:{family}:v{version}"))


def load_file(path: str | Path, asset_types: Iterable[str] | None = None) -> dict:
    """Read and validate a template file; the whole document (identity keys included) is returned."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise TemplateInvalid("Cannot read the template: {reason}", where=Where(file=path.name),
                              reason=e.strerror or str(e)) from e
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise TemplateInvalid("Not valid JSON at line {line}, column {column}: {reason}",
                              where=Where(file=path.name, row=e.lineno), line=e.lineno, column=e.colno,
                              reason=e.msg) from e
    return validate(doc, source=path.name, asset_types=asset_types)


def validate(doc: Any, source: str | None = None, asset_types: Iterable[str] | None = None) -> dict:
    """Check a template document (schema, then rules); return it unchanged or raise TemplateInvalid."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(doc))
    if error is not None:
        raise _schema_error(doc, error, source)
    _check_rules(doc, source, set(asset_types) if asset_types is not None else None)
    return doc


def body_of(doc: dict) -> dict:
    """The part of a document stored in templates.body (identity keys removed)."""
    return {k: v for k, v in doc.items() if k not in IDENTITY_KEYS}


def _item_at(doc: Any, path: list) -> str | None:
    """The key of the checklist item (or section) that a schema error's path goes through."""
    try:
        if len(path) >= 4 and path[0] == "sections" and path[2] == "items":
            return doc["sections"][path[1]]["items"][path[3]].get("key") or f"#{path[3] + 1}"
        if len(path) >= 2 and path[0] == "sections":
            return doc["sections"][path[1]].get("key") or f"#{path[1] + 1}"
    except (KeyError, IndexError, TypeError, AttributeError):
        pass
    return None


def _schema_error(doc: Any, error: jsonschema.ValidationError, source: str | None) -> TemplateInvalid:
    path = list(error.absolute_path)
    where = Where(file=source, field=_item_at(doc, path))
    at = "/".join(str(p) for p in path) or "/"
    if error.validator == "required":
        missing = next((name for name in error.validator_value if name not in (error.instance or {})), "")
        return TemplateInvalid("{path}: {name} is missing", where=where, path=at, name=missing)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return TemplateInvalid("{path}: unknown property {name}", where=where, path=at, name=", ".join(extra))
    if error.validator == "enum":
        return TemplateInvalid("{path}: {value} is not one of {choices}", where=where, path=at,
                               value=json.dumps(error.instance, ensure_ascii=False),
                               choices=", ".join(str(c) for c in error.validator_value))
    if error.validator == "pattern":
        return TemplateInvalid("{path}: {value} is not a valid key (lower-case ASCII letters, digits and _, "
                               "starting with a letter)", where=where, path=at, value=error.instance)
    return TemplateInvalid("{path}: {reason}", where=where, path=at, reason=error.message)


def _check_rules(doc: dict, source: str | None, asset_types: set[str] | None) -> None:
    def _fail(template: str, item: str | None = None, **params) -> None:
        raise TemplateInvalid(template, where=Where(file=source, field=item), **params)

    if asset_types is not None and doc["asset_type"] not in asset_types:
        _fail("Unknown asset type {type}", type=doc["asset_type"])
    categories = doc.get("categories", {})
    sections, items, scored = set(), set(), 0
    for section in doc["sections"]:
        if section["key"] in sections:
            _fail("Section key {key} is used twice", section["key"], key=section["key"])
        sections.add(section["key"])
        for item in section["items"]:
            key, kind = item["key"], item["kind"]
            if key in items:
                _fail("Item key {key} is used twice", key, key=key)
            items.add(key)
            if kind in ("choice", "multi"):
                options = item.get("options") or []
                if not options:
                    _fail("A {kind} item needs at least one option", key, kind=kind)
                values = [o["value"] for o in options]
                if len(set(values)) != len(values):
                    _fail("Option values must be unique", key)
                if kind == "choice" and all(o.get("fails") for o in options):
                    _fail("Every option fails: the item could never pass", key)
            elif "options" in item:
                _fail("Only choice and multi items have options, not {kind}", key, kind=kind)
            if kind != "number" and any(k in item for k in NUMBER_KEYS):
                _fail("Only number items have a unit, range or decimals, not {kind}", key, kind=kind)
            for low, high in (("min", "max"), ("pass_min", "pass_max")):
                if low in item and high in item and item[low] > item[high]:
                    _fail("{low} {a} is greater than {high} {b}", key, low=low, high=high, a=item[low], b=item[high])
            if "pass_min" in item and "max" in item and item["pass_min"] > item["max"]:
                _fail("pass_min {a} is above max {b}: the item could never pass", key, a=item["pass_min"],
                     b=item["max"])
            if "pass_max" in item and "min" in item and item["pass_max"] < item["min"]:
                _fail("pass_max {a} is below min {b}: the item could never pass", key, a=item["pass_max"],
                     b=item["min"])
            category = item.get("defect_category")
            if category is not None and category not in categories:
                _fail("Defect category {category} is not declared in categories", key, category=category)
            if kind != "text" and item.get("weight", 1) > 0:
                scored += 1
    if not scored:
        _fail("No item has a weight: the score could not be computed")


@lru_cache(maxsize=1)
def shipped() -> tuple[dict, ...]:
    """The default templates of db/templates (validated), in file-name order."""
    from nibi_desk.storage.reference import asset_types_document

    types = [t["code"] for t in asset_types_document()["types"]]
    docs = []
    for path in sorted(templates_dir().glob("*.json")):
        if path.name == "schema.json":
            continue
        doc = load_file(path, asset_types=types)
        if "key" not in doc or "version" not in doc:
            raise TemplateInvalid("A shipped template needs a key and a version", where=Where(file=path.name))
        docs.append(doc)
    return tuple(docs)
