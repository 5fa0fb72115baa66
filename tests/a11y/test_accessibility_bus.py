"""The real app, used through the Linux accessibility bus as a screen reader (Orca) uses it.

The app runs as its own process (``python main.py``) on a virtual X screen, with a PulseAudio null sink as its
sound card, inside a D-Bus session of its own with the AT-SPI bus on it (tests/a11y/bus.py). The screen reader's
side is pyatspi, Debian's python3-pyatspi, run under the system Python by tests/a11y/atspi_driver.py: that
package is built for Debian's interpreter and is not on PyPI, so the tests' venv talks to it over a pipe instead
of importing it (the driver's docstring says why this is more robust than a .pth into Debian's dist-packages).

What a blind runner needs, checked from outside the app: every control on the main pages and the run screen has
a name and a role a screen reader can say; the welcome, the sections and a run can be driven by the bus alone
(actions and selection, no key presses); a control is where the bus says it is (a real click at its extents
hits it); the keyboard works the run (Space pauses and resumes, Escape asks before stopping); each new segment
of a run is announced on the bus (``object:announcement``), since the screen's big words change silently; and
the reflection offered after the run is filled in by the bus and the keyboard, saved, and found in the journal.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.a11y.bus import ScreenReader, accessibility_session
from tests.e2e.harness import pulse_null_sink, require, stop_app, xvfb_display

pytestmark = pytest.mark.e2e

MAIN = Path(__file__).resolve().parents[2] / "main.py"
DEMO_DATA = MAIN.parent / "scripts" / "demo_data.py"
SESSION = """\
name = "Bus check"
description = "Three short segments for the accessibility-bus test."
tags = ["test"]

[[segments]]
kind = "warmup"
duration = "1:00"
label = "Warm-up walk"
speed_kmh = 5.5

[[segments]]
kind = "run"
duration = "1:00"
label = "Steady run"
speed_kmh = 8.0

[[segments]]
kind = "cooldown"
duration = "1:00"
label = "Easy walk home"
speed_kmh = 4.5
"""
# Roles of things a person operates; each needs a name a screen reader can say.
CONTROL_ROLES = {
    "push button", "toggle button", "check box", "radio button", "combo box", "spin button", "slider", "text",
    "entry", "password text", "list", "list item", "table", "table cell", "tree table", "tree", "page tab",
    "page tab list", "menu item", "link", "calendar", "date editor",
}  # fmt: skip
# Roles that mean nothing to a listener: a control must not be one of them without a name.
NO_ROLE = {"unknown", "invalid", "redundant object"}


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A virtual screen, a sound card and a desktop session with its accessibility bus, for the module."""
    runtime = tmp_path_factory.mktemp("a11y-runtime")
    with (
        xvfb_display() as display,
        pulse_null_sink(runtime / "pulse") as pulse,
        accessibility_session(runtime / "bus", display) as bus_env,
    ):
        yield {**pulse.env, **bus_env}


class App:
    def __init__(self, desktop: dict[str, str], home: Path) -> None:
        self.env = {
            **desktop,
            "QT_QPA_PLATFORM": "xcb",
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "RUNCOMPANION_HOME": str(home),
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("WAYLAND_DISPLAY", None)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(MAIN), *args], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )

    def start(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(MAIN)], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )


@pytest.fixture
def reader(desktop: dict[str, str]) -> Iterator[ScreenReader]:
    screen_reader = ScreenReader(desktop)
    try:
        yield screen_reader
    finally:
        screen_reader.close()


@pytest.fixture
def app(desktop: dict[str, str], tmp_path: Path) -> App:
    return App(desktop, tmp_path / "home")


def nameless_controls(nodes: list[dict[str, Any]]) -> list[str]:
    """Controls (by role, or anything that takes focus) a screen reader could only call "unlabelled"."""
    problems = []
    for node in nodes:
        role, states = node["role"], node["states"]
        focusable = "focusable" in states and role != "label"  # a selectable label's name is its text
        if role == "scroll bar" or not (role in CONTROL_ROLES or focusable):
            continue
        where = f"{role} at {node['path']} {node['extents']}"
        if role in NO_ROLE:
            problems.append(f"{where} has no role a screen reader can say")
        if not node["name"].strip():
            problems.append(f"{where} has no name (actions {node['actions']})")
    return problems


def _dismiss_welcome(reader: ScreenReader) -> None:
    welcome = reader.find("dialog", "Welcome to RunCompanion")
    # Before the choice: the dialog's own controls are named too.
    dialog_path = welcome["path"]
    inside = [n for n in reader.tree() if n["path"][: len(dialog_path)] == dialog_path]
    assert nameless_controls(inside) == []
    reader.act("radio button", "Just explore", "Toggle")
    reader.act("push button", "Let's go", "Press")
    reader.wait_gone("dialog", "Welcome to RunCompanion")


