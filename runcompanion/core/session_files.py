"""Reading and writing sessions: the TOML files people share and import, and the JSON-able form the app keeps.

Both forms go through one validator (``_build_plan``), so a session the app accepts from a file is exactly a
session it accepts from its own database or a backup, and every refusal reads the same way: one line naming
the file, the segment or field, and what is wrong.

TOML format (built-in files and user imports)::

    id = "first-walk-run"            # optional in imports: derived from the name
    name = "First walk-run"
    description = "..."              # optional
    tags = ["beginner", "walk-run"]  # optional
    [[segments]]
    kind = "warmup"                  # warmup | run | walk | recover | cooldown | free
    duration = "5:00"                # "m:ss", "h:mm:ss" or a number of seconds
    label = "Brisk walk"             # optional
    effort = 3                       # optional, Borg CR10 0..10
    speed_kmh = 5.5                  # optional
    incline_pct = 1.0                # optional

All functions are pure and may be called from any thread.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from runcompanion.core.errors import UserError
from runcompanion.core.file_values import is_int, is_list, is_number, parse_clock_text
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan

MAX_FILE_BYTES = 256 * 1024
MAX_SEGMENTS = 200
MAX_TAGS = 20
MIN_SEGMENT_S = 1.0
MAX_SEGMENT_S = 4 * 3600.0
MAX_SESSION_S = 6 * 3600.0
MAX_NAME_CHARS = 80
MAX_DESCRIPTION_CHARS = 2000
MAX_LABEL_CHARS = 60
MAX_SLUG_CHARS = 48
EFFORT_RANGE = (0, 10)
SPEED_RANGE_KMH = (0.5, 30.0)
INCLINE_RANGE_PCT = (-5.0, 25.0)

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
_TOML_POSITION_RE = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.DOTALL)

_TOP_FIELDS = ("id", "name", "description", "tags", "segments")
_KIND_VALUES = frozenset(k.value for k in SegmentKind)
# Letters that Unicode does not decompose into a base letter and an accent, so NFKD alone would drop them.
_FOLD = str.maketrans(
    {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d"}
    | {"Đ": "D", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D"}
)


@dataclass(frozen=True, slots=True)
class _Form:
    """What differs between the TOML form and the stored dict form; everything else is shared."""

    duration_key: str
    duration_text_allowed: bool
    id_required: bool

    @property
    def segment_fields(self) -> tuple[str, ...]:
        return ("kind", self.duration_key, "label", "effort", "speed_kmh", "incline_pct")


_TOML_FORM = _Form(duration_key="duration", duration_text_allowed=True, id_required=False)
_BUILTIN_TOML_FORM = _Form(duration_key="duration", duration_text_allowed=True, id_required=True)
_DICT_FORM = _Form(duration_key="duration_s", duration_text_allowed=False, id_required=True)


# ---------------------------------------------------------------------------------------------- public API


def slugify(name: str) -> str:
    """A slug for ``name`` that matches the id rule: ``"Café Run #2!"`` -> ``"cafe-run-2"``.

    Accents fold to plain letters so ids stay readable; a name with no usable letter gives ``"session"``.
    """
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD)).encode("ascii", "ignore").decode("ascii")
    folded = folded.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    slug = slug[:MAX_SLUG_CHARS].rstrip("-")
    return slug or "session"


def parse_session_toml(data: str | bytes, source: str, *, builtin: bool = False) -> SessionPlan:
    """Read a session from TOML text. ``source`` names the file in messages.

    Raises ``UserError`` (one line: file, where, why) for anything that is not a valid session; never any
    other exception, whatever the input. Built-in files must carry an ``id``; imports may leave it out.
    """
    text = _decode(data, source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(_toml_error_line(source, exc)) from None
    except RecursionError:
        raise UserError(f"{source}: the file is nested too deeply to be a session") from None
    except ValueError as exc:
        # tomllib lets a few ValueErrors through, notably an integer with thousands of digits.
        reason = "a number has far too many digits" if "digits" in str(exc) else "a value could not be read"
        raise UserError(f"{source}: not a valid session file: {reason}") from None
    return _build_plan(raw, source, _BUILTIN_TOML_FORM if builtin else _TOML_FORM, builtin=builtin)


def dump_session_toml(plan: SessionPlan) -> str:
    """The session as TOML in the format ``parse_session_toml`` reads; parsing it gives back an equal plan.

    Whole-second durations are written as ``"m:ss"`` (``"h:mm:ss"`` from an hour up), others as seconds.
    The plan should be valid (as parse and ``session_from_dict`` make them); ``validate_session`` checks one.
    """
    lines = [f"id = {_toml_str(plan.id)}", f"name = {_toml_str(plan.name)}"]
    if plan.description:
        lines.append(f"description = {_toml_str(plan.description)}")
    if plan.tags:
        lines.append(f"tags = [{', '.join(_toml_str(t) for t in plan.tags)}]")
    for seg in plan.segments:
        lines += ["", "[[segments]]", f"kind = {_toml_str(seg.kind.value)}"]
        lines.append(f"duration = {_toml_duration(seg.duration_s)}")
        if seg.label:
            lines.append(f"label = {_toml_str(seg.label)}")
        if seg.effort is not None:
            lines.append(f"effort = {int(seg.effort)}")
        if seg.speed_kmh is not None:
            lines.append(f"speed_kmh = {_toml_float(seg.speed_kmh)}")
        if seg.incline_pct is not None:
            lines.append(f"incline_pct = {_toml_float(seg.incline_pct)}")
    return "\n".join(lines) + "\n"


def session_to_dict(plan: SessionPlan) -> dict[str, object]:
    """The canonical JSON-able form of a session, for the database and the JSON backup.

    Durations are float seconds under ``duration_s``; optional targets that are not set are left out. The
    ``builtin`` flag is not part of it: stored and backed-up sessions are the runner's own.
    """
    segments: list[dict[str, object]] = []
    for seg in plan.segments:
        item: dict[str, object] = {"kind": seg.kind.value, "duration_s": float(seg.duration_s)}
        if seg.label:
            item["label"] = seg.label
        if seg.effort is not None:
            item["effort"] = int(seg.effort)
        if seg.speed_kmh is not None:
            item["speed_kmh"] = float(seg.speed_kmh)
        if seg.incline_pct is not None:
            item["incline_pct"] = float(seg.incline_pct)
        segments.append(item)
    return {
        "id": plan.id,
        "name": plan.name,
        "description": plan.description,
        "tags": list(plan.tags),
        "segments": segments,
    }


def session_from_dict(data: Mapping[str, object], source: str, *, builtin: bool = False) -> SessionPlan:
    """Rebuild a session from ``session_to_dict`` output (also after JSON), checked like the TOML path.

    ``source`` says where the data came from in messages (``"backup.json: own session 3"``).
    """
    return _build_plan(data, source, _DICT_FORM, builtin=builtin)


def validate_session(plan: SessionPlan, source: str) -> SessionPlan:
    """Check a plan built in code (the session editor) by the rules for files; returns the normalised plan."""
    return _build_plan(session_to_dict(plan), source, _DICT_FORM, builtin=plan.builtin)


# ---------------------------------------------------------------------------------------------- validation


def _build_plan(raw: Mapping[str, object], source: str, form: _Form, *, builtin: bool) -> SessionPlan:
    """The one validator behind every way a session comes in."""
    if not isinstance(raw, Mapping):
        raise UserError(f"{source}: a session must be a table of fields, got {_show(raw)}")
    for key in raw:
        if key not in _TOP_FIELDS:
            raise UserError(f"{source}: unknown field {_quote(key)} (allowed: {', '.join(_TOP_FIELDS)})")
    for key in ("name", "segments"):
        if key not in raw:
            raise UserError(f"{source}: missing required field {_quote(key)}")

    name = _text(raw["name"], source, "name", MAX_NAME_CHARS, single_line=True)
    if not name:
        raise UserError(f"{source}: name must not be empty")

    if "id" in raw:
        session_id = _slug(raw["id"], source, "id")
    elif form.id_required:
        raise UserError(f'{source}: missing required field "id"')
    else:
        session_id = slugify(name)

    description = ""
    if raw.get("description") is not None:
        description = _text(raw["description"], source, "description", MAX_DESCRIPTION_CHARS, single_line=False)

    tags: list[str] = []
    if raw.get("tags") is not None:
        raw_tags = raw["tags"]
        if not is_list(raw_tags):
            raise UserError(f'{source}: tags must be a list of words like "beginner", got {_show(raw_tags)}')
        if len(raw_tags) > MAX_TAGS:
            raise UserError(f"{source}: tags: at most {MAX_TAGS} tags, got {len(raw_tags)}")
        for i, tag in enumerate(raw_tags, start=1):
            slug = _slug(tag, source, f"tag {i}")
            if slug not in tags:  # a repeated tag is harmless, so it is folded rather than refused
                tags.append(slug)

    raw_segments = raw["segments"]
    if not is_list(raw_segments):
        raise UserError(f"{source}: segments must be a list of [[segments]] tables, got {_show(raw_segments)}")
    if not 1 <= len(raw_segments) <= MAX_SEGMENTS:
        raise UserError(f"{source}: a session needs between 1 and {MAX_SEGMENTS} segments, got {len(raw_segments)}")
    segments = tuple(_segment(item, source, i, form) for i, item in enumerate(raw_segments, start=1))
    total = sum(s.duration_s for s in segments)
    if total > MAX_SESSION_S:
        raise UserError(
            f"{source}: the whole session must be at most 6 hours, got {_clock_text(total)} ({total:g} seconds)"
        )
    return SessionPlan(
        id=session_id,
        name=name,
        segments=segments,
        description=description,
        tags=tuple(tags),
        builtin=builtin,
    )


def _segment(raw: object, source: str, number: int, form: _Form) -> Segment:
    where = f"segment {number}"
    if not isinstance(raw, Mapping):
        raise UserError(f"{source}: {where} must be a table ([[segments]]), got {_show(raw)}")
    allowed = form.segment_fields
    for key in raw:
        if key not in allowed:
            raise UserError(f"{source}: unknown field {_quote(key)} in {where} (allowed: {', '.join(allowed)})")
    for key in ("kind", form.duration_key):
        if key not in raw:
            raise UserError(f"{source}: {where}: missing required field {_quote(key)}")

    kind_value = raw["kind"]
    kinds = ", ".join(k.value for k in SegmentKind)
    if not isinstance(kind_value, str) or kind_value not in _KIND_VALUES:
        raise UserError(f"{source}: {where}: kind must be one of {kinds}; got {_show(kind_value)}")
    kind = SegmentKind(kind_value)

    duration = _duration(raw[form.duration_key], source, where, form)

    label = ""
    if raw.get("label") is not None:
        label = _text(raw["label"], source, f"{where}: label", MAX_LABEL_CHARS, single_line=True)

    effort: int | None = None
    if raw.get("effort") is not None:
        value = raw["effort"]
        lo, hi = EFFORT_RANGE
        if not is_int(value) or not lo <= value <= hi:
            raise UserError(
                f"{source}: {where}: effort must be a whole number from {lo} to {hi} (Borg CR10), got {_show(value)}"
            )
        effort = value

    speed = _optional_number(raw, source, where, "speed_kmh", bounds=SPEED_RANGE_KMH, unit="km/h")
    incline = _optional_number(raw, source, where, "incline_pct", bounds=INCLINE_RANGE_PCT, unit="%")
    return Segment(kind=kind, duration_s=duration, label=label, effort=effort, speed_kmh=speed, incline_pct=incline)


def _duration(value: object, source: str, where: str, form: _Form) -> float:
    key = form.duration_key
    seconds: float | int
    if isinstance(value, str) and form.duration_text_allowed:
        parsed = parse_clock_text(value)
        if parsed is None:
            raise UserError(
                f'{source}: {where}: {key} must be "m:ss", "h:mm:ss" or a number of seconds, got {_show(value)}'
            )
        seconds = parsed
    elif is_number(value):
        seconds = value
    else:
        expected = '"m:ss", "h:mm:ss" or a number of seconds' if form.duration_text_allowed else "a number"
        raise UserError(f"{source}: {where}: {key} must be {expected}, got {_show(value)}")
    # NaN fails both comparisons, so it is refused here as well; big ints compare exactly without overflow.
    if not MIN_SEGMENT_S <= seconds <= MAX_SEGMENT_S:
        raise UserError(f"{source}: {where}: {key} must be between 1 second and 4 hours, got {_show(value)}")
    return float(seconds)


def _optional_number(
    raw: Mapping[str, object], source: str, where: str, key: str, *, bounds: tuple[float, float], unit: str
) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    lo, hi = bounds
    if not is_number(value) or not lo <= value <= hi:
        raise UserError(f"{source}: {where}: {key} must be a number from {lo:g} to {hi:g} {unit}, got {_show(value)}")
    return float(value)


def _text(value: object, source: str, where: str, max_chars: int, *, single_line: bool) -> str:
    if not isinstance(value, str):
        raise UserError(f"{source}: {where} must be text, got {_show(value)}")
    if not _encodable(value):
        raise UserError(f"{source}: {where} contains characters that are not valid text")
    text = value.strip()
    if len(text) > max_chars:
        raise UserError(f"{source}: {where} must be at most {max_chars} characters, got {len(text)}")
    # Names and labels are shown on one line in big type and spoken; a control character would garble both.
    if single_line and any(unicodedata.category(ch) == "Cc" for ch in text):
        raise UserError(f"{source}: {where} must be one line without control characters")
    return text


def _slug(value: object, source: str, where: str) -> str:
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        raise UserError(
            f"{source}: {where} must be lower-case letters, digits and hyphens (at most {MAX_SLUG_CHARS}, "
            f"starting with a letter or digit), got {_show(value)}"
        )
    return value


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ------------------------------------------------------------------------------------------------ messages


def _decode(data: str | bytes, source: str) -> str:
    if isinstance(data, str):
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError:
            raise UserError(f"{source}: the text contains characters that are not valid Unicode") from None
    else:
        raw = data
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(
            f"{source}: the file is {len(raw) // 1024} KiB; a session file can be at most {MAX_FILE_BYTES // 1024} KiB"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UserError(f"{source}: line {line}: the file is not UTF-8 text (byte {exc.start + 1})") from None
    # Some Windows editors start UTF-8 files with a byte-order mark, which TOML does not allow.
    return text.removeprefix("\ufeff")


def _toml_error_line(source: str, exc: tomllib.TOMLDecodeError) -> str:
    message = _one_line(str(exc))
    if m := _TOML_POSITION_RE.match(message):
        return f"{source}: line {m['line']}, column {m['col']}: {m['msg']}"
    return f"{source}: {message}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quote(key: object) -> str:
    return json.dumps(str(key)[:40], ensure_ascii=False)


def _show(value: object) -> str:
    """A short, single-line rendering of a bad value for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # str() of an int with thousands of digits raises ValueError, and would not help anyone anyway.
        return "a very large number" if abs(value) >= 10**30 else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(short, ensure_ascii=False)
    if isinstance(value, datetime | date | time):
        return "a date or time"
    if isinstance(value, Mapping):
        return "a table"
    if is_list(value):
        return "a list"
    return type(value).__name__


# ------------------------------------------------------------------------------------------------- writing


def _toml_str(text: str) -> str:
    """A TOML basic string: quote, backslash and control characters other than tab must be escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_float(value: float) -> str:
    # repr round-trips exactly and, in the ranges the validator allows, never uses an exponent.
    return repr(float(value))


def _toml_duration(seconds: float) -> str:
    if float(seconds).is_integer():
        return _toml_str(_clock_text(seconds))
    return _toml_float(seconds)


def _clock_text(seconds: float) -> str:
    """``"m:ss"`` below an hour, ``"h:mm:ss"`` from an hour up; fractions are rounded to the second."""
    whole = round(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
