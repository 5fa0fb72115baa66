"""The journal's detail pane never shows an entry that is no longer in the list."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from runcompanion.ui.shell.gui_app import GuiApp
from tests.gui.test_journal_screen import journal  # noqa: F401 (the fixture)


def _showing_sam(page: object) -> bool:
    return "Ran with Sam" in page.detail_text.text()  # type: ignore[attr-defined]


def test_after_delete_the_pane_is_empty_and_its_buttons_off(qtbot: QtBot, journal: GuiApp) -> None:  # noqa: F811
    page = journal.pages.journal
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: _showing_sam(page) and page.delete_button.isEnabled(), timeout=5_000)
    page.delete_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5_000)
    assert not _showing_sam(page)
    assert not page.delete_button.isEnabled()
    assert not page.edit_button.isEnabled()


def test_a_search_that_hides_the_entry_empties_the_pane(qtbot: QtBot, journal: GuiApp) -> None:  # noqa: F811
    page = journal.pages.journal
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: _showing_sam(page), timeout=5_000)
    page.search.setText("heavy")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    assert not _showing_sam(page)
    assert not page.delete_button.isEnabled()
    page.search.setText("")  # the entry comes back into the list, still selected nowhere: the pane stays empty
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5_000)
    assert not page.edit_button.isEnabled() or page.current_run_id() is not None
