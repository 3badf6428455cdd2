"""The GUI's application context: the core Context plus settings, the task runner and change notifications."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from nibi_desk.context import Context
from nibi_desk.interaction import Interaction
from nibi_desk.storage.registry import Registry
from nibi_desk.storage.writer import Changed


class Notifier(QObject):
    """Re-posts the writer's commit notifications (writer thread) to the main thread as a Qt signal."""

    registry_changed = Signal(object)  # a storage.writer.Changed


class AppContext(Context):
    """Passed to every widget, controller and command of the GUI (no singletons)."""

    def __init__(self, registry: Registry, interaction: Interaction, tasks, settings):
        super().__init__(registry, interaction)
        self.tasks = tasks
        self.settings = settings
        self.notifier = Notifier()
        # Signals emitted from the writer thread are queued to the notifier's (main) thread automatically.
        self._listener = lambda changed: self.notifier.registry_changed.emit(changed)
        registry.writer.listeners.append(self._listener)

    def close(self) -> None:
        if self._listener in self.registry.writer.listeners:
            self.registry.writer.listeners.remove(self._listener)
        self.tasks.close()
        self.tasks.wait(10000)
        self.registry.close()


__all__ = ["AppContext", "Changed", "Notifier"]
