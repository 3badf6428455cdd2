"""The application context: the one object every command receives (registry, interaction, actor, signed-in user)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nibi_desk.interaction import HeadlessInteraction, Interaction
from nibi_desk.storage.registry import Registry

if TYPE_CHECKING:
    from nibi_desk.inspection.users import Session


@dataclass
class Context:
    registry: Registry
    interaction: Interaction = field(default_factory=HeadlessInteraction)
    user: Session | None = None  # the signed-in user (nibi_desk.inspection.users.sign_in); commands check its role

    @property
    def actor(self) -> str | None:
        return self.registry.actor
