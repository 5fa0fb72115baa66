"""A screen reader's view of a running app, for the accessibility-bus tests: run by the *system* Python.

pyatspi and the GObject bindings it stands on (python3-pyatspi, python3-gi, gir1.2-atspi-2.0) are Debian packages
built for Debian's own interpreter, /usr/bin/python3; they are not on PyPI. The tests' virtual environment may be
another Python (pyenv, a newer minor version: gi's compiled module would not load there), and pointing the venv
at Debian's whole dist-packages with a .pth would let every other Debian package shadow a missing dependency. So
this script runs as a subprocess of the test under /usr/bin/python3 and speaks JSON lines: one request a line on
stdin, one reply a line on stdout (``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "..."}``).

It only reports and acts; the tests judge. Requests:
- ``wait_app`` {name, timeout}: wait until an application of that name is on the bus.
- ``tree`` {}: every showing accessible of the app's windows, flattened (role, name, description, states,
  actions, extents); a branch that is not showing is left out whole.
- ``find`` {role, name, timeout}: wait until a showing accessible with that role and name exists; return it.
- ``wait_gone`` {role, name, timeout}: wait until no showing accessible has that role and name.
- ``act`` {role, name, action, timeout}: find it, then run its named action (Action interface, as Orca does).
- ``select`` {role, name, child, timeout, first}: select the one child of a list or table whose name starts with
  ``child`` (with ``first``, the first of several), through its Selection interface.
- ``listen`` {events}: record these AT-SPI events from now on.
- ``wait_event`` {type, contains, timeout}: wait for a recorded event whose text contains ``contains``.

Waiting is not sleeping: the GLib main context is iterated (D-Bus signals arrive through it) with a short timer as
its wake-up, until the condition holds or the time is up.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

import gi

gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402
from gi.repository import Atspi, GLib  # noqa: E402

Node = dict[str, Any]


class Driver:
    def __init__(self) -> None:
        self.app: Any = None
        self.events: list[dict[str, Any]] = []
        self._context = GLib.MainContext.default()

    # --- waiting --------------------------------------------------------------------------------------------
    def _pump(self, seconds: float) -> None:
        """Dispatch what the bus sends next, waiting at most ``seconds`` (a timer wakes the loop if nothing comes)."""
        fired: list[bool] = []
        source = GLib.timeout_add(max(1, int(seconds * 1000)), lambda: fired.append(True))
        self._context.iteration(True)
        if not fired:
            GLib.source_remove(source)

    def _until(self, what: str, timeout: float, probe: Any, so_far: Any = None) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            found = probe()
            if found is not None:
                return found
            if time.monotonic() > deadline:
                seen = f"; so far: {so_far()}" if so_far is not None else ""
                raise TimeoutError(f"after {timeout:.0f} s still no {what}{seen}")
            self._pump(0.05)

    # --- the tree --------------------------------------------------------------------------------------------
    def wait_app(self, name: str, timeout: float) -> Node:
        def probe() -> Any:
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                app = desktop.getChildAtIndex(i)
                if app is not None and app.name == name:
                    return app
            return None

        self.app = self._until(f"application named {name!r} on the accessibility bus", timeout, probe)
        # Every property is asked of the app when read: a cached name or child list could be a page behind.
        self.app.setCacheMask(Atspi.Cache.NONE)
        return {"name": self.app.name, "toolkit": self.app.get_toolkit_name(), "children": self.app.childCount}

    def _walk(self) -> list[tuple[Any, Node]]:
        found: list[tuple[Any, Node]] = []

        def visit(acc: Any, path: list[int]) -> None:
            try:
                node = describe(acc, path)
                count = acc.childCount
            except (GLib.Error, NotImplementedError):
                # Gone while being read (a dialog closing, the run screen leaving): not part of the tree any more.
                # A closing object may still list an interface and then refuse it (NotImplementedError).
                return
            if "showing" not in node["states"]:
                # Hidden pages, closed popups: not what a listener meets. (Cells of a hidden view may still
                # say "showing", so the whole branch goes.)
                return
            found.append((acc, node))
            for i in range(count):
                child = acc.getChildAtIndex(i)
                if child is not None:
                    visit(child, [*path, i])

        if self.app is None:
            raise RuntimeError("wait_app first")
        visit(self.app, [])
        return found

    def tree(self) -> list[Node]:
        return [node for _acc, node in self._walk()]

    def _find(self, role: str, name: str, timeout: float) -> tuple[Any, Node]:
        def probe() -> Any:
            for acc, node in self._walk():
                if node["role"] == role and node["name"] == name:
                    return acc, node
            return None

        found: tuple[Any, Node] = self._until(f"showing {role} named {name!r}", timeout, probe)
        return found

    def find(self, role: str, name: str, timeout: float) -> Node:
        return self._find(role, name, timeout)[1]

    def wait_gone(self, role: str, name: str, timeout: float) -> bool:
        def probe() -> Any:
            showing = [n for _a, n in self._walk() if n["role"] == role and n["name"] == name]
            return True if not showing else None

        gone: bool = self._until(f"end of the {role} named {name!r}", timeout, probe)
        return gone

    def act(self, role: str, name: str, action: str, timeout: float) -> Node:
        acc, node = self._find(role, name, timeout)
        actions = acc.queryAction()
        names = [actions.getName(i) for i in range(actions.nActions)]
        if action not in names:
            raise LookupError(f"{role} {name!r} offers the actions {names}, not {action!r}")
        if not actions.doAction(names.index(action)):
            raise RuntimeError(f"{role} {name!r} refused the action {action!r}")
        return node

    def select(self, role: str, name: str, child: str, timeout: float, first: bool = False) -> Node:
        acc, node = self._find(role, name, timeout)
        names = [acc.getChildAtIndex(i).name for i in range(acc.childCount)]
        matches = [i for i, n in enumerate(names) if n.startswith(child)]
        if first:
            matches = matches[:1]
        if len(matches) != 1:
            raise LookupError(f"{role} {name!r} has the children {names}: not one starting {child!r}")
        if not acc.querySelection().selectChild(matches[0]):
            raise RuntimeError(f"{role} {name!r} refused to select {child!r}")
        return node

    # --- events ----------------------------------------------------------------------------------------------
    def _record(self, event: Any) -> None:
        source = event.source
        try:
            role, name = source.getRoleName(), source.name
        except GLib.Error:
            role, name = "", ""
        data = event.any_data
        self.events.append(
            {
                "type": event.type,
                "detail1": event.detail1,
                "detail2": event.detail2,
                "text": data if isinstance(data, str) else "",
                "source_role": role,
                "source_name": name,
            }
        )

    def listen(self, events: list[str]) -> int:
        pyatspi.Registry.registerEventListener(self._record, *events)
        return len(events)

    def wait_event(self, type: str, contains: str, timeout: float) -> dict[str, Any]:
        def probe() -> Any:
            for event in self.events:
                if event["type"].startswith(type) and contains in event["text"]:
                    return event
            return None

        heard = lambda: [e["text"] for e in self.events if e["type"].startswith(type)]  # noqa: E731
        seen = self._until(f"{type} event with {contains!r}", timeout, probe, heard)
        result: dict[str, Any] = {"event": seen, "all": [e for e in self.events if e["type"].startswith(type)]}
        return result


def describe(acc: Any, path: list[int]) -> Node:
    states = acc.getState()
    interfaces = list(acc.get_interfaces())
    node: Node = {
        "path": path,
        "role": acc.getRoleName(),
        "name": acc.name or "",
        "description": acc.description or "",
        "states": sorted(pyatspi.stateToString(s) for s in states.getStates()),
        "interfaces": interfaces,
        "actions": [],
        "extents": None,
    }
    if "Action" in interfaces:
        actions = acc.queryAction()
        node["actions"] = [actions.getName(i) for i in range(actions.nActions)]
    if "Component" in interfaces:
        box = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        node["extents"] = [box.x, box.y, box.width, box.height]
    return node


def main() -> int:
    driver = Driver()
    handlers: dict[str, Callable[..., Any]] = {
        "wait_app": driver.wait_app,
        "tree": driver.tree,
        "find": driver.find,
        "wait_gone": driver.wait_gone,
        "act": driver.act,
        "select": driver.select,
        "listen": driver.listen,
        "wait_event": driver.wait_event,
    }
    print(json.dumps({"ok": True, "result": "ready"}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        command = request.pop("cmd")
        try:
            reply = {"ok": True, "result": handlers[command](**request)}
        except Exception as exc:  # the test reads the words; the driver stays up for the next request
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(reply), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
