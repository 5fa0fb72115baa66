"""The ``programs`` and ``plan`` commands.

Parsing lives in ``cli.parser``; the services come from ``services.composition``.

``--json`` shapes are documented in docs/programs.md and stay stable.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from runcompanion.cli.output import EXIT_OK, print_json
from runcompanion.core.errors import UserError
from runcompanion.core.plan_layout import parse_date, parse_days, parse_time
from runcompanion.core.programs import Program
from runcompanion.core.session_plan import SessionPlan
from runcompanion.paths import AppPaths
from runcompanion.services.calendar_export import describe_session
from runcompanion.services.composition import build_services
from runcompanion.services.plan_service import EnrolmentClashError, EnrolmentProgress
from runcompanion.storage.records import ScheduledRunRecord


def programs(args: argparse.Namespace, paths: AppPaths) -> int:
    """``programs [--json]``, ``programs show ID [--json]`` and ``programs script PROGRAM``."""
    if getattr(args, "programs_command", None) == "script":
        from runcompanion.cli.coach import programs_script

        return programs_script(args, paths)
    services = build_services(paths)
    try:
        library = services.programs
        if getattr(args, "programs_command", None) == "show":
            program = library.get(args.program_id)
            if args.json:
                print_json(program_dict(program, detail=True))
            else:
                _print_program(program)
            return EXIT_OK
        if args.json:
            print_json([program_dict(p) for p in library.all()])
        else:
            for p in library.all():
                minutes = round(p.total_s / p.total_runs / 60)
                print(f"{p.id:<18} {len(p.weeks):>2} weeks  {p.total_runs:>2} runs  ~{minutes:>2} min each  {p.name}")
        return EXIT_OK
    finally:
        services.close()


def plan(args: argparse.Namespace, paths: AppPaths) -> int:
    """``plan enrol``, ``plan cancel ENROLMENT``, ``plan list [--json]`` and ``plan export --ics FILE``."""
    if args.plan_command == "enrol":
        return _enrol(args, paths)
    if args.plan_command == "cancel":
        return _cancel(args.enrolment_id, paths)
    services = build_services(paths)
    try:
        service = services.plan
        if args.plan_command == "export":
            out: Path = args.ics
            count = service.export_ics(out)
            print(f"Wrote {count} planned {'run' if count == 1 else 'runs'} to {out}.")
            return EXIT_OK
        progress = service.all_progress()
        scheduled = service.scheduled()
        if args.json:
            print_json(
                {
                    "enrolments": [progress_dict(p) for p in progress],
                    "scheduled": [scheduled_dict(r) for r in scheduled],
                }
            )
        else:
            _print_plan(progress, scheduled)
        return EXIT_OK
    finally:
        services.close()


def _cancel(enrolment_id: int, paths: AppPaths) -> int:
    """What the Plan page's Leave button does: only an active enrolment can be left; a second call changes nothing."""
    services = build_services(paths)
    try:
        service = services.plan
        progress = service.progress(enrolment_id)  # EnrolmentNotFoundError (exit 2) for an unknown id
        name = progress.program_name
        if progress.enrolment.status == "cancelled":
            raise UserError(f"You already left {name} (enrolment {enrolment_id}); nothing was changed.")
        if progress.enrolment.status == "finished":
            raise UserError(f"{name} (enrolment {enrolment_id}) is finished: no planned runs are left to cancel.")
        service.cancel_enrolment(enrolment_id)
    finally:
        services.close()
    kept = progress.done + progress.skipped
    print(
        f"Left {name} (enrolment {enrolment_id}): {progress.planned} planned "
        f"{'run' if progress.planned == 1 else 'runs'} removed from the calendar; "
        f"{kept} done or skipped {'stays' if kept == 1 else 'stay'} in your history."
    )
    return EXIT_OK


def _enrol(args: argparse.Namespace, paths: AppPaths) -> int:
    # Read everything the runner typed before opening the database, so a typo costs nothing.
    start = parse_date(args.start, "start date")
    days = parse_days(args.days)
    at = parse_time(args.time)
    services = build_services(paths)
    try:
        enrolled = services.plan.enrol(args.program_id, start, days, at, replace=args.replace)
    except EnrolmentClashError as exc:
        raise UserError(f"{exc} To replace it, add --replace.") from exc
    finally:
        services.close()
    runs = enrolled.runs
    day_names = ", ".join(d.capitalize() for d in enrolled.enrolment.days)
    print(
        f"Enrolled in {enrolled.program.name} (enrolment {enrolled.enrolment.id}): {len(runs)} runs on "
        f"{day_names} at {at:%H:%M}, from {runs[0].due_at:%a %Y-%m-%d} to {runs[-1].due_at:%a %Y-%m-%d}."
    )
    return EXIT_OK


