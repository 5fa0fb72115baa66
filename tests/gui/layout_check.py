"""The layout check: what a person would see as broken on a page or dialog, found from the widgets themselves.

``problems(top)`` lists, for one shown window or dialog:
- a visible widget that lies (partly) outside it (content of a scroll area is judged by its scroll area);
- two sibling widgets, placed by the same layout, that overlap;
- a label, button, check box or radio button whose text needs more room than it has (clipped), a list, table
  or tree cell whose text Qt has to elide or cut, or a chart whose axis or bar labels Qt had to elide ("…");
- an interactive control, or any widget Tab stops on, with no accessible name (by Qt's rules: its name, its
  text, or its label's);
- an enabled control that takes Tab focus but is not reached by pressing Tab from the window's start.

Pages and dialogs are registered once, in ``tests/gui/test_layout.py``.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFocusFrame,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QGraphicsView,
    QLabel,
    QLayout,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSlider,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTableView,
    QTextEdit,
    QTreeView,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QSlider,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
)
ELLIPSIS = ("…", "...")


def describe(widget: QWidget) -> str:
    text = widget.property("text")
    name = widget.objectName() or widget.accessibleName()
    what = repr(text) if isinstance(text, str) and text else repr(name)
    return f"{type(widget).__name__} {what}"


def _shown(top: QWidget) -> list[QWidget]:
    return [w for w in top.findChildren(QWidget) if w.isVisibleTo(top) and w.isWindow() is False]


def _in_scrolled_content(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent:
            return True
        parent = grand
    return False


def _qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside its own widgets (a spin box's line edit, a scroll area's bars, a combo's view), and
    the focus ring, which lies around its control on purpose."""
    return (
        widget.objectName().startswith("qt_")
        or isinstance(widget, QFocusFrame)
        or any(
            isinstance(a, (QAbstractSpinBox, QComboBox, QGraphicsView, QAbstractItemView)) for a in _ancestors(widget)
        )
    )


