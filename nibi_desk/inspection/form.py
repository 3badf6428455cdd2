"""The inspection form, generated from a template body: fields, answer parsing, rules, score and result (pure).

Answers are stored as ``{item key: {"value": ..., "note": ..., "na": true}}``. Two kinds of trouble are told apart:
a value that cannot be stored at all (a word in a number field, an unknown option) raises ValidationError at once;
a stored answer that breaks a rule (required item empty, number out of range, photo missing) is a Problem that
the form shows while the inspector works and that blocks submitting.

Score = 100 × Σ weight of passed items / Σ weight of passed and failed items (unanswered, not-applicable and text
items do not count); None when nothing scored was answered. Result: ``unreachable`` when a reason is given,
else ``defects`` when any item failed, else ``normal``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

from nibi_desk.errors import Problem, ValidationError, Where
from nibi_desk.i18n import language

PASS, FAIL, NA, INFO = "pass", "fail", "na", "info"
RESULTS = ("normal", "defects", "unreachable")
_TRUE = {"1", "true", "yes", "y", "pass", "ok", "是", "合格", "正常", "通过", "√"}
_FALSE = {"0", "false", "no", "n", "fail", "否", "不合格", "异常", "不通过", "×"}


def label_text(label: Mapping[str, str] | None, lang: str | None = None) -> str:
    if not label:
        return ""
    return label.get(lang or language()) or label.get("zh_CN") or next(iter(label.values()))


@dataclass(frozen=True)
class Option:
    value: str
    label: dict
    fails: bool = False

    def title(self, lang: str | None = None) -> str:
        return label_text(self.label, lang)


@dataclass(frozen=True)
class Field:
    """One checklist item as the form shows it. ``needs_photo``: answering is not complete without a photo."""

    key: str
    kind: str
    label: dict
    section: str
    section_label: dict
    required: bool = True
    allow_na: bool = False
    weight: float = 1
    severity_hint: str = "general"
    defect_category: str | None = None
    photo_required: bool = False
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    pass_min: float | None = None
    pass_max: float | None = None
    decimals: int | None = None
    options: tuple[Option, ...] = ()
    help: dict | None = None

    def title(self, lang: str | None = None) -> str:
        return label_text(self.label, lang)

    def help_text(self, lang: str | None = None) -> str:
        return label_text(self.help, lang)

    @property
    def needs_photo(self) -> bool:
        return self.photo_required or self.kind == "photo"

    @property
    def scored(self) -> bool:
        return self.kind != "text" and self.weight > 0

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    # -- values ------------------------------------------------------------------------------------------------
    def parse(self, value: Any) -> Any:
        """Normalise a raw value for storage (None = no answer); ValidationError if it cannot be stored."""
        if value is None or value == "" or (self.kind != "multi" and value == []):
            return None
        where = Where(field=self.key)
        if self.kind == "pass_fail":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE or text in _FALSE:
                return text in _TRUE
            raise ValidationError("{label}: answer pass or fail, not {value}", where=where, label=self.title(),
                                  value=value)
        if self.kind == "number":
            try:
                number = float(str(value).strip().replace(",", "")) if not isinstance(value, (int, float)) \
                    else float(value)
            except ValueError:
                number = math.nan
            if isinstance(value, bool) or not math.isfinite(number):
                raise ValidationError("{label}: {value} is not a number", where=where, label=self.title(), value=value)
            return round(number, self.decimals) if self.decimals is not None else number
        if self.kind in ("choice", "multi"):
            values = [value] if self.kind == "choice" else (
                list(value) if isinstance(value, (list, tuple)) else [v.strip() for v in str(value).split(",") if v])
            bad = [str(v) for v in values if self.option(v) is None]
            if bad or (self.kind == "choice" and len(values) != 1):
                raise ValidationError("{label}: {value} is not one of {choices}", where=where, label=self.title(),
                                      value=", ".join(bad) or str(value),
                                      choices=", ".join(o.value for o in self.options))
            return values[0] if self.kind == "choice" else list(dict.fromkeys(values))
        if self.kind == "text":
            return str(value).strip() or None
        return None  # a photo item is answered by its photos

    def outcome(self, answer: Mapping | None, photos: int = 0) -> str | None:
        """pass, fail, na, info (text) or None (not answered, or not valid)."""
        answer = answer or {}
        if answer.get("na"):
            return NA
        value = answer.get("value")
        if self.kind == "photo":
            return PASS if photos else None
        if value is None:
            return None
        if self.kind == "text":
            return INFO
        if self.kind == "pass_fail":
            return PASS if value else FAIL
        if self.kind == "number":
            if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
                return None
            failed = (self.pass_min is not None and value < self.pass_min) or \
                     (self.pass_max is not None and value > self.pass_max)
            return FAIL if failed else PASS
        chosen = [value] if self.kind == "choice" else value
        return FAIL if any(self.option(v) is not None and self.option(v).fails for v in chosen) else PASS

    def problems(self, answer: Mapping | None, photos: int = 0) -> list[Problem]:
        answer = answer or {}
        value, label = answer.get("value"), self.title()
        if answer.get("na"):
            return []
        if self.kind == "photo":
            return [] if photos or not self.required else [Problem(self.key, "{label}: attach a photo",
                                                                   {"label": label})]
        if value is None:
            return [Problem(self.key, "{label} is required", {"label": label})] if self.required else []
        out = []
        if self.kind == "number" and ((self.min is not None and value < self.min) or
                                      (self.max is not None and value > self.max)):
            out.append(Problem(self.key, "{label} must be between {min} and {max} {unit}, got {value}",
                               {"label": label, "min": _num(self.min), "max": _num(self.max), "unit": self.unit or "",
                                "value": _num(value)}))
        if self.photo_required and not photos:
            out.append(Problem(self.key, "{label}: attach a photo", {"label": label}))
        return out


def _num(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass
class Evaluation:
    """What the form says about a set of answers (recomputed after every change; cheap)."""

    outcomes: dict[str, str | None]
    problems: list[Problem]
    score: float | None
    result: str
    failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # items waiting for a photo
    answered: int = 0
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_of(self, key: str) -> list[Problem]:
        return [p for p in self.problems if p.field == key]


@dataclass(frozen=True)
class Form:
    name: dict
    asset_type: str
    fields: tuple[Field, ...]
    sections: tuple[tuple[str, dict, tuple[Field, ...]], ...]
    categories: dict
    signature_required: bool = True
    template_id: str | None = None

    @classmethod
    def from_body(cls, body: Mapping, template_id: str | None = None) -> Form:
        sections, fields = [], []
        for section in body["sections"]:
            items = tuple(Field(
                key=i["key"], kind=i["kind"], label=i["label"], section=section["key"],
                section_label=section["label"], required=i.get("required", True), allow_na=i.get("allow_na", False),
                weight=i.get("weight", 1), severity_hint=i.get("severity_hint", "general"),
                defect_category=i.get("defect_category"), photo_required=i.get("photo_required", False),
                unit=i.get("unit"), min=i.get("min"), max=i.get("max"), pass_min=i.get("pass_min"),
                pass_max=i.get("pass_max"), decimals=i.get("decimals"), help=i.get("help"),
                options=tuple(Option(o["value"], o["label"], o.get("fails", False)) for o in i.get("options", ())))
                for i in section["items"])
            sections.append((section["key"], section["label"], items))
            fields.extend(items)
        return cls(body["name"], body["asset_type"], tuple(fields), tuple(sections), dict(body.get("categories", {})),
                   body.get("signature_required", True), template_id)

    def title(self, lang: str | None = None) -> str:
        return label_text(self.name, lang)

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise ValidationError("The checklist has no item {key}", where=Where(field=key), key=key)

    def category_title(self, key: str | None, lang: str | None = None) -> str:
        return label_text(self.categories.get(key), lang) if key else ""

    def answer(self, key: str, value: Any = None, note: str | None = None, na: bool = False) -> dict | None:
        """A stored answer for one item (None when there is nothing to keep)."""
        f = self.field(key)
        if na and not f.allow_na:
            raise ValidationError("{label} cannot be marked not applicable", where=Where(field=key), label=f.title())
        out: dict[str, Any] = {}
        parsed = None if na else f.parse(value)
        if parsed is not None:
            out["value"] = parsed
        if na:
            out["na"] = True
        if note and str(note).strip():
            out["note"] = str(note).strip()
        return out or None

    def evaluate(self, answers: Mapping[str, Mapping], photos: Mapping[str, int] | None = None,
                 unreachable_reason: str | None = None) -> Evaluation:
        """Outcomes, problems, score and result. ``photos``: number of photos attached per item key."""
        photos = photos or {}
        outcomes = {f.key: f.outcome(answers.get(f.key), photos.get(f.key, 0)) for f in self.fields}
        answered = sum(1 for o in outcomes.values() if o is not None)
        if unreachable_reason is not None:
            problems = [] if unreachable_reason.strip() else [
                Problem("unreachable_reason", "Say why the asset could not be reached")]
            return Evaluation(outcomes, problems, None, "unreachable", answered=answered, total=len(self.fields))
        problems = [p for f in self.fields for p in f.problems(answers.get(f.key), photos.get(f.key, 0))]
        passed = sum(f.weight for f in self.fields if f.scored and outcomes[f.key] == PASS)
        failed_weight = sum(f.weight for f in self.fields if f.scored and outcomes[f.key] == FAIL)
        score = round(100 * passed / (passed + failed_weight), 1) if passed + failed_weight else None
        failed = [f.key for f in self.fields if outcomes[f.key] == FAIL]
        blocked = [f.key for f in self.fields if f.needs_photo and not photos.get(f.key)
                   and outcomes[f.key] != NA and (f.required or outcomes[f.key] is not None)]
        return Evaluation(outcomes, problems, score, "defects" if failed else "normal", failed, blocked, answered,
                          len(self.fields))
