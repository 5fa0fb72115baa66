"""The library of spoken mindfulness, motivation, science and reflection cues, read from TOML cue packs.

A pack is a TOML file with one ``[[cue]]`` table per cue (the format is described in ``docs/cues.md``). The
shipped packs live in ``resources/cues``; a runner may add their own. Core code never looks for files: callers
read the bytes and pass ``(name, content)`` pairs in, so the same parser serves built-in packs, user packs and
tests.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from runcompanion.core.cue_timeline import CueKind
from runcompanion.core.errors import UserError
from runcompanion.core.file_values import is_number
from runcompanion.core.session_plan import Segment, SegmentKind

LIBRARY_KINDS: tuple[CueKind, ...] = (
    CueKind.MINDFULNESS,
    CueKind.MOTIVATION,
    CueKind.SCIENCE,
    CueKind.REFLECTION,
)
"""The cue kinds a pack may contain; interval, countdown and halfway cues come from templates instead."""

MAX_PACK_BYTES = 1024 * 1024
MAX_TEXT_CHARS = 300
MAX_ID_CHARS = 64

_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_Fail = Callable[[str], UserError]
"""Builds the one-line error for the cue being parsed from a reason."""

_FIELDS = frozenset(
    {"id", "kind", "text", "source", "claim", "tags", "segments", "min_elapsed_s", "max_effort", "weight"}
)

CUE_TAGS: dict[str, str] = {
    "hard": "made for hard efforts: at most 8 words, the only library cues a hard short segment may hear",
    "counting": "breath or step counting: only in easy segments long enough for it",
    "body-scan": "a slow body scan: only in easy segments long enough for it",
    "rest": "permission to walk, slow down or stop",
    "gentle": "suits a low day (a check-in of -2 or below)",
    "upbeat": "suits a good day (a check-in of 2 or more)",
    "theme-breath": "follows a mindful segment about the breath",
    "theme-steps": "follows a mindful segment about the steps",
    "theme-body": "follows a mindful segment of a slow body scan",
    "theme-open": "follows a mindful segment of open awareness",
    "nearly-done": "says the end is near: only in the last quarter of its segment or of the session",
}
"""The tags a cue may carry and what they tell the coach (docs/cues.md repeats this list)."""

HARD_CUE_MAX_WORDS = 8
"""A cue tagged ``hard`` is spoken mid-sprint, so it must be this short."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One spoken cue from a pack.

    ``segments`` is ``None`` when the cue fits every segment kind. ``max_effort`` keeps a cue out of segments
    whose effort target (Borg CR10) is above it; segments without an effort target always pass. ``source`` is
    the on-screen caption of a science cue (authors, year, journal); ``claim`` is the exact finding the source
    supports, which docs/cues.md lists. ``tags`` come from :data:`CUE_TAGS`.
    """

    id: str
    kind: CueKind
    text: str
    source: str = ""
    claim: str = ""
    tags: frozenset[str] = frozenset()
    segments: frozenset[SegmentKind] | None = None
    min_elapsed_s: float = 0.0
    max_effort: int | None = None
    weight: float = 1.0

    def fits(self, segment: Segment, elapsed_s: float) -> bool:
        """Whether this cue suits ``segment`` at ``elapsed_s`` seconds into the session."""
        if self.segments is not None and segment.kind not in self.segments:
            return False
        if elapsed_s < self.min_elapsed_s:
            return False
        return self.max_effort is None or segment.effort is None or segment.effort <= self.max_effort

    @property
    def word_count(self) -> int:
        return len(self.text.split())


class CueLibrary:
    """An immutable, ordered set of cues with unique ids.

    Remembers which pack each cue came from, so that a clash between a user pack and a built-in one can say
    where the first definition lives.
    """

    __slots__ = ("_by_id", "_cues", "_origin")

    def __init__(self, cues: Iterable[Cue] = (), origin: str = "") -> None:
        """Build a library; ``origin`` names the pack the cues came from. Repeated ids: ``ValueError``."""
        self._cues: tuple[Cue, ...] = tuple(cues)
        self._by_id: dict[str, Cue] = {}
        for cue in self._cues:
            if cue.id in self._by_id:
                raise ValueError(f"duplicate cue id {cue.id!r}")
            self._by_id[cue.id] = cue
        self._origin: dict[str, str] = {cue.id: origin for cue in self._cues}

    @classmethod
    def _with_origins(cls, cues: tuple[Cue, ...], origins: Mapping[str, str]) -> CueLibrary:
        library = cls(cues)
        library._origin = dict(origins)
        return library

    @property
    def cues(self) -> tuple[Cue, ...]:
        return self._cues

    def __len__(self) -> int:
        return len(self._cues)

    def __iter__(self) -> Iterator[Cue]:
        return iter(self._cues)

    def __contains__(self, cue_id: object) -> bool:
        return cue_id in self._by_id

    def __repr__(self) -> str:
        return f"CueLibrary({len(self._cues)} cues)"

    def get(self, cue_id: str) -> Cue | None:
        return self._by_id.get(cue_id)

    def origin_of(self, cue_id: str) -> str:
        """The name of the pack that defined ``cue_id`` (empty if unknown)."""
        return self._origin.get(cue_id, "")

    def by_kind(self, kind: CueKind) -> list[Cue]:
        return [cue for cue in self._cues if cue.kind is kind]

    def fitting(self, segment: Segment, elapsed_s: float) -> list[Cue]:
        """Cues that suit ``segment`` at ``elapsed_s`` seconds into the session, in library order."""
        return [cue for cue in self._cues if cue.fits(segment, elapsed_s)]

    def merged(self, other: CueLibrary) -> CueLibrary:
        """This library plus the cues of ``other`` (a user pack adds cues; it cannot replace one).

        Raises ``UserError`` naming both packs when ``other`` reuses an id.
        """
        for cue in other.cues:
            if cue.id in self._by_id:
                where = other.origin_of(cue.id) or "a cue pack"
                first = self.origin_of(cue.id) or "another pack"
                raise UserError(f"{where}: cue id {cue.id!r} is already used in {first}; give the cue a different id.")
        origins = {**self._origin, **other._origin}
        return CueLibrary._with_origins(self._cues + other.cues, origins)


def load_cue_library(packs: Iterable[tuple[str, bytes]]) -> CueLibrary:
    """Parse and merge ``(name, content)`` pairs in order. Raises ``UserError`` for the first bad pack."""
    library = CueLibrary()
    for name, content in packs:
        library = library.merged(parse_cue_pack(content, name))
    return library


def parse_cue_pack(data: str | bytes, source: str) -> CueLibrary:
    """Parse one cue pack. ``source`` names it in error messages (usually the file name).

    Every problem raises ``UserError`` with one line naming the pack, the cue (position and id) or line, and
    what is wrong.
    """
    text = _decode(data, source)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{source}: not valid TOML: {_one_line(str(exc))}.") from None
    except RecursionError:
        # tomllib recurses once per nesting level; a hostile file can go deeper than the stack.
        raise UserError(f"{source}: not valid TOML: values are nested too deeply.") from None

    unknown = sorted(set(document) - {"cue"})
    if unknown:
        raise UserError(f"{source}: unknown top-level field {_show(unknown[0])}; a cue pack holds only [[cue]] tables.")
    entries = document.get("cue")
    if entries is None:
        raise UserError(f"{source}: no cues found; add at least one [[cue]] table.")
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise UserError(f"{source}: 'cue' must be a list of [[cue]] tables.")
    if not entries:
        raise UserError(f"{source}: no cues found; add at least one [[cue]] table.")

    cues: list[Cue] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        cue = _parse_cue(entry, index, source)
        if cue.id in seen:
            raise UserError(
                f"{source}: cue {index} ({_show(cue.id)}): the id is already used by cue {seen[cue.id]}; "
                "ids must be unique."
            )
        seen[cue.id] = index
        cues.append(cue)
    return CueLibrary(cues, origin=source)


def _decode(data: str | bytes, source: str) -> str:
    raw = data.encode("utf-8", errors="surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_PACK_BYTES:
        raise UserError(f"{source}: the file is larger than 1 MiB; a cue pack should be a small text file.")
    if isinstance(data, str):
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in data):
            raise UserError(f"{source}: the text contains characters that are not valid Unicode.")
        text = data
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise UserError(f"{source}: line {line}: not UTF-8 text; save the file as UTF-8.") from None
    # Editors on Windows like to start UTF-8 files with a byte-order mark, which tomllib rejects.
    return text.removeprefix("\ufeff")


def _show(value: object) -> str:
    """A short, single-line rendering of a value from the file for an error message."""
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _one_line(message: str) -> str:
    return " ".join(message.split()).rstrip(".")


def _parse_cue(entry: dict[str, Any], index: int, source: str) -> Cue:
    raw_id = entry.get("id")
    label = f"cue {index} ({_show(raw_id)})" if isinstance(raw_id, str) and raw_id else f"cue {index}"

    def fail(reason: str) -> UserError:
        return UserError(f"{source}: {label}: {reason}")

    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        allowed = ", ".join(sorted(_FIELDS))
        raise fail(f"unknown field {_show(unknown[0])} (allowed: {allowed}).")

    if raw_id is None:
        raise fail("missing 'id'; give every cue a short unique slug such as 'breath-long-exhale'.")
    if not isinstance(raw_id, str) or not _ID_RE.fullmatch(raw_id) or len(raw_id) > MAX_ID_CHARS:
        raise fail(
            f"'id' must be a slug of lowercase letters, digits, '-' and '_' (at most {MAX_ID_CHARS} characters)."
        )

    raw_kind = entry.get("kind")
    kinds = ", ".join(kind.value for kind in LIBRARY_KINDS)
    if raw_kind is None:
        raise fail(f"missing 'kind'; use one of: {kinds}.")
    kind = next((k for k in LIBRARY_KINDS if raw_kind == k.value), None)
    if kind is None:
        raise fail(f"unknown kind {_show(raw_kind)}; use one of: {kinds}.")

    raw_text = entry.get("text")
    if raw_text is None:
        raise fail("missing 'text'.")
    if not isinstance(raw_text, str):
        raise fail("'text' must be a string.")
    # Cues are spoken, so line breaks and runs of spaces in a multi-line TOML string mean nothing.
    text = " ".join(raw_text.split())
    if not text:
        raise fail("'text' is empty.")
    if len(text) > MAX_TEXT_CHARS:
        raise fail(f"'text' is {len(text)} characters long; it is spoken, so keep it to {MAX_TEXT_CHARS}.")

    raw_source = entry.get("source", "")
    if not isinstance(raw_source, str):
        raise fail("'source' must be a string.")
    cue_source = " ".join(raw_source.split())
    if kind is CueKind.SCIENCE and not cue_source:
        raise fail("a science cue needs a 'source' naming the study or article it comes from.")

    raw_claim = entry.get("claim", "")
    if not isinstance(raw_claim, str):
        raise fail("'claim' must be a string.")
    tags = _parse_tags(entry.get("tags"), fail)
    if "hard" in tags and len(text.split()) > HARD_CUE_MAX_WORDS:
        raise fail(f"a cue tagged 'hard' is said mid-effort, so keep it to {HARD_CUE_MAX_WORDS} words.")

    return Cue(
        id=raw_id,
        kind=kind,
        text=text,
        source=cue_source,
        claim=" ".join(raw_claim.split()),
        tags=tags,
        segments=_parse_segments(entry.get("segments"), fail),
        min_elapsed_s=_parse_min_elapsed(entry.get("min_elapsed_s", 0), fail),
        max_effort=_parse_max_effort(entry.get("max_effort"), fail),
        weight=_parse_weight(entry.get("weight", 1.0), fail),
    )


def _finite_number(value: object) -> float | None:
    """``value`` as a float if it is a finite TOML number, else ``None``."""
    # TOML booleans arrive as bool, which is an int subclass; "true" is not a number of seconds.
    if not is_number(value):  # a bool, NaN, infinity, or an int too large for a float (core/file_values.py)
        return None
    return float(value)


def _parse_segments(value: object, fail: _Fail) -> frozenset[SegmentKind] | None:
    if value is None:
        return None
    names = ", ".join(kind.value for kind in SegmentKind)
    if not isinstance(value, list) or not value:
        raise fail(f"'segments' must be a non-empty list of segment kinds ({names}); leave it out for all.")
    kinds: set[SegmentKind] = set()
    for item in value:
        kind = next((k for k in SegmentKind if item == k.value), None)
        if kind is None:
            raise fail(f"unknown segment kind {_show(item)} in 'segments'; use: {names}.")
        kinds.add(kind)
    return frozenset(kinds)


def _parse_tags(value: object, fail: _Fail) -> frozenset[str]:
    if value is None:
        return frozenset()
    names = ", ".join(CUE_TAGS)
    if not isinstance(value, list):
        raise fail(f"'tags' must be a list of tags ({names}).")
    for item in value:
        if item not in CUE_TAGS:
            raise fail(f"unknown tag {_show(item)} in 'tags'; use: {names}.")
    return frozenset(str(item) for item in value)


def _parse_min_elapsed(value: object, fail: _Fail) -> float:
    number = _finite_number(value)
    if number is None or number < 0:
        raise fail("'min_elapsed_s' must be a number of seconds, 0 or more.")
    return number


def _parse_max_effort(value: object, fail: _Fail) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
        raise fail("'max_effort' must be a whole number from 0 to 10 (the Borg CR10 effort scale).")
    return value


def _parse_weight(value: object, fail: _Fail) -> float:
    number = _finite_number(value)
    if number is None or number <= 0:
        raise fail("'weight' must be a number greater than 0.")
    return number
