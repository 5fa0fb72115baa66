"""Undo and redo over immutable values (the session editor's drafts): a value per step, newest last.

Pure; one thread at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(slots=True)
class UndoHistory(Generic[T]):
    """The value now, the ones before it (undo) and the ones undone (redo). Equal values are not steps."""

    current: T
    _undo: list[T] = field(default_factory=list)
    _redo: list[T] = field(default_factory=list)
    limit: int = 200

    def push(self, value: T) -> None:
        if value == self.current:
            return
        self._undo.append(self.current)
        del self._undo[: -self.limit]
        self._redo.clear()
        self.current = value

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> T:
        if self._undo:
            self._redo.append(self.current)
            self.current = self._undo.pop()
        return self.current

    def redo(self) -> T:
        if self._redo:
            self._undo.append(self.current)
            self.current = self._redo.pop()
        return self.current
