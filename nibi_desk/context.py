"""The application context: the one object every command receives (registry, interaction, actor)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nibi_desk.interaction import HeadlessInteraction, Interaction
from nibi_desk.storage.registry import Registry


@dataclass
class Context:
    registry: Registry
    interaction: Interaction = field(default_factory=HeadlessInteraction)

    @property
    def actor(self) -> str | None:
        return self.registry.actor
