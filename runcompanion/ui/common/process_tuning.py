"""Every change this process makes to the interpreter and to PySide6, in one place, with the reason for each.

They are process-wide, so they are made once, by the GUI's entry (``ui.shell.launch`` and ``ui.shell.gui_app``),
never by a module as a side effect of being imported. The command line makes none of them. The one other piece
of process-wide state, the slot for libespeak-ng's own singleton, lives with the engine it guards
(``audio/espeak_engine.py``). docs/ARCHITECTURE.md, "Process-wide tuning", explains each with its figures.
"""

from __future__ import annotations

import gc
import sys
from types import ModuleType
from typing import Any

GUI_SWITCH_INTERVAL_S = 0.0005
"""How long a thread may hold the GIL before another may take it (Python's default is 5 ms). The GUI thread
gives the GIL up at many calls into Qt and waits up to this long to take it back each time a worker runs
Python, so a paint of many widgets while the cues are planned waits this long many times over: with 2 ms the
hour's first frame took 34.5 ms beside ``schedule_cues``, with 0.5 ms 8.3 ms (docs/benchmarks.md, sixth
session). A worker loses only a little to the extra switches, and only while the GUI thread wants the GIL."""


def hand_the_gil_back_sooner() -> None:
    """Workers give the GIL back to the GUI thread sooner: speech preparation must not stall the run screen."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


def freeze_startup_objects() -> None:
    """Move what start-up built out of the collector's sight: a full collection over it took 60-85 ms, a
    visible stall on the run screen, and none of it is garbage. GUI thread, at idle."""
    gc.collect()
    gc.freeze()


def check_imports_without_keeping_sources() -> bool:
    """Make PySide6's check of every newly imported module without filling ``linecache``. Call once, on the
    main thread, after PySide6 is imported and before the services are; returns whether the check was replaced.

    PySide6 (6.6 to 6.11 at least) looks at each module imported after it for the word "PySide6", to know which
    modules its ``__feature__`` switches may apply to. It reads the source through ``inspect.getsource``, and
    ``linecache`` then keeps every line of every such module for the life of the process: SQLAlchemy, Alembic
    and the services, 21 MB of the app's resident memory two seconds after start (28 MB on a first start).
    Freeing the cache later gives nothing back: the lines sit between the modules' own objects. This makes the
    same decision, with the same answers, from one read of the file that is dropped at once. When PySide6 does
    not work this way (another version), nothing is changed.
    """
    feature: Any = sys.modules.get("shibokensupport.feature")  # PySide6's own module, untyped
    decided = getattr(feature, "pyside_feature_dict", None)
    if feature is None or not isinstance(decided, dict) or not callable(getattr(feature, "feature_imported", None)):
        return False

    def feature_imported(module: object) -> None:
        name = getattr(module, "__name__", None)
        if isinstance(name, str) and name not in decided:
            # 0: may use PySide6, switch features for it; -1: ignore it (what PySide6 itself decides).
            decided[name] = 0 if isinstance(module, ModuleType) and _mentions_pyside(module) else -1

    feature.feature_imported = feature_imported
    return True


def _mentions_pyside(module: ModuleType) -> bool:
    spec = getattr(module, "__spec__", None)
    name = getattr(spec, "name", None) or module.__name__
    get_source = getattr(getattr(module, "__loader__", None), "get_source", None)
    if get_source is None:
        return False
    try:
        source = get_source(name)
    except Exception:
        # No readable source (built in, compiled, a loader that refuses): PySide6 ignores such modules too, and
        # an error here would otherwise fail the import itself.
        return False
    return isinstance(source, str) and "PySide6" in source
