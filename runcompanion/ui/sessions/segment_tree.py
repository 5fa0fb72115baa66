"""The editor's list of a session's items: segments, and repeat blocks with their segments as children.

Dragging reorders (``order_changed`` carries the items in their new order); a drop that would nest a block in a
block, or put a segment under a segment, is mended rather than refused. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from runcompanion.core.session_draft import ItemDraft, Path, RepeatDraft, SegmentDraft, SessionDraft
from runcompanion.core.session_plan import SegmentKind

PATH_ROLE = Qt.ItemDataRole.UserRole


class SegmentTree(QTreeWidget):
    order_changed = Signal(object, object)  # tuple[ItemDraft, ...], the selected Path afterwards

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = SessionDraft()
        self._filling = False
        self._pending = False
        self.setHeaderLabels(["Segments", "Time"])
        self.setAccessibleName("Segments")
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A drag within the tree moves its items: Qt reports it as rows removed and inserted (or moved).
        self.model().rowsMoved.connect(self._moved)
        self.model().rowsInserted.connect(self._moved)

    @property
    def filling(self) -> bool:
        return self._filling

    def show_draft(self, draft: SessionDraft, select: Path) -> Path:
        """Rebuild from ``draft``; returns the path actually selected (``()`` when there is none)."""
        self._draft = draft
        self._filling = True
        try:
            self.clear()
            for index, item in enumerate(draft.items):
                node = QTreeWidgetItem(self, item_texts(item))
                node.setData(0, PATH_ROLE, (index,))
                if isinstance(item, RepeatDraft):
                    for inner, segment in enumerate(item.segments):
                        QTreeWidgetItem(node, item_texts(segment)).setData(0, PATH_ROLE, (index, inner))
                    node.setExpanded(True)
            target = self.item_at(select)
            if target is not None:
                self.setCurrentItem(target)
            return select if target is not None else ()
        finally:
            self._filling = False

    def refresh_texts(self, draft: SessionDraft) -> None:
        """New texts for the same structure (the runner is typing in the form)."""
        self._draft = draft
        for index, item in enumerate(draft.items):
            node = self.topLevelItem(index)
            if node is None:
                continue
            _set_texts(node, item)
            if isinstance(item, RepeatDraft):
                for inner, segment in enumerate(item.segments):
                    child = node.child(inner)
                    if child is not None:
                        _set_texts(child, segment)

    def item_at(self, path: Path) -> QTreeWidgetItem | None:
        if not path:
            return None
        node = self.topLevelItem(path[0])
        if node is not None and len(path) == 2:
            return node.child(path[1])
        return node

    @staticmethod
    def path_of(item: QTreeWidgetItem | None) -> Path:
        path = item.data(0, PATH_ROLE) if item is not None else None
        return tuple(path) if path else ()

    def _moved(self, *_args: object) -> None:
        if not self._filling and not self._pending:
            # Qt is still inside its drop handling: read the tree once, when it has finished moving items.
            self._pending = True
            QTimer.singleShot(0, self._read)

    def _read(self) -> None:
        self._pending = False
        draft = self._draft
        items: list[ItemDraft] = []
        selected: Path = ()
        current = self.currentItem()
        for top in range(self.topLevelItemCount()):
            node = self.topLevelItem(top)
            if node is None:
                continue
            item = _draft_at(draft, self.path_of(node))
            children = [c for c in (node.child(i) for i in range(node.childCount())) if c is not None]
            inner = [s for s in (_draft_at(draft, self.path_of(c)) for c in children) if isinstance(s, SegmentDraft)]
            if current is node:
                selected = (len(items),)
            if isinstance(item, RepeatDraft):
                if inner:
                    if current in children:
                        selected = (len(items), children.index(current))
                    items.append(RepeatDraft(item.times, tuple(inner)))
            elif isinstance(item, SegmentDraft):
                items.append(item)
                items.extend(inner)  # a segment dropped onto a segment goes after it
        self.order_changed.emit(tuple(items), selected)


def item_texts(item: ItemDraft) -> list[str]:
    if isinstance(item, RepeatDraft):
        return [f"Repeat {item.times or '?'} ×", ""]
    try:
        kind = SegmentKind(item.kind).label
    except ValueError:
        kind = item.kind
    notes = f"  ({len(item.notes)} spoken)" if item.notes else ""
    return [f"{item.label or kind}{notes}", item.duration]


def _set_texts(node: QTreeWidgetItem, item: ItemDraft) -> None:
    first, second = item_texts(item)
    node.setText(0, first)
    node.setText(1, second)


def _draft_at(draft: SessionDraft, path: Path) -> ItemDraft | None:
    if not path or path[0] >= len(draft.items):
        return None
    item = draft.items[path[0]]
    if len(path) == 2 and isinstance(item, RepeatDraft):
        return item.segments[path[1]] if path[1] < len(item.segments) else None
    return item
