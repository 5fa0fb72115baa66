"""Selecting a row the way a screen reader does (the Selection interface on the accessibility bus selects; it
does not move the current row) moves the page as a click does."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from runcompanion.ui.common.item_views import current_follows_selection


def _select_like_the_bus(view: QAbstractItemView, row: int) -> None:
    """What Qt's accessibility bridge does for AT-SPI's selectChild: a selection change, no current index."""
    index = view.model().index(row, 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().select(index, flags)


def test_a_list_follows_a_selection_made_without_a_click(qtbot: QtBot) -> None:
    listing = QListWidget()
    qtbot.addWidget(listing)
    listing.addItems(["Today", "Plan", "Sessions"])
    listing.setCurrentRow(0)
    rows: list[int] = []
    listing.currentRowChanged.connect(rows.append)
    _select_like_the_bus(listing, 2)
    assert listing.currentRow() == 0  # Qt alone leaves the page where it was
    assert rows == []

    current_follows_selection(listing)
    _select_like_the_bus(listing, 1)
    assert listing.currentRow() == 1
    assert rows == [1]
    assert [i.row() for i in listing.selectionModel().selectedRows()] == [1]  # the selection stays as chosen


def test_a_table_of_rows_follows_too_and_a_cleared_selection_moves_nothing(qtbot: QtBot) -> None:
    table = QTableWidget(3, 2)
    qtbot.addWidget(table)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    for row in range(3):
        for column in range(2):
            table.setItem(row, column, QTableWidgetItem(f"{row},{column}"))
    current_follows_selection(table)
    _select_like_the_bus(table, 2)
    assert table.currentRow() == 2
    table.selectionModel().clearSelection()
    assert table.currentRow() == 2
