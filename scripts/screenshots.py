"""Screenshots of the app's screens for the README, taken from a demo data folder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py docs/screenshots [light|dark]

or on a real (virtual) X display, which also writes window-xvfb.png, the whole screen with the window on it:

    xvfb-run -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots.py \
        docs/screenshots light

The dark set is written with a ``-dark`` suffix (today-dark.png, ...). The demo data follows Couch to 5K, with
its first runs done, so Today shows the program's progress, and the journal's mood strip has four weeks of days.

The run screen's pictures come from tests/gui/test_screenshots.py (RUNCOMPANION_UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from runcompanion.core.app_settings import Theme
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import Services, build_services
from runcompanion.storage.records import ReflectionInput
from runcompanion.storage.run_repository import RunRepository
from runcompanion.ui.shell.gui_app import GuiApp
from runcompanion.ui.shell.welcome_dialog import WelcomeDialog

sys.path.insert(0, str(Path(__file__).parent))
import demo_data
import demo_devices

NOTES = (
    "The walks came just when I needed them.",
    "Slow start, but the last run felt easy. Surprised myself.",
    "Tired legs today. Glad I went anyway.",
)


def _follow_a_program(services: Services) -> None:
    """Couch to 5K from nine days ago, its runs so far done: Today then shows week, ticks and what is next."""
    start = dt.date.today() - dt.timedelta(days=9)
    enrolled = services.plan.enrol("c25k", start, ("mon", "wed", "sat"), dt.time(18, 0), replace=True)
    runs = RunRepository(services.database)
    now = dt.datetime.now()
    for i, scheduled in enumerate(enrolled.runs):
        if scheduled.due_at >= now:
            break
        began = scheduled.due_at.astimezone()
        run = runs.start(scheduled.session_id, scheduled.title, (), scheduled.duration_s, 1, scheduled.id, "app", began)
        runs.finish(
            run.id, "finished", scheduled.duration_s, 9, 9, [], began + dt.timedelta(seconds=scheduled.duration_s)
        )
        services.plan.mark_done(scheduled.id, run.id)
        # On the treadmill with a heart-rate strap: the journal's newest entry shows its chart of pace and heart rate.
        segments = services.catalog.get(scheduled.session_id).segments
        demo_devices.add_run(services.run_figures, run.id, segments, scheduled.duration_s)
        # How the program's runs felt, as a runner following it would note: mostly lifted, now and then not.
        before = (0, -1, 1, -1, 0, -2)[i % 6]
        services.journal.check_in(run.id, before)
        after = min(5, before + (3, 1, 0, 3, 2, 2)[i % 6])
        services.journal.complete(run.id, ReflectionInput(feeling_after=after, effort=4, text=NOTES[i % 3]))


def main(out: Path, theme: Theme = Theme.LIGHT) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    home = Path(tempfile.mkdtemp(prefix="runcompanion-shots-"))
    demo_data.main(home)
    paths = resolve_paths(home)
    services = build_services(paths)
    _follow_a_program(services)
    gui = GuiApp(paths, sys.argv[:1])
    gui.attach(services)
    if gui.shell is not None:
        gui.shell.update_settings(gui.shell.settings.with_changes(theme=theme, welcomed=True))
    suffix = "-dark" if theme is Theme.DARK else ""
    gui.window.resize(1280, 800)
    gui.window.show()

    def shoot(widget: QWidget, name: str) -> None:
        # Lay out what changed just before (a text that arrived, a label that grew a line): a grab paints the
        # layout as it is, and caught Settings' voice hint cut to one line on a slow machine.
        # Only layout requests: a full turn of the event loop here ran the next step first (another page).
        for _ in range(3):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        widget.grab().save(str(out / f"{name}{suffix}.png"))
        print(f"wrote {out / name}{suffix}.png")

    def whole_screen() -> None:
        # Only on a real X display (Xvfb): offscreen there is no screen to grab but the window itself.
        if QGuiApplication.platformName() == "xcb" and theme is Theme.LIGHT:
            screen = app.primaryScreen().grabWindow(0)
            screen.save(str(out / "window-xvfb.png"))
            print(f"wrote {out / 'window-xvfb.png'}")

    def preview() -> None:
        if gui.sessions is None:
            return
        dialog = gui.sessions.preview_programs()
        dialog.program.setCurrentIndex(dialog.program.findData("c25k"))
        QTimer.singleShot(500, lambda: (shoot(dialog, "program-preview"), dialog.close()))

    def welcome() -> None:
        dialog = WelcomeDialog(gui.window)
        dialog.show()
        # The last picture ends the script itself: a quit timed from the start came before it on a slow machine.
        QTimer.singleShot(300, lambda: (shoot(dialog, "welcome"), dialog.close(), app.quit()))

    steps: list[tuple[int, Callable[[], object]]] = [
        (1500, lambda: gui.window.show_section("Today")),
        (1500, lambda: shoot(gui.window, "today")),
        (0, whole_screen),
        (0, lambda: gui.window.show_section("Sessions")),
        (500, lambda: gui.pages.sessions.select("first-walk-run")),
        (0, lambda: gui.shell.show_session_cues("first-walk-run") if gui.shell else None),
        (6000, lambda: shoot(gui.window, "sessions")),
        (0, preview),
        (1500, lambda: None),
        (0, lambda: gui.window.show_section("Journal")),
        (1500, lambda: gui.pages.journal.table.selectRow(0)),
        (1000, lambda: shoot(gui.window, "journal")),
        (0, lambda: gui.pages.journal.tabs.setCurrentIndex(1)),
        (3000, lambda: shoot(gui.window, "journal-charts")),
        (0, lambda: gui.pages.journal.tabs.setCurrentIndex(0)),
        (0, lambda: gui.journal.open_reflection(gui.pages.journal.model.rows[0].run_id) if gui.journal else None),
        (1500, lambda: shoot(gui.journal.dialog, "reflection") if gui.journal and gui.journal.dialog else None),
        (0, lambda: gui.journal.dialog.reject() if gui.journal and gui.journal.dialog else None),
        (0, lambda: gui.window.show_section("Settings")),
        (3000, lambda: shoot(gui.window, "settings")),  # the voice list and the cache size load first
        (0, lambda: gui.window.show_section("Plan")),
        (2500, lambda: shoot(gui.window, "plan")),
        (0, welcome),
    ]

    delay = 0
    for wait, action in steps:
        delay += wait
        QTimer.singleShot(delay, action)
    app.exec()
    gui.shutdown()
    return 0


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    sys.exit(main(folder, Theme(sys.argv[2]) if len(sys.argv) > 2 else Theme.LIGHT))
