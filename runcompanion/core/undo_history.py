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
    _typing: bool = False  # the last push began or continued a run of typing

    def push(self, value: T, *, typing: bool = False) -> None:
        """``value`` as a new step. With ``typing`` it is part of a run of typing in one text box, which is one
        step as a whole: undo takes back the run, not its last letter. The run ends at ``seal`` (the box lost
        the focus), at any push without ``typing``, and at undo or redo."""
        if value == self.current:
            return
        self._redo.clear()
        if typing and self._typing:
            if self._undo and value == self._undo[-1]:  # typed back to where the run began: no step left
                self._undo.pop()
                self._typing = False
            self.current = value
            return
        self._undo.append(self.current)
        del self._undo[: -self.limit]
        self.current = value
        self._typing = typing

    def seal(self) -> None:
        """End a run of typing: the next change is a step of its own."""
        self._typing = False

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> T:
        self._typing = False
        if self._undo:
            self._redo.append(self.current)
            self.current = self._undo.pop()
        return self.current

    def redo(self) -> T:
        self._typing = False
        if self._redo:
            self._undo.append(self.current)
            self.current = self._redo.pop()
        return self.current
