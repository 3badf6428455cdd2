"""The bundle format (docs/bundle.md): kinds, tables, records as JSON Lines, the manifest and their JSON Schemas.

The schemas in docs/bundle/ are the contract between places. Records are checked with a validator compiled here
from those same schema files (the subset of JSON Schema they use), which is ~20× faster than ``jsonschema`` on
100k records; when a record fails, ``jsonschema`` itself names the problem. tests/test_sync_format.py checks that
both agree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from nibi_desk import paths
from nibi_desk.sync.merge import RowState, Version

FORMAT = "nibi-bundle"
FORMAT_VERSION = 1
SUFFIX = ".nibx"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
KINDS = ("dispatch", "return", "rollup", "backup")

# Versioned tables in the order they are applied (referenced rows first; the tasks ⇄ inspections cycle is resolved
# with deferred foreign keys inside the one transaction).
TABLES = ("users", "templates", "assets", "mounts", "plans", "photos", "inspections", "tasks", "defects", "evidence")
REFERENCE_TABLES = ("divisions", "devices")
LOCAL_ONLY = {"users": frozenset({"password_hash"})}  # never exported, never merged
SYSTEM_COLUMNS = frozenset({"seq", "id", "created_hlc", "field_hlc", "hlc"})

KIND_TABLES = {
    "dispatch": ("users", "templates", "assets", "mounts", "plans", "tasks", "photos", "defects", "evidence"),
    "return": ("assets", "mounts", "tasks", "inspections", "photos", "defects", "evidence"),
    "rollup": TABLES + ("divisions",),
    "backup": TABLES + REFERENCE_TABLES,
}

# field -> referenced table, per table (tests check these against the schema's foreign keys).
FOREIGN_KEYS = {
    "assets": {"type": "asset_types", "division": "divisions"},
    "mounts": {"carrier": "assets", "device": "assets"},
    "templates": {"asset_type": "asset_types"},
    "plans": {"inspector": "users"},
    "tasks": {"plan": "plans", "asset": "assets", "inspector": "users", "inspection": "inspections"},
    "inspections": {"asset": "assets", "task": "tasks", "template": "templates", "inspector": "users",
                    "corrects": "inspections"},
    "photos": {},
    "evidence": {"photo": "photos", "inspection": "inspections", "defect": "defects"},
    "defects": {"asset": "assets", "inspection": "inspections", "verified_by": "users"},
    "users": {},
}
# Columns that must be unique besides the id: two registries can create such rows independently.
UNIQUE_KEYS = {"photos": ("sha256",), "templates": ("family", "version"), "tasks": ("plan", "asset", "period")}
# The asset a row belongs to (its county and dispatch scope follow the asset's).
ASSET_OF = {"assets": "id", "mounts": "carrier", "tasks": "asset", "inspections": "asset", "defects": "asset"}

STAMP_RE = re.compile(r"^[0-9]{13}-[0-9]{5}-[0-9A-Za-z_]{1,64}$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Limits:
    """What a bundle may not exceed (refused as hostile beyond): sane for a province's rollup."""

    max_entries: int = 1_000_000
    max_total: int = 64 * 1024**3          # bytes, uncompressed
    max_file: int = 16 * 1024**3
    max_ratio: int = 200                   # uncompressed / compressed, for entries above ratio_floor bytes
    ratio_floor: int = 1024 * 1024
    max_manifest: int = 64 * 1024**2
    max_line: int = 4 * 1024**2            # one JSON record
    max_string: int = 1_000_000            # any string in a record


def exported_fields(conn, table: str) -> list[str]:
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    return [c for c in cols if c not in SYSTEM_COLUMNS and c not in LOCAL_ONLY.get(table, ())]


# -- records ---------------------------------------------------------------------------------------------------------
def to_record(row_id: str, state: RowState) -> dict:
    record: dict[str, Any] = {"id": row_id, "created_hlc": state.created,
                              "field_hlc": dict(sorted(state.stamps.items())),
                              "values": state.values}
    if state.vv:
        record["vv"] = state.vv
    if state.siblings:
        record["siblings"] = {k: [v.to_json() for v in vs] for k, vs in sorted(state.siblings.items())}
    return record


