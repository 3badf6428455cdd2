"""Asset types as data: each type's business-code rule and attribute schema, and validation against them."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from nibi_desk.errors import Problem
from nibi_desk.i18n import language

ATTRIBUTE_KINDS = ("text", "int", "float", "bool", "date", "enum", "multi")


def _label(labels: dict[str, str] | str, lang: str | None = None) -> str:
    if isinstance(labels, str):
        return labels
    lang = lang or language()
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()))


@dataclass(frozen=True)
class Attribute:
    key: str
    label: dict[str, str]
    kind: str
    required: bool = False
    values: tuple[str, ...] = ()
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    min: float | None = None
    max: float | None = None
    unit: str | None = None

    def title(self, lang: str | None = None) -> str:
        return _label(self.label, lang)

    def value_title(self, value: str, lang: str | None = None) -> str:
        return _label(self.value_labels.get(value, value), lang)

    def check(self, value: Any) -> tuple[Any, Problem | None]:
        """Normalise one value; return (value, None) or (None, problem)."""
        key = f"attrs.{self.key}"
        if value is None or value == "" or value == []:
            return None, (Problem(key, "{label} is required", {"label": self.title()}) if self.required else None)
        try:
            if self.kind == "text":
                return str(value).strip(), None
            if self.kind == "bool":
                if isinstance(value, bool):
                    return value, None
                text = str(value).strip().lower()
                if text in ("1", "true", "yes", "y", "是", "在线", "有"):
                    return True, None
                if text in ("0", "false", "no", "n", "否", "离线", "无"):
                    return False, None
                raise ValueError(value)
            if self.kind in ("int", "float"):
                number = int(value) if self.kind == "int" and not isinstance(value, float) else float(value)
                if self.kind == "int" and number != int(float(value)):
                    raise ValueError(value)
                if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
                    return None, Problem(key, "{label} must be between {min} and {max} {unit}, got {value}",
                                         {"label": self.title(), "min": self.min, "max": self.max,
                                          "unit": self.unit or "", "value": value})
                return number, None
            if self.kind == "date":
                return dt.date.fromisoformat(str(value).strip()).isoformat(), None
            if self.kind == "enum":
                if value not in self.values:
                    return None, Problem(key, "{label}: {value} is not one of {choices}",
                                         {"label": self.title(), "value": value, "choices": ", ".join(self.values)})
                return value, None
            if self.kind == "multi":
                items = value if isinstance(value, (list, tuple)) else [v.strip() for v in str(value).split(",")]
                bad = [v for v in items if v not in self.values]
                if bad:
                    return None, Problem(key, "{label}: {value} is not one of {choices}",
                                         {"label": self.title(), "value": ", ".join(bad),
                                          "choices": ", ".join(self.values)})
                return sorted(set(items), key=self.values.index), None
        except (TypeError, ValueError):
            pass
        return None, Problem(key, "{label}: {value} is not a valid {kind}",
                             {"label": self.title(), "value": value, "kind": self.kind})


@dataclass(frozen=True)
class AssetType:
    code: str
    name_zh: str
    name_en: str
    code_rule: dict
    attributes: tuple[Attribute, ...]

    def title(self, lang: str | None = None) -> str:
        return self.name_zh if (lang or language()) == "zh_CN" else self.name_en

    def code_title(self, lang: str | None = None) -> str:
        return _label(self.code_rule.get("label", {"zh_CN": "编码", "en": "Code"}), lang)

    def attribute(self, key: str) -> Attribute | None:
        return next((a for a in self.attributes if a.key == key), None)

    def check_attrs(self, attrs: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        problems: list[Problem] = []
        known = {a.key for a in self.attributes}
        for key in sorted(set(attrs) - known):
            problems.append(Problem(f"attrs.{key}", "{type} has no attribute {key}", {"type": self.title(),
                                                                                      "key": key}))
        result = {}
        for attribute in self.attributes:
            value, problem = attribute.check(attrs.get(attribute.key))
            if problem:
                problems.append(problem)
            elif value is not None:
                result[attribute.key] = value
        return result, problems

    def check_code(self, code: str | None) -> Problem | None:
        """Pattern rule for codes (the GB/T 28181 format is checked by the caller, which knows the county)."""
        pattern = self.code_rule.get("pattern")
        if code and pattern and not re.fullmatch(pattern, code):
            return Problem("code", "{label} {code} does not match the rule {pattern}",
                           {"label": self.code_title(), "code": code, "pattern": pattern})
        return None


def from_row(code: str, name_zh: str, name_en: str, schema_json: str) -> AssetType:
    schema = json.loads(schema_json)
    attributes = tuple(
        Attribute(
            key=a["key"], label=a["label"], kind=a["type"], required=a.get("required", False),
            values=tuple(v["value"] for v in a.get("values", ())),
            value_labels={v["value"]: v["label"] for v in a.get("values", ())},
            min=a.get("min"), max=a.get("max"), unit=a.get("unit"),
        )
        for a in schema.get("attributes", ())
    )
    for a in attributes:
        if a.kind not in ATTRIBUTE_KINDS:
            raise ValueError(f"asset type {code}: attribute {a.key} has unknown kind {a.kind}")
    return AssetType(code, name_zh, name_en, schema.get("code_rule", {}), attributes)


def load(conn) -> dict[str, AssetType]:
    return {r[0]: from_row(*r) for r in conn.execute(
        "SELECT code, name_zh, name_en, schema FROM asset_types ORDER BY sort, code")}
