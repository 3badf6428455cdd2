"""Why something is missing or suspicious: an English template plus parameters, translated only when shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nibi_desk.errors import field_title
from nibi_desk.i18n import _


@dataclass
class Reason:
    """Like :class:`nibi_desk.errors.Problem` without a field: kept as template + params so that a reason stored
    while the language was English still shows in Chinese after a switch (and can be saved as JSON)."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        # An "axis" parameter holds a field name ("lat", "alt"...) and is shown by its translated title.
        params = {k: field_title(v) if k == "axis" and isinstance(v, str) else v for k, v in self.params.items()}
        return _(self.template).format(**params)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly: the template and params (to store) plus the message in the current language (to show)."""
        return {"template": self.template, "params": dict(self.params), "message": self.message()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reason:
        return cls(data["template"], dict(data.get("params") or {}))

    def __str__(self) -> str:
        return self.message()


def reason(template: str, **params: Any) -> Reason:
    return Reason(template, params)
