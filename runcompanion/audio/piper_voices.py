"""Piper voices the user added: a folder of ``NAME.onnx`` + ``NAME.onnx.json`` (+ ``NAME.MODEL_CARD``).

The app ships no voice model. ``add_piper_voice`` copies a voice the user downloaded into the folder, but only
after it has loaded and spoken a test sentence, so a broken or half-downloaded file never appears in the voice
list. The model card travels with it because a voice's licence is written there (Piper's voices come from
many datasets under different terms) and Settings and ``runcompanion voices`` show it.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from runcompanion.audio.voices import PIPER, VoiceInfo, qualified_id
from runcompanion.core.errors import UserError

__all__ = ["PiperVoiceFiles", "find_model_card", "licence_from_card", "list_piper_voices", "voice_files"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
MAX_CONFIG_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PiperVoiceFiles:
    model: Path
    config: Path
    card: Path | None

    @property
    def name(self) -> str:
        return self.model.name.removesuffix(".onnx")


def voice_files(folder: Path, name: str) -> PiperVoiceFiles:
    model = folder / f"{name}.onnx"
    card = folder / f"{name}.MODEL_CARD"
    return PiperVoiceFiles(model, folder / f"{name}.onnx.json", card if card.is_file() else None)


def find_model_card(model: Path) -> Path | None:
    """The model card beside a downloaded voice: ``NAME.MODEL_CARD``, ``NAME.onnx.MODEL_CARD`` or the
    ``MODEL_CARD`` of its folder (how Piper's voice repository lays them out)."""
    name = model.name.removesuffix(".onnx")
    for candidate in (f"{name}.MODEL_CARD", f"{model.name}.MODEL_CARD", "MODEL_CARD"):
        path = model.parent / candidate
        if path.is_file():
            return path
    return None


def licence_from_card(card: Path | None) -> str:
    """The licence lines of a Piper model card ("License: CC0"), or a sentence saying none is known."""
    if card is None:
        return "licence unknown (no model card came with the voice)"
    try:
        text = card.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return "licence unknown (the model card cannot be read)"
    found = [m.group(1).strip() for m in re.finditer(r"(?im)^\W*licen[cs]e\W*:?\s*(.+)$", text)]
    return "; ".join(dict.fromkeys(found)) if found else "licence not stated in the model card"


def read_config(path: Path) -> dict[str, object]:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise UserError(f"{path.name} is too large to be a Piper voice configuration.")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{path.name} is not a readable Piper voice configuration ({exc}).") from exc
    if not isinstance(data, dict) or not isinstance(data.get("audio"), dict):
        raise UserError(f"{path.name} is not a Piper voice configuration (it has no audio section).")
    return data


def _voice_info(files: PiperVoiceFiles) -> VoiceInfo:
    config = read_config(files.config)
    audio = config.get("audio")
    language = config.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    quality = audio.get("quality") if isinstance(audio, dict) else None
    dataset = config.get("dataset")
    name = str(dataset or files.name).replace("_", " ").title()
    if isinstance(language, dict) and language.get("name_english"):
        name = f"{name} ({language['name_english']}, {language.get('country_english') or code})"
    return VoiceInfo(
        id=qualified_id(PIPER, files.name),
        name=name,
        languages=(str(code).lower().replace("_", "-"),) if code else (),
        engine=PIPER,
        quality=str(quality) if quality else None,
        licence=licence_from_card(files.card),
    )


def list_piper_voices(folder: Path) -> list[VoiceInfo]:
    """The voices in ``folder`` (complete pairs only; a bad configuration is skipped with a log line)."""
    voices = []
    for model in sorted(folder.glob("*.onnx")) if folder.is_dir() else []:
        files = voice_files(folder, model.name.removesuffix(".onnx"))
        if not files.config.is_file():
            continue
        try:
            voices.append(_voice_info(files))
        except UserError:
            continue
    return voices


def check_name(model: Path) -> str:
    if model.suffix != ".onnx":
        raise UserError(f"{model.name} is not a Piper voice: choose its .onnx file.")
    name = model.name.removesuffix(".onnx")
    if not _NAME.match(name):
        raise UserError(f"{model.name}: a voice file name may hold only letters, digits, '.', '_' and '-'.")
    return name


def stage_copy(model: Path, folder: Path) -> tuple[Path, PiperVoiceFiles]:
    """Copy the voice (model, configuration, model card) into a new private temp folder inside ``folder``."""
    name = check_name(model)
    config = Path(f"{model}.json")
    if not model.is_file():
        raise UserError(f"{model} does not exist.")
    if not config.is_file():
        raise UserError(f"{config.name} is missing: a Piper voice needs its .onnx.json file beside the .onnx.")
    read_config(config)
    if (folder / model.name).exists():
        raise UserError(f"A voice called {name} is already added. Remove it first to replace it.")
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".add-", dir=folder))
    card = find_model_card(model)
    try:
        shutil.copyfile(model, staging / model.name)
        shutil.copyfile(config, staging / config.name)
        if card is not None:
            shutil.copyfile(card, staging / f"{name}.MODEL_CARD")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UserError(f"Cannot copy the voice into {folder}: {exc.strerror or exc}.") from exc
    return staging, voice_files(staging, name)


def publish(staging: Path, folder: Path, name: str) -> PiperVoiceFiles:
    """Move a checked voice from its staging folder into place: configuration and card first, the model last,
    so the voice is listed (listing needs the .onnx) only once all its files are there."""
    try:
        for suffix in (".onnx.json", ".MODEL_CARD", ".onnx"):
            src = staging / f"{name}{suffix}"
            if src.exists():
                src.replace(folder / src.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return voice_files(folder, name)
