"""The one port through which the program asks or tells the user anything; headless by default (CLI, tests)."""

from __future__ import annotations

import sys
from typing import Protocol


class Interaction(Protocol):
    def confirm(self, title: str, text: str, default: bool = False) -> bool: ...
    def info(self, title: str, text: str) -> None: ...
    def warn(self, title: str, text: str) -> None: ...
    def error(self, title: str, text: str, details: str = "") -> None: ...


class HeadlessInteraction:
    """Prints messages to stderr and answers questions with their default (or a fixed answer for tests)."""

    def __init__(self, answer: bool | None = None, stream=None):
        self.answer = answer
        self.stream = stream or sys.stderr
        self.messages: list[tuple[str, str, str]] = []

    def confirm(self, title: str, text: str, default: bool = False) -> bool:
        self.messages.append(("confirm", title, text))
        return default if self.answer is None else self.answer

    def info(self, title: str, text: str) -> None:
        self._say("info", title, text)

    def warn(self, title: str, text: str) -> None:
        self._say("warn", title, text)

    def error(self, title: str, text: str, details: str = "") -> None:
        self._say("error", title, text + (f"\n{details}" if details else ""))

    def _say(self, kind: str, title: str, text: str) -> None:
        self.messages.append((kind, title, text))
        print(f"{title}: {text}", file=self.stream)