def _point_at(env: dict[str, str], node: dict[str, Any], *then: str) -> None:
    """The real pointer to the middle of the extents the bus reports (and ``then``: xdotool commands there)."""
    x, y, width, height = node["extents"]
    middle = [str(x + width // 2), str(y + height // 2)]
    subprocess.run(
        [require("xdotool", "xdotool"), "mousemove", "--sync", *middle, *then], env=env, check=True, timeout=20
    )


def _click(env: dict[str, str], node: dict[str, Any]) -> None:
    """A real pointer click at the middle of the extents the bus reports."""
    _point_at(env, node, "click", "1")


def _type(env: dict[str, str], text: str) -> None:
    """Real key presses typing ``text`` on the X server."""
    subprocess.run([require("xdotool", "xdotool"), "type", "--delay", "20", text], env=env, check=True, timeout=30)


def _key(env: dict[str, str], name: str) -> None:
    """A real key press on the X server, to the window that has the keyboard."""
    subprocess.run([require("xdotool", "xdotool"), "key", name], env=env, check=True, timeout=20)


@pytest.mark.timeout(180)
def test_every_page_can_be_heard_and_driven_through_the_bus(app: App, reader: ScreenReader) -> None:
    # Six weeks of runs and reflections: the journal's table, mood strip and entry are full, as a runner's are.
    filled = subprocess.run(
        [sys.executable, str(DEMO_DATA), app.env["RUNCOMPANION_HOME"]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert filled.returncode == 0, filled.stderr
    proc = app.start()
    try:
        found = reader.wait_app("RunCompanion")
        assert found["toolkit"] == "Qt"
        _dismiss_welcome(reader)

        problems: list[str] = []
        for section in ("Today", "Plan", "Sessions", "Settings"):
            # The Selection interface of the navigation list, as a screen reader's "select item" does.
            reader.select("list", "Sections", section)
            reader.find("label", section)  # the page's heading: the page really changed
            problems += [f"{section}: {p}" for p in nameless_controls(reader.tree())]

        # A real click where the bus says the Journal item is: the bus's extents are the screen's.
        journal_item = reader.find("list item", "Journal")
        _click(app.env, journal_item)
        reader.find("label", "Journal")
        problems += [f"Journal: {p}" for p in nameless_controls(reader.tree())]
        # An entry picked in the table by the bus opens in the entry pane, its buttons named too.
        reader.select("table", "Journal entries", "Mindful 30", first=True)
        reader.find("label", "Mindful 30")
        reader.find("push button", "Edit reflection")
        problems += [f"Journal entry: {p}" for p in nameless_controls(reader.tree())]
        # The charts, by the tab's Press action: each chart and control there is named as well.
        reader.act("page tab", "Charts and insights", "Press")
        reader.find("filler", "Charts and insights")
        problems += [f"Journal charts: {p}" for p in nameless_controls(reader.tree())]
        assert problems == [], "\n".join(problems)
    finally:
        status, _out, err = stop_app(proc)
    assert status == 0, err


@pytest.mark.timeout(180)
def test_a_run_by_the_bus_and_the_keyboard_announces_its_segments_and_ends_in_the_journal(
    app: App, reader: ScreenReader, tmp_path: Path
) -> None:
    source = tmp_path / "bus-check.toml"
    source.write_text(SESSION, encoding="utf-8")
    imported = app.cli("sessions", "import", str(source))
    assert imported.returncode == 0, imported.stderr
    reader.listen("object:announcement")
    proc = app.start()
    try:
        reader.wait_app("RunCompanion")
        _dismiss_welcome(reader)
        reader.select("list", "Sections", "Sessions")
        reader.select("list", "Sessions", "Bus check")
        reader.act("push button", "Start this session", "Press")

        # After the countdown the first segment is announced, by the run screen, with its targets.
        first = reader.wait_event("object:announcement", "Warm-up walk", timeout=40)["event"]
        assert "5.5 km/h" in first["text"]
        assert first["source_name"] == "Guided run"
        nodes = reader.tree()
        assert any(n["name"] == "Guided run" for n in nodes), "the run screen is not on the bus"
        assert nameless_controls(nodes) == []
        # The check-in's scale is said as one choice of several, each point with its words.
        scale = [n for n in nodes if n["name"] in ("-5: Very bad", "0: Neutral", "+5: Very good")]
        assert [(n["role"], n["name"]) for n in scale] == [
            ("radio button", "-5: Very bad"),
            ("radio button", "0: Neutral"),
            ("radio button", "+5: Very good"),
        ]

        # Skip, pressed through the bus, moves on; the next segment is announced once.
        reader.act("push button", "Skip ▶", "Press")
        seen = reader.wait_event("object:announcement", "Steady run", timeout=20)
        assert "8.0 km/h" in seen["event"]["text"]
        said = [e["text"] for e in seen["all"]]
        assert [t.split(".")[0] for t in said] == ["Warm-up walk", "Steady run"], said

        # The keyboard, as a blind runner uses it: Space pauses and resumes, and the bus says so. (No window
        # manager here: the keyboard goes to the window under the pointer.)
        screen = next(n for n in nodes if n["name"] == "Guided run")
        _point_at(app.env, screen)
        _key(app.env, "space")
        reader.find("push button", "Resume (Space)")
        _key(app.env, "space")
        reader.find("push button", "Pause (Space)")

        # Escape asks before stopping; the question and its answer go through the bus too.
        _key(app.env, "Escape")
        reader.find("alert", "Stop this run?")
        reader.act("push button", "Yes", "Press")
        # The reflection the app offers after the run: named throughout, its scales radio buttons, filled in
        # by the bus and the keyboard, saved, and then in the journal.
        reflection = reader.find("dialog", "Your reflection", timeout=30)
        inside = [n for n in reader.tree() if n["path"][: len(reflection["path"])] == reflection["path"]]
        assert nameless_controls(inside) == []
        assert {n["role"] for n in inside if n["name"] == "7: Very hard"} == {"radio button"}
        reader.act("radio button", "7: Very hard", "Toggle")
        assert "checked" in reader.find("radio button", "7: Very hard")["states"]
        note = reader.act("text", "Reflection", "SetFocus")
        _point_at(app.env, note)  # the keyboard goes to the window under the pointer: the dialog
        _type(app.env, "Steady and calm today")
        reader.act("push button", "Save reflection", "Press")
        reader.wait_gone("dialog", "Your reflection")
        reader.act("push button", "Back to Today", "Press")
        reader.select("list", "Sections", "Journal")
        reader.select("table", "Journal entries", "Bus check")
        reader.find("label", "Steady and calm today")
    finally:
        status, _out, err = stop_app(proc)
    assert status == 0, err