def to_state(record: dict) -> RowState:
    """A fresh state (nothing shared with the parsed record); most records carry neither vv nor siblings."""
    vv, siblings = record.get("vv"), record.get("siblings")
    return RowState(dict(record["values"]), record["created_hlc"], dict(record["field_hlc"]),
                    {k: dict(v) for k, v in vv.items()} if vv else {},
                    {k: sorted((Version.from_json(v) for v in vs), key=lambda v: (v.stamp, v.vv))
                     for k, vs in siblings.items()} if siblings else {})


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# -- schemas ---------------------------------------------------------------------------------------------------------
def schema_dir():
    return paths.docs_dir() / "bundle"


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """A schema of docs/bundle: "manifest" or a record table name."""
    path = schema_dir() / ("manifest.schema.json" if name == "manifest" else f"records/{name}.schema.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=None)
def validator(name: str):
    import jsonschema

    return jsonschema.Draft202012Validator(schema(name))


def first_error(name: str, obj: Any) -> str | None:
    """jsonschema's most relevant message for an invalid object (None when valid), with the path of the value."""
    import jsonschema

    error = jsonschema.exceptions.best_match(validator(name).iter_errors(obj))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path)
    message = error.message if len(error.message) <= 300 else error.message[:300] + "…"
    return f"{where}: {message}" if where else message


@lru_cache(maxsize=None)
def fast_check(name: str) -> Callable[[Any], bool]:
    """A yes/no check equivalent to the schema (for the keywords our schemas use), generated as Python source."""
    doc = schema(name)
    return _Generator(doc).function()


_ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "$comment"}
_KEYWORDS = {"type", "enum", "const", "maxLength", "minLength", "pattern", "minimum", "maximum", "required",
             "properties", "additionalProperties", "propertyNames", "maxProperties", "items", "minItems", "maxItems",
             "$ref", "oneOf"}
_TYPE_TESTS = {"string": "type({v}) is str", "null": "{v} is None", "object": "type({v}) is dict",
               "array": "type({v}) is list", "boolean": "type({v}) is bool",
               "number": "(type({v}) is int or type({v}) is float)",
               "integer": "(type({v}) is int or (type({v}) is float and {v}.is_integer()))"}


def _same(a: Any, b: Any) -> bool:
    return a == b and isinstance(a, bool) == isinstance(b, bool)


