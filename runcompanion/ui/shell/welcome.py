"""The first run: the welcome dialog when nothing is planned yet, and the note that it was seen.

Must be used from the GUI thread; the one check it makes on the database runs on a worker.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from runcompanion.ui.common.tasks import TaskRunner

if TYPE_CHECKING:
    from runcompanion.services.plan_service import PlanService
    from runcompanion.ui.plan.controller import PlanController
    from runcompanion.ui.shell.controller import ShellController
    from runcompanion.ui.shell.welcome_dialog import WelcomeDialog

log = logging.getLogger(__name__)


class Welcome:
    def __init__(self, window: QWidget, tasks: TaskRunner) -> None:
        self._window = window
        self._tasks = tasks
        self.dialog: WelcomeDialog | None = None

    def offer(self, shell: ShellController, plan: PlanService, planner: PlanController | None) -> None:
        """What the runner wants, a plan in two clicks, and the care notice; once, unless already enrolled."""
        if shell.settings.welcomed:
            return
        # A runner who enrolled on the command line has chosen already: the welcome would offer Couch to 5K anew.
        self._tasks.run(
            lambda: bool(plan.enrolments()),
            lambda enrolled: _mark_welcomed(shell) if enrolled else self._show(shell, plan, planner),
            lambda e: log.info("welcome: %s", e),
        )

    def _show(self, shell: ShellController, plan: PlanService, planner: PlanController | None) -> None:
        from runcompanion.ui.shell.welcome_dialog import GOALS, WelcomeDialog

        programs = plan.programs
        needed = {g.program_id: max(programs.get(g.program_id).runs_per_week) for g in GOALS if g.program_id}
        dialog = WelcomeDialog(self._window, runs_per_week=needed)
        self.dialog = dialog

        def chosen() -> None:
            goal = dialog.choice()
            if goal.program_id is not None and planner is not None:
                schedule = dialog.schedule()
                planner.enrol_now(goal.program_id, schedule.days, schedule.time)
            _mark_welcomed(shell)

        dialog.accepted.connect(chosen)
        dialog.rejected.connect(lambda: _mark_welcomed(shell))
        dialog.open()


def _mark_welcomed(shell: ShellController) -> None:
    shell.update_settings(shell.settings.with_changes(welcomed=True))