# ------------------------------------------------------------------------------------------------ JSON


def program_dict(program: Program, *, detail: bool = False) -> dict[str, object]:
    data: dict[str, object] = {
        "id": program.id,
        "name": program.name,
        "description": program.description,
        "tags": list(program.tags),
        "weeks": len(program.weeks),
        "runs_per_week": list(program.runs_per_week),
        "total_runs": program.total_runs,
        "total_s": program.total_s,
    }
    if detail:
        data["weeks"] = [
            {
                "week": week.number,
                "description": week.description,
                "runs": [_session_dict(run_number, plan) for run_number, plan in enumerate(week.runs, start=1)],
            }
            for week in program.weeks
        ]
    return data


def _session_dict(run_number: int, plan: SessionPlan) -> dict[str, object]:
    return {
        "run": run_number,
        "session_id": plan.id,
        "name": plan.name,
        "description": plan.description,
        "tags": list(plan.tags),
        "total_s": plan.total_s,
        "segments": [
            {
                "kind": seg.kind.value,
                "duration_s": seg.duration_s,
                "label": seg.label,
                "effort": seg.effort,
                "speed_kmh": seg.speed_kmh,
                "incline_pct": seg.incline_pct,
            }
            for seg in plan.segments
        ],
    }


def progress_dict(progress: EnrolmentProgress) -> dict[str, object]:
    enrolment = progress.enrolment
    return {
        "id": enrolment.id,
        "program_id": enrolment.program_id,
        "program_name": progress.program_name,
        "start_date": enrolment.start_date.isoformat(),
        "days": list(enrolment.days),
        "time": enrolment.time.strftime("%H:%M"),
        "status": enrolment.status,
        "weeks": progress.weeks,
        "current_week": progress.current_week,
        "total": progress.total,
        "done": progress.done,
        "skipped": progress.skipped,
        "planned": progress.planned,
        "next_run_id": progress.next_run.id if progress.next_run else None,
    }


def scheduled_dict(run: ScheduledRunRecord) -> dict[str, object]:
    return {
        "id": run.id,
        "uid": run.uid,
        "enrolment_id": run.enrolment_id,
        "session_id": run.session_id,
        "title": run.title,
        "due_at": run.due_at.isoformat(timespec="minutes"),
        "duration_s": run.duration_s,
        "week": run.week,
        "run_number": run.run_number,
        "recurrence": run.recurrence,
        "status": run.status,
        "run_id": run.run_id,
    }


# ------------------------------------------------------------------------------------------------ text


def _print_program(program: Program) -> None:
    print(f"{program.name} ({program.id}): {len(program.weeks)} weeks, {program.total_runs} runs")
    if program.description:
        print(program.description)
    for week in program.weeks:
        print()
        print(week.description or f"Week {week.number}")
        for run_number, plan in enumerate(week.runs, start=1):
            print(f"  Run {run_number}: {round(plan.total_s / 60)} min  ({plan.id})")
            for line in describe_session(plan).splitlines():
                print(f"    {line}")


def _print_plan(progress: list[EnrolmentProgress], scheduled: list[ScheduledRunRecord]) -> None:
    if not progress and not scheduled:
        print("Nothing planned yet. Enrol in a program, for example:")
        print(f"  runcompanion plan enrol c25k --start {dt.date.today().isoformat()} --days mon,wed,sat --time 07:00")
        return
    for p in progress:
        e = p.enrolment
        where = f"week {p.current_week} of {p.weeks}" if p.current_week else "nothing left to run"
        days = ", ".join(d.capitalize() for d in e.days)
        print(
            f"{p.program_name} (enrolment {e.id}, {e.status}): {where}, {p.done}/{p.total} done"
            f"{f', {p.skipped} skipped' if p.skipped else ''}; {days} at {e.time:%H:%M} from {e.start_date}"
        )
    if progress and scheduled:
        print()
    for r in scheduled:
        minutes = round(r.duration_s / 60)
        print(f"{r.id:>4}  {r.due_at:%a %Y-%m-%d %H:%M}  {r.status:<7}  {minutes:>3} min  {r.title}")
