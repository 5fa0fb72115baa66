"""The editor's undo history: a run of typing in one box is one step (core/undo_history.py)."""

from __future__ import annotations

from runcompanion.core.undo_history import UndoHistory


def test_a_run_of_typing_is_one_step_and_ends_where_it_is_sealed() -> None:
    history = UndoHistory("Tempo")
    for typed in ("Tempo ", "Tempo d", "Tempo da", "Tempo day"):
        history.push(typed, typing=True)
    history.seal()  # the box lost the focus
    history.push("Tempo days", typing=True)
    assert history.undo() == "Tempo day"
    assert history.undo() == "Tempo"
    assert not history.can_undo()
    assert history.redo() == "Tempo day"
    history.push("Tempo dayz", typing=True)  # after a redo, typing begins a new step
    assert history.undo() == "Tempo day"


def test_other_changes_end_a_run_and_typing_back_to_its_start_leaves_no_step() -> None:
    history = UndoHistory("a")
    history.push("ab", typing=True)
    history.push("abX")  # not typing (a list change, say): a step of its own, and the run is over
    history.push("abXc", typing=True)
    assert [history.undo(), history.undo(), history.undo()] == ["abX", "ab", "a"]
    history.redo()
    history.push("abc", typing=True)
    history.push("ab", typing=True)  # typed back to where the run began (the box's own undo)
    assert history.current == "ab"
    assert history.undo() == "a"
    assert history.redo() == "ab"
    assert not history.can_redo()  # the typing that came back to "ab" left nothing behind
