"""``runcompanion voices`` (every voice of every engine, in the order Settings shows them) and ``voices add
FILE.onnx`` (a Piper voice the runner downloaded, copied into the config folder once it loads and speaks)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from runcompanion.cli.output import EXIT_OK, print_json
from runcompanion.core.app_settings import AppSettings
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services.composition import Services, build_services


def voices(args: argparse.Namespace, paths: AppPaths) -> int:
    if getattr(args, "voices_command", None) == "add":
        return _add(args.file, paths)
    services = build_services(paths)
    try:
        found, problems = services.cues.all_voices()
        if args.json:
            print_json(
                {
                    "voices": [
                        {
                            "id": v.id,
                            "name": v.name,
                            "language": v.language,
                            "engine": v.engine,
                            "gender": v.gender,
                            "quality": v.quality,
                            "licence": v.licence,
                        }
                        for v in found
                    ],
                    "problems": problems,
                }
            )
            return EXIT_OK
        from runcompanion.audio.voices import ENGINE_LABELS

        for v in found:
            extra = f"  [{v.licence}]" if v.licence else ""
            print(f"{v.id:<40} {v.language or '-':<15} {ENGINE_LABELS.get(v.engine, v.engine):<26} {v.name}{extra}")
        for engine, problem in problems.items():
            print(f"runcompanion: {ENGINE_LABELS.get(engine, engine)}: {problem}", file=sys.stderr)
        return EXIT_OK
    finally:
        services.close()


def _add(model: Path, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        voice = services.cues.add_piper_voice(model.expanduser().resolve())
        print(f"Added {voice.name} as {voice.id} ({voice.quality or 'unknown'} quality, licence: {voice.licence}).")
        print(f"Use it with --voice {voice.id}, or choose it in Settings.")
        return EXIT_OK
    finally:
        services.close()


def check_voice(services: Services, voice_id: str) -> None:
    """Refuse, in words, a voice no engine offers (before a window opens or minutes of rendering start)."""
    found, problems = services.cues.all_voices()
    if any(v.id.lower() == voice_id.lower() for v in found):
        return
    from runcompanion.audio.voices import engine_of

    engine = engine_of(voice_id)
    if engine in problems:
        raise UserError(f"The voice '{voice_id}' cannot speak: {problems[engine]}")
    raise UserError(f"The voice '{voice_id}' is not installed; `runcompanion voices` lists the voices there are.")


def with_voice(settings: AppSettings, voice_id: str | None) -> AppSettings:
    """The settings with ``--voice`` applied (for this command only; nothing is saved)."""
    return settings if voice_id is None else settings.with_changes(voice_id=voice_id)
