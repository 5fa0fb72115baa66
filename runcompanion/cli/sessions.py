"""``runcompanion sessions [--json]``, ``sessions import FILE`` and ``sessions export ID --out FILE`` (.toml, Zwift
.zwo or FIT .fit, by the file's extension)."""

from __future__ import annotations

import argparse

from runcompanion.cli.output import EXIT_OK, print_json
from runcompanion.core.reference_pace import ReferencePace
from runcompanion.core.session_plan import SessionPlan
from runcompanion.paths import AppPaths
from runcompanion.services.composition import build_services


def _session_dict(plan: SessionPlan) -> dict[str, object]:
    return {
        "id": plan.id,
        "name": plan.name,
        "builtin": plan.builtin,
        "total_s": plan.total_s,
        "segments": len(plan.segments),
        "tags": list(plan.tags),
        "description": plan.description,
    }


def sessions(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        reference = ReferencePace.from_setting(args.pace) if getattr(args, "pace", None) else None
        if args.sessions_command == "import":
            print(services.session_transfer.import_file(args.file, reference).message)
            return EXIT_OK
        if args.sessions_command == "export":
            print(services.session_transfer.export_file(args.session_id, args.out, reference))
            return EXIT_OK
        plans = services.catalog.all()
        if args.json:
            print_json([_session_dict(p) for p in plans])
        else:
            for p in plans:
                origin = "built-in" if p.builtin else "own"
                print(f"{p.id:<22} {round(p.total_s / 60):>3} min  {origin:<8} {p.name}")
        return EXIT_OK
    finally:
        services.close()