def _ancestors(widget: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None:
        found.append(parent)
        parent = parent.parentWidget()
    return found


def _rect_in(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())


def outside(top: QWidget) -> list[str]:
    problems = []
    for widget in _shown(top):
        if _qt_internal(widget) or _in_scrolled_content(widget, top) or widget.width() <= 0:
            continue
        if not top.rect().contains(_rect_in(widget, top)):
            problems.append(
                f"{describe(widget)} at {_rect_in(widget, top).getRect()} is outside {top.size().toTuple()}"
            )
    return problems


def _layout_widgets(parent: QWidget, layout: QLayout) -> list[QWidget]:
    """The child widgets that ``layout`` (or a layout inside it) places.

    Asked with ``indexOf``, never through ``itemAt``: a Python wrapper of a QLayoutItem outlived the item once
    the layout deleted it, and shiboken later handed that stale wrapper to a new object at the same address
    (a QListWidgetItem), which crashed the app in QListWidget.clear().
    """
    layouts = [layout, *layout.findChildren(QLayout)]
    return [
        w
        for w in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if any(lay.indexOf(w) >= 0 for lay in layouts)
    ]


def overlaps(top: QWidget) -> list[str]:
    problems = []
    for parent in [top, *_shown(top)]:
        layout = parent.layout()
        if layout is None or _qt_internal(parent):
            continue
        placed = [w for w in _layout_widgets(parent, layout) if w.isVisibleTo(top) and w.width() > 0 and w.height() > 0]
        for i, first in enumerate(placed):
            for second in placed[i + 1 :]:
                if first.geometry().intersects(second.geometry()):
                    problems.append(f"{describe(first)} overlaps {describe(second)} in {describe(parent)}")
    return problems


def _needed_width(widget: QAbstractButton) -> int:
    """The room a button's text and icon need. Not ``sizeHint``: Fusion asks 80 px of every push button, which
    a short label ("Edit") does without."""
    if isinstance(widget, QPushButton):
        text = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        icon = widget.iconSize().width() + 4 if not widget.icon().isNull() else 0
        return QFontMetrics(widget.font()).horizontalAdvance(text) + icon + 8
    return widget.sizeHint().width()


def clipped(top: QWidget) -> list[str]:
    problems = []
    for widget in _shown(top):
        if _qt_internal(widget):
            continue
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                need_h = widget.heightForWidth(widget.width())
                if need_h > widget.height() + 1:
                    problems.append(f"{describe(widget)} needs {need_h} px high, has {widget.height()}")
            elif widget.textFormat() != Qt.TextFormat.RichText and "<" not in widget.text():
                need = QFontMetrics(widget.font()).horizontalAdvance(widget.text().split("\n")[0])
                margin = widget.margin() * 2 + widget.contentsMargins().left() + widget.contentsMargins().right()
                if need + margin > widget.width() + 1:
                    problems.append(f"{describe(widget)} needs {need + margin} px wide, has {widget.width()}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            if _needed_width(widget) > widget.width() + 1:
                problems.append(f"{describe(widget)} needs {_needed_width(widget)} px wide, has {widget.width()}")
        elif isinstance(widget, QComboBox) and not widget.isEditable() and widget.currentText():
            room = _combo_text_room(widget)
            need = QFontMetrics(widget.font()).horizontalAdvance(widget.currentText())
            if need > room + 1:
                problems.append(f"{describe(widget)} shows {widget.currentText()!r}: needs {need} px, has {room}")
        elif isinstance(widget, QGraphicsView) and widget.scene() is not None:
            for item in widget.scene().items():
                if isinstance(item, (QGraphicsTextItem, QGraphicsSimpleTextItem)) and item.isVisible():
                    text = item.toPlainText() if isinstance(item, QGraphicsTextItem) else item.text()
                    if any(e in text for e in ELLIPSIS):
                        problems.append(f"chart {describe(widget)} shows an elided label {text!r}")
    return problems


def _cells(view: QAbstractItemView) -> list[QModelIndex]:
    """The cells a view shows now: rows and columns not hidden, children of expanded tree items, on screen."""
    model = view.model()
    found: list[QModelIndex] = []
    shown = view.viewport().rect()

    def visit(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            if isinstance(view, (QTableView, QTreeView, QListView)) and _row_hidden(view, row, parent):
                continue
            # A list shows one column (and QListWidget's model keeps columnCount private).
            columns = [view.modelColumn()] if isinstance(view, QListView) else range(model.columnCount(parent))
            for column in columns:
                if isinstance(view, (QTableView, QTreeView)) and view.isColumnHidden(column):
                    continue
                index = model.index(row, column, parent)
                if view.visualRect(index).intersects(shown):
                    found.append(index)
            first = model.index(row, 0, parent)
            if isinstance(view, QTreeView) and view.isExpanded(first):
                visit(first)

    visit(view.rootIndex())
    return found


def _row_hidden(view: QTableView | QTreeView | QListView, row: int, parent: QModelIndex) -> bool:
    if isinstance(view, QTreeView):
        return view.isRowHidden(row, parent)
    return view.isRowHidden(row)


def cell_elided(view: QAbstractItemView, index: QModelIndex) -> str:
    """The cell's text if Qt has to elide or cut it to paint it in its cell, else "".

    Measured the way Qt's item delegate paints: the style's text rectangle for the cell, less the text margin
    on each side; wrapped when the view wraps (then it must fit in height too), else line by line. A cell that
    reaches past the view's right edge is cut there (a list's item is as wide as its text, not its view).
    """
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    delegate = view.itemDelegateForIndex(index)
    if not isinstance(delegate, QStyledItemDelegate):
        return ""  # a delegate that paints in its own way: nothing here can say what it shows
    delegate.initStyleOption(option, index)
    text = option.text.replace("\u2028", "\n")
    if not text.strip() or option.rect.width() <= 0:
        return ""
    style = view.style()
    room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    room = room.intersected(QRect(0, room.top(), view.viewport().width(), room.height()))
    width, height = room.width() - 2 * margin, room.height()
    metrics = QFontMetrics(option.font)
    if option.features & QStyleOptionViewItem.ViewItemFeature.WrapText:
        need = metrics.boundingRect(QRect(0, 0, max(width, 1), 1_000_000), Qt.TextFlag.TextWordWrap, text)
        fits = need.width() <= width + 1 and need.height() <= height + 1
    else:
        lines = text.split("\n")
        widest = max(metrics.horizontalAdvance(line) for line in lines)
        fits = widest <= width + 1 and len(lines) * metrics.lineSpacing() <= height + metrics.leading() + 1
    return "" if fits else text


def clipped_cells(top: QWidget) -> list[str]:
    problems = []
    for view in _shown(top):
        if not isinstance(view, QAbstractItemView) or _qt_internal(view) or view.width() <= 0:
            continue
        for index in _cells(view):
            text = cell_elided(view, index)
            if text:
                rect = view.visualRect(index)
                problems.append(f"{describe(view)}: cell {text!r} is cut to fit {rect.width()}x{rect.height()} px")
    return problems


def _combo_text_room(combo: QComboBox) -> int:
    """The width a combo box has for its current text: the style's edit field, less Qt's text margins."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    style = combo.style()
    field = style.subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return field.width() - 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, option, combo)


def _accessible_name(widget: QWidget, top: QWidget) -> str:
    """The name a screen reader reads, by Qt's own rules: the accessible name, else a button's text, else the
    text of the label whose buddy the control is (QFormLayout sets it).

    Not through QAccessible.queryAccessibleInterface: keeping accessible interfaces of item views alive made a
    later QListWidget.clear() crash offscreen (SIGSEGV), one run in three.
    """
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    if isinstance(widget, QAbstractButton) and widget.text().strip():
        return widget.text().strip()
    for label in top.findChildren(QLabel):
        if label.buddy() is widget and label.text().strip():
            return label.text().strip()
    return ""


def unnamed(top: QWidget) -> list[str]:
    """Controls, and any other widget Tab stops on (a scroll area, a tab widget, the run screen), that a screen
    reader could only call "unlabelled" (tests/a11y checks the same on the real accessibility bus)."""
    problems = []
    stops = {id(w) for w in _tab_stops(top) if not isinstance(w, QLabel)}
    for widget in _shown(top):
        interactive = isinstance(widget, INTERACTIVE) and not _qt_internal(widget) and widget.isEnabled()
        if (interactive or id(widget) in stops) and not _accessible_name(widget, top):
            problems.append(f"{describe(widget)} has no accessible name")
    return problems


def _tab_stops(top: QWidget) -> list[QWidget]:
    return [
        w
        for w in _shown(top)
        if w.isEnabled()
        and bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and not _qt_internal(w)
        and w.focusProxy() is None
    ]


def _activate(top: QWidget) -> None:
    top.activateWindow()
    top.raise_()
    for _ in range(200):  # activation is an event away (offscreen: one or two turns of the loop)
        if QApplication.activeWindow() is top:
            return
        QApplication.processEvents()
    raise AssertionError(f"{describe(top)} never became the active window")


def unreachable(top: QWidget) -> list[str]:
    """Press Tab round the window, as a keyboard user does, and list the stops focus never reaches."""
    stops = _tab_stops(top)
    if not stops:
        return []
    _activate(top)
    stops[0].setFocus(Qt.FocusReason.TabFocusReason)
    reached: set[int] = set()
    for _ in range(2 * len(stops) + 4):
        focused = QApplication.focusWidget()
        if focused is None:
            break
        reached.add(id(focused))
        owner = focused.parentWidget()
        while owner is not None and _qt_internal(focused):  # a spin box's inner line edit stands for the spin box
            reached.add(id(owner))
            owner = owner.parentWidget()
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    return [f"{describe(w)} is not reached by Tab" for w in stops if not _reached(w, reached)]


def _reached(widget: QWidget, reached: set[int]) -> bool:
    """A radio group is one Tab stop (arrows move within it): reaching any of its buttons reaches them all."""
    if id(widget) in reached:
        return True
    if isinstance(widget, QRadioButton):
        group = widget.group()
        peers = group.buttons() if group is not None else []
        return any(id(p) in reached for p in peers)
    return False


def scroll_to_top(top: QWidget) -> None:
    """Every scrolled page in ``top`` back at its start: the Tab walk of an earlier check scrolls a page down to
    the control it reached, and the next screenshot of that page then started halfway down."""
    for area in top.findChildren(QScrollArea):
        for bar in (area.verticalScrollBar(), area.horizontalScrollBar()):
            bar.setValue(bar.minimum())


def problems(top: QWidget, *, tab: bool = True) -> list[str]:
    found = outside(top) + overlaps(top) + clipped(top) + clipped_cells(top) + unnamed(top)
    if tab:
        found += unreachable(top)
    return found