class _Generator:
    """Compiles a JSON Schema (our subset) into one Python function returning True when an instance is valid."""

    def __init__(self, root: dict):
        self.root = root
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {"_same": _same, "_re": re}
        self.n = 0

    def name(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def const(self, value: Any) -> str:
        key = self.name("K")
        self.constants[key] = value
        return key

    def function(self) -> Callable[[Any], bool]:
        self.lines = ["def check(v0):"]
        self.emit(self.root, "v0", 1)
        self.lines.append("    return True")
        namespace = dict(self.constants)
        exec("\n".join(self.lines), namespace)  # noqa: S102 - source generated from our own schema files
        return namespace["check"]

    def out(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def known(self, node: dict) -> frozenset:
        """The JSON types a node lets through (its own ``type``, or its ``$ref``'s): guards for others are moot."""
        kinds = frozenset(("string", "null", "object", "array", "boolean", "number", "integer"))
        if "$ref" in node:
            kinds &= self.known(self.root["$defs"][node["$ref"].removeprefix("#/$defs/")])
        if "type" in node:
            kinds &= frozenset(node["type"] if isinstance(node["type"], list) else [node["type"]])
        return kinds

    def guard(self, node: dict, v: str, depth: int, kinds: frozenset, test: str) -> int:
        """Open ``if <test>:`` unless the type check already ensures it; the depth for the guarded lines."""
        if self.known(node) <= kinds:
            return depth
        self.out(depth, f"if {test}:")
        return depth + 1

    def emit(self, node: dict, v: str, depth: int) -> None:  # noqa: C901 - one branch per keyword
        unknown = set(node) - _ANNOTATIONS - _KEYWORDS
        if unknown:
            raise NotImplementedError(sorted(unknown))
        if "$ref" in node:
            target = node["$ref"]
            if not target.startswith("#/$defs/"):
                raise NotImplementedError(target)
            self.emit(self.root["$defs"][target.removeprefix("#/$defs/")], v, depth)
        if "type" in node:
            kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
            self.out(depth, "if not (" + " or ".join(_TYPE_TESTS[k].format(v=v) for k in kinds) + "): return False")
        for key in ("enum", "const"):
            if key in node:
                options = node["enum"] if key == "enum" else [node["const"]]
                if all(isinstance(o, str) or o is None for o in options):
                    self.out(depth, f"if {v} not in {self.const(frozenset(options))}: return False")
                else:
                    k = self.const(list(options))
                    self.out(depth, f"if not any(_same({v}, o) for o in {k}): return False")
        if {"maxLength", "minLength", "pattern"} & set(node):
            d = self.guard(node, v, depth, frozenset({"string"}), f"type({v}) is str")
            if "maxLength" in node:
                self.out(d, f"if len({v}) > {int(node['maxLength'])}: return False")
            if "minLength" in node:
                self.out(d, f"if len({v}) < {int(node['minLength'])}: return False")
            if "pattern" in node:
                self.out(d, f"if {self.const(re.compile(node['pattern']))}.search({v}) is None: return False")
        if "minimum" in node or "maximum" in node:
            d = self.guard(node, v, depth, frozenset({"number", "integer"}),
                           f"(type({v}) is int or type({v}) is float)")
            if "minimum" in node:
                self.out(d, f"if {v} < {node['minimum']!r}: return False")
            if "maximum" in node:
                self.out(d, f"if {v} > {node['maximum']!r}: return False")
        if {"required", "properties", "additionalProperties", "propertyNames", "maxProperties"} & set(node):
            self.emit_object(node, v, self.guard(node, v, depth, frozenset({"object"}), f"type({v}) is dict"))
        if {"items", "minItems", "maxItems"} & set(node):
            d = self.guard(node, v, depth, frozenset({"array"}), f"type({v}) is list")
            if "minItems" in node:
                self.out(d, f"if len({v}) < {int(node['minItems'])}: return False")
            if "maxItems" in node:
                self.out(d, f"if len({v}) > {int(node['maxItems'])}: return False")
            if "items" in node:
                item = self.name("v")
                self.out(d, f"for {item} in {v}:")
                self.emit(node["items"], item, d + 1)
        if "oneOf" in node:
            options = [_Generator(self.root).sub(o) for o in node["oneOf"]]
            self.out(depth, f"if sum(1 for f in {self.const(options)} if f({v})) != 1: return False")

    def sub(self, node: dict) -> Callable[[Any], bool]:
        self.lines = ["def check(v0):"]
        self.emit(node, "v0", 1)
        self.lines.append("    return True")
        namespace = dict(self.constants)
        exec("\n".join(self.lines), namespace)  # noqa: S102
        return namespace["check"]

    def emit_object(self, node: dict, v: str, d: int) -> None:
        """The object keywords, for a value known to be a dict (keys checked with one set comparison each)."""
        props = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        required = node.get("required", ())
        if "maxProperties" in node:
            self.out(d, f"if len({v}) > {int(node['maxProperties'])}: return False")
        if required:
            self.out(d, f"if not {v}.keys() >= {self.const(frozenset(required))}: return False")
        if extra is False and "propertyNames" not in node:
            self.out(d, f"if not {v}.keys() <= {self.const(frozenset(props))}: return False")
        for key, rule in props.items():
            item = self.name("v")
            if key in required:
                self.out(d, f"{item} = {v}[{key!r}]")
                self.emit(rule, item, d)
            else:
                self.out(d, f"if {key!r} in {v}:")
                self.out(d + 1, f"{item} = {v}[{key!r}]")
                self.emit(rule, item, d + 1)
                self.out(d + 1, "pass")
        if "propertyNames" in node or isinstance(extra, dict):
            key, item = self.name("k"), self.name("v")
            self.out(d, f"for {key}, {item} in {v}.items():")
            if "propertyNames" in node:
                self.emit(node["propertyNames"], key, d + 1)
            if extra is False:
                self.out(d + 1, f"if {key} not in {self.const(frozenset(props))}: return False")
            elif isinstance(extra, dict):
                self.out(d + 1, f"if {key} not in {self.const(frozenset(props))}:")
                self.emit(extra, item, d + 2)
                self.out(d + 2, "pass")
            self.out(d + 1, "pass")


def check_strings(obj: Any, limit: int) -> bool:
    """No string anywhere in a parsed record is longer than ``limit`` characters."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if len(item) > limit:
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True
