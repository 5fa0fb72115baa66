"""Reading sessions: the TOML files people share and import, and the JSON-able form the app keeps.

Writing them is core/session_writer.py. Both forms go through one validator (``_Reader``), so a session the app
accepts from a file is exactly a session it accepts from its own database, a backup or the session editor, and
every refusal reads the same way: one line naming the file, the segment or field, and what is wrong. The rules
for single fields live in ``session_rules`` so the editor can show them next to the field.

TOML format (built-in files and user imports; docs/programs.md describes it for runners)::

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
    notes = [{ at = "2:30", text = "Shoulders down." }]   # optional: spoken at 2:30 into this segment
    [[segments]]
    repeat = 6                       # a repeat block: its segments 6 times over (not nested)
    segments = [{ kind = "run", duration = "1:00" }, { kind = "walk", duration = "1:30" }]

All functions are pure and may be called from any thread.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from runcompanion.core.errors import UserError
from runcompanion.core.file_values import is_list
from runcompanion.core.session_plan import (
    Repeat,
    Segment,
    SessionItem,
    SessionPlan,
    SpokenNote,
    expand_items,
)
from runcompanion.core.session_rules import (
    MAX_BLOCK_SEGMENTS,
    MAX_DESCRIPTION_CHARS,
    MAX_FILE_BYTES,
    MAX_LABEL_CHARS,
    MAX_NAME_CHARS,
    MAX_NOTES_PER_SEGMENT,
    MAX_SEGMENTS,
    MAX_SESSION_S,
    MAX_SLUG_CHARS,
    MAX_TAGS,
    FieldProblem,
    check_duration,
    check_effort,
    check_incline,
    check_kind,
    check_note_offset,
    check_note_text,
    check_repeat,
    check_slug,
    check_speed,
    check_text,
)
from runcompanion.core.session_writer import session_to_dict
from runcompanion.core.spoken_texts import parse_spoken
from runcompanion.core.toml_text import (
    clock_text,
    decode_text,
    load_toml,
    quote,
    show,
)

_T = TypeVar("_T")
_TOP_FIELDS = ("id", "name", "description", "tags", "segments", "spoken")
_BLOCK_FIELDS = ("repeat", "segments")
# Letters that Unicode does not decompose into a base letter and an accent, so NFKD alone would drop them.
_FOLD = str.maketrans(
    {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d"}
    | {"Đ": "D", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D"}
)


@dataclass(frozen=True, slots=True)
class _Form:
    """What differs between the TOML form and the stored dict form; everything else is shared."""

    duration_key: str
    note_key: str
    text_allowed: bool
    id_required: bool

    @property
    def segment_fields(self) -> tuple[str, ...]:
        return ("kind", self.duration_key, "label", "effort", "speed_kmh", "incline_pct", "notes")


_TOML_FORM = _Form(duration_key="duration", note_key="at", text_allowed=True, id_required=False)
_BUILTIN_TOML_FORM = _Form(duration_key="duration", note_key="at", text_allowed=True, id_required=True)
_DICT_FORM = _Form(duration_key="duration_s", note_key="at_s", text_allowed=False, id_required=True)


# ---------------------------------------------------------------------------------------------- public API


def slugify(name: str) -> str:
    """A slug for ``name`` that matches the id rule: ``"Café Run #2!"`` -> ``"cafe-run-2"``.

    Accents fold to plain letters so ids stay readable; a name with no usable letter gives ``"session"``.
    """
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    slug = slug[:MAX_SLUG_CHARS].rstrip("-")
    return slug or "session"


def parse_session_toml(data: str | bytes, source: str, *, builtin: bool = False) -> SessionPlan:
    """Read a session from TOML text. ``source`` names the file in messages.

    Raises ``UserError`` (one line: file, where, why) for anything that is not a valid session; never any
    other exception, whatever the input. Built-in files must carry an ``id``; imports may leave it out.
    """
    text = decode_text(data, source, max_bytes=MAX_FILE_BYTES, what="a session file")
    raw = load_toml(text, source, what="a session")
    return _Reader(source, _BUILTIN_TOML_FORM if builtin else _TOML_FORM).plan(raw, builtin=builtin)


def session_from_dict(data: Mapping[str, object], source: str, *, builtin: bool = False) -> SessionPlan:
    """Rebuild a session from ``session_to_dict`` output (also after JSON), checked like the TOML path.

    ``source`` says where the data came from in messages (``"backup.json: own session 3"``).
    """
    return _Reader(source, _DICT_FORM).plan(data, builtin=builtin)


def validate_session(plan: SessionPlan, source: str) -> SessionPlan:
    """Check a plan built in code (the session editor, an importer) by the rules for files; returns it normalised."""
    return _Reader(source, _DICT_FORM).plan(session_to_dict(plan), builtin=plan.builtin)


# ---------------------------------------------------------------------------------------------- validation


class _Reader:
    """The one validator behind every way a session comes in."""

    def __init__(self, source: str, form: _Form) -> None:
        self.source = source
        self.form = form

    def fail(self, where: str, message: str) -> UserError:
        return UserError(f"{self.source}: {where}: {message}" if where else f"{self.source}: {message}")

    def plan(self, raw: object, *, builtin: bool) -> SessionPlan:
        source = self.source
        if not isinstance(raw, Mapping):
            raise UserError(f"{source}: a session must be a table of fields, got {show(raw)}")
        for key in raw:
            if key not in _TOP_FIELDS:
                raise UserError(f"{source}: unknown field {quote(key)} (allowed: {', '.join(_TOP_FIELDS)})")
        for key in ("name", "segments"):
            if key not in raw:
                raise UserError(f"{source}: missing required field {quote(key)}")
        name = self.field("", check_text, raw["name"], "name", MAX_NAME_CHARS, single_line=True)
        if not name:
            raise UserError(f"{source}: name must not be empty")
        if "id" in raw:
            session_id = self.field("", check_slug, raw["id"], "id")
        elif self.form.id_required:
            raise UserError(f'{source}: missing required field "id"')
        else:
            session_id = slugify(name)
        description = ""
        if raw.get("description") is not None:
            description = self.field(
                "", check_text, raw["description"], "description", MAX_DESCRIPTION_CHARS, single_line=False
            )
        items = self.items(raw["segments"])
        segments, repeats = expand_items(items)
        if not 1 <= len(segments) <= MAX_SEGMENTS:
            raise UserError(f"{source}: a session needs between 1 and {MAX_SEGMENTS} segments, got {len(segments)}")
        total = sum(s.duration_s for s in segments)
        if total > MAX_SESSION_S:
            raise UserError(
                f"{source}: the whole session must be at most 6 hours, got {clock_text(total)} ({total:g} seconds)"
            )
        briefing, themes = parse_spoken(raw.get("spoken"), source, len(segments))
        return SessionPlan(
            id=session_id,
            name=name,
            segments=segments,
            description=description,
            tags=self.tags(raw.get("tags")),
            builtin=builtin,
            repeats=repeats,
            briefing=briefing,
            themes=themes,
        )

    def field(self, where: str, check: Callable[..., _T], value: object, *args: object, **kwargs: object) -> _T:
        try:
            return check(value, *args, **kwargs)
        except FieldProblem as problem:
            raise self.fail(where, str(problem)) from None

    def tags(self, raw_tags: object) -> tuple[str, ...]:
        if raw_tags is None:
            return ()
        if not is_list(raw_tags):
            raise UserError(f'{self.source}: tags must be a list of words like "beginner", got {show(raw_tags)}')
        if len(raw_tags) > MAX_TAGS:
            raise UserError(f"{self.source}: tags: at most {MAX_TAGS} tags, got {len(raw_tags)}")
        tags: list[str] = []
        for i, tag in enumerate(raw_tags, start=1):
            slug = self.field("", check_slug, tag, f"tag {i}")
            if slug not in tags:  # a repeated tag is harmless, so it is folded rather than refused
                tags.append(slug)
        return tuple(tags)

    def items(self, raw_items: object) -> list[SessionItem]:
        if not is_list(raw_items):
            raise UserError(f"{self.source}: segments must be a list of [[segments]] tables, got {show(raw_items)}")
        if not 1 <= len(raw_items) <= MAX_SEGMENTS:
            raise UserError(
                f"{self.source}: a session needs between 1 and {MAX_SEGMENTS} segments, got {len(raw_items)}"
            )
        items: list[SessionItem] = []
        for number, raw in enumerate(raw_items, start=1):
            where = f"segment {number}"
            if isinstance(raw, Mapping) and "repeat" in raw:
                items.append(self.block(raw, where))
            else:
                items.append(self.segment(raw, where))
        return items

    def block(self, raw: Mapping[str, object], where: str) -> Repeat:
        for key in raw:
            if key not in _BLOCK_FIELDS:
                raise self.fail(where, f"unknown field {quote(key)} in a repeat block (allowed: repeat, segments)")
        times = self.field(where, check_repeat, raw["repeat"])
        body = raw.get("segments")
        if not is_list(body) or not 1 <= len(body) <= MAX_BLOCK_SEGMENTS:
            raise self.fail(
                where, f"a repeat block needs a list of 1 to {MAX_BLOCK_SEGMENTS} segments, got {show(body)}"
            )
        segments: list[Segment] = []
        for number, item in enumerate(body, start=1):
            inner = f"{where}.{number}"
            if isinstance(item, Mapping) and "repeat" in item:
                raise self.fail(inner, "repeat blocks cannot be nested in a session")
            segments.append(self.segment(item, inner))
        return Repeat(times, tuple(segments))

    def segment(self, raw: object, where: str) -> Segment:
        form = self.form
        if not isinstance(raw, Mapping):
            raise UserError(f"{self.source}: {where} must be a table ([[segments]]), got {show(raw)}")
        allowed = form.segment_fields
        for key in raw:
            if key not in allowed:
                raise UserError(f"{self.source}: unknown field {quote(key)} in {where} (allowed: {', '.join(allowed)})")
        for key in ("kind", form.duration_key):
            if key not in raw:
                raise self.fail(where, f"missing required field {quote(key)}")
        kind = self.field(where, check_kind, raw["kind"])
        duration = self.field(
            where, check_duration, raw[form.duration_key], form.duration_key, text_allowed=form.text_allowed
        )
        label = ""
        if raw.get("label") is not None:
            label = self.field(where, check_text, raw["label"], "label", MAX_LABEL_CHARS, single_line=True)
        value = raw.get("effort")
        effort = None if value is None else self.field(where, check_effort, value)
        value = raw.get("speed_kmh")
        speed = None if value is None else self.field(where, check_speed, value)
        value = raw.get("incline_pct")
        incline = None if value is None else self.field(where, check_incline, value)
        notes = self.notes(raw.get("notes"), where, duration)
        return Segment(kind, duration, label, effort, speed, incline, notes)

    def notes(self, raw_notes: object, where: str, duration: float) -> tuple[SpokenNote, ...]:
        if raw_notes is None:
            return ()
        key = self.form.note_key
        if not is_list(raw_notes) or len(raw_notes) > MAX_NOTES_PER_SEGMENT:
            raise self.fail(
                where,
                f'notes must be a list of at most {MAX_NOTES_PER_SEGMENT} {{ {key} = ..., text = "..." }} tables, '
                f"got {show(raw_notes)}",
            )
        notes: list[SpokenNote] = []
        for number, raw in enumerate(raw_notes, start=1):
            at = f"{where}: note {number}"
            if not isinstance(raw, Mapping):
                raise self.fail(at, f"must be a table with {key} and text, got {show(raw)}")
            for field in raw:
                if field not in (key, "text"):
                    raise self.fail(at, f"unknown field {quote(field)} (allowed: {key}, text)")
            for field in (key, "text"):
                if field not in raw:
                    raise self.fail(at, f"missing required field {quote(field)}")
            offset = self.field(at, check_note_offset, raw[key], duration, key, text_allowed=self.form.text_allowed)
            notes.append(SpokenNote(offset, self.field(at, check_note_text, raw["text"])))
        notes.sort(key=lambda n: n.at_s)
        return tuple(notes)
