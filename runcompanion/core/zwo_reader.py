"""Reading Zwift workout files (.zwo) for runs into sessions.

A .zwo is XML: ``<workout_file>`` with ``<name>``, ``<description>``, ``<sportType>``, ``<tags>`` and a
``<workout>`` of blocks. A run workout gives each block's intensity as a fraction of one of the runner's race
paces (``Power``, ``PowerLow``/``PowerHigh``, ``OnPower``/``OffPower``, with ``pace`` naming the race pace);
``reference_pace`` turns that into belt speed. Blocks measured in metres (``<durationType>distance</durationType>``
or ``units="1"``) become time at the block's speed. The mapping (docs/programs.md has it for runners):

- ``Warmup`` / ``Cooldown``: a warm-up or cool-down; a changing intensity becomes up to five even steps;
- ``SteadyState``: one segment, a run (a walk below 6.5 km/h, a recovery below 75 % of 5 km speed);
- ``IntervalsT``: a repeat block of an "on" run and an "off" recovery (none when ``OffDuration="0"``);
- ``Ramp``: even steps like a warm-up, as runs; ``FreeRide``: a free segment with no speed;
- ``Slope``, ``OnSlope``/``OffSlope``: the incline in percent;
- ``textevent`` / ``TextEvent``: spoken notes at their offsets (``timeoffset`` in seconds or ``distoffset``
  in metres from the block's start; under ``<workout>`` itself, from the workout's start).

The XML is parsed by ``defusedxml`` with DTDs, entities and external references refused, after a size check,
so a hostile file cannot expand itself or reach the network or the disk.

Pure; any thread.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from runcompanion.core.errors import UserError
from runcompanion.core.reference_pace import PaceZone, ReferencePace
from runcompanion.core.session_files import slugify, validate_session
from runcompanion.core.session_plan import (
    Repeat,
    Segment,
    SegmentKind,
    SessionItem,
    SessionPlan,
    SpokenNote,
    expand_items,
)
from runcompanion.core.session_rules import MAX_NOTE_CHARS, MAX_REPEAT, MAX_TAGS, SLUG_RE

MAX_ZWO_BYTES = 1024 * 1024
MAX_BLOCKS = 200
MAX_ELEMENTS = 5000
WALK_BELOW_KMH = 6.5
RECOVER_BELOW_SHARE = 0.75
RAMP_STEPS = 5
_BLOCKS = frozenset({"Warmup", "Cooldown", "SteadyState", "IntervalsT", "Ramp", "FreeRide", "Freeride"})
_TEXT_EVENTS = frozenset({"textevent", "TextEvent"})


@dataclass(frozen=True, slots=True)
class ZwoImport:
    """A session read from a .zwo file, and the sentence that says how its speeds were made ("Speeds come from
    your 5 km pace, 5:00 per km.")."""

    plan: SessionPlan
    message: str


def parse_zwo(data: bytes, source: str, reference: ReferencePace) -> ZwoImport:
    """Read a run .zwo. ``UserError`` (one line naming ``source`` and the problem) for anything else."""
    if len(data) > MAX_ZWO_BYTES:
        raise UserError(f"{source}: the file is {len(data) // 1024} KiB; a workout file can be at most 1024 KiB")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UserError(f"{source}: the file declares a DTD or entities, which workout files never need") from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise UserError(f"{source}: line {line}, column {column}: not well-formed XML") from None
    if sum(1 for _ in root.iter()) > MAX_ELEMENTS:
        raise UserError(f"{source}: the file has more than {MAX_ELEMENTS} elements; it is not a workout")
    return _Reader(source, reference).read(root)


class _Reader:
    def __init__(self, source: str, reference: ReferencePace) -> None:
        self.source = source
        self.reference = reference
        self.by_distance = False

    def fail(self, message: str) -> UserError:
        return UserError(f"{self.source}: {message}")

    def read(self, root: ET.Element) -> ZwoImport:
        if root.tag != "workout_file":
            raise self.fail(f"not a Zwift workout: the top element is <{root.tag}>, not <workout_file>")
        sport = (root.findtext("sportType") or "").strip().lower()
        if sport != "run":
            said = f"sportType {sport}" if sport else "no sportType (Zwift reads that as a ride)"
            raise self.fail(f"this is a cycling workout ({said}); only run workouts can be imported")
        self.by_distance = (root.findtext("durationType") or "").strip().lower() == "distance"
        workout = root.find("workout")
        if workout is None or len(workout) == 0:
            raise self.fail("the workout has no blocks")
        items: list[SessionItem] = []
        loose: list[tuple[float, str]] = []
        blocks = 0
        for element in workout:
            if element.tag in _TEXT_EVENTS:
                loose.append(self.text_event(element, "the workout", None))
                continue
            blocks += 1
            if blocks > MAX_BLOCKS:
                raise self.fail(f"the workout has more than {MAX_BLOCKS} blocks")
            if element.tag not in _BLOCKS:
                raise self.fail(f"block {blocks}: <{element.tag}> is not a run workout block")
            items.extend(self.block(element, f"block {blocks} ({element.tag})"))
        items = _place_loose_notes(items, loose)
        name = " ".join((root.findtext("name") or "").split())[:80] or "Zwift workout"
        description = (root.findtext("description") or "").strip()[:2000]
        segments, repeats = expand_items(items)
        plan = SessionPlan(
            id=slugify(name),
            name=name,
            segments=segments,
            description=description,
            tags=self.tags(root),
            repeats=repeats,
        )
        plan = validate_session(plan, self.source)
        describe = self.reference.describe()
        return ZwoImport(plan, f"{describe[:1].upper()}{describe[1:]}.")

    def tags(self, root: ET.Element) -> tuple[str, ...]:
        tags: list[str] = []
        for tag in root.iterfind("tags/tag"):
            slug = slugify(tag.get("name", ""))
            if SLUG_RE.fullmatch(slug) and slug != "session" and slug not in tags and len(tags) < MAX_TAGS:
                tags.append(slug)
        return tuple(tags)

    # -- numbers -----------------------------------------------------------------------------------------------

    def number(self, element: ET.Element, name: str, where: str, *, default: float | None = None) -> float:
        raw = element.get(name)
        if raw is None:
            if default is None:
                raise self.fail(f"{where}: missing {name}")
            return default
        try:
            value = float(raw)
        except ValueError:
            raise self.fail(f"{where}: {name} must be a number, got {raw[:20]!r}") from None
        if not math.isfinite(value) or value < 0:
            raise self.fail(f"{where}: {name} must be a number of at least 0, got {raw[:20]!r}")
        return value

    def zone(self, element: ET.Element) -> PaceZone:
        raw = element.get("pace", "1")
        try:
            return PaceZone(int(raw))
        except ValueError:
            # Some tools write pace="0" everywhere; values outside 0-4 appear in old files and mean nothing.
            return PaceZone.FIVE_K

    def speed(self, share: float, zone: PaceZone) -> float:
        return round(share * self.reference.speed_kmh(zone), 1)

    def seconds(self, element: ET.Element, amount: float, speed: float | None) -> float:
        """A block's length in seconds: as written, or from metres at the block's speed."""
        metres = self.by_distance or element.get("units") == "1"
        if not metres:
            return float(round(amount))
        pace_speed = speed if speed else self.reference.speed_kmh(PaceZone.FIVE_K)
        return float(round(amount / (pace_speed / 3.6)))

    def incline(self, element: ET.Element, name: str, where: str) -> float | None:
        return None if element.get(name) is None else self.number(element, name, where)

    # -- blocks ------------------------------------------------------------------------------------------------

    def block(self, element: ET.Element, where: str) -> list[SessionItem]:
        tag = element.tag
        zone = self.zone(element)
        if tag == "IntervalsT":
            return self.intervals(element, where, zone)
        if tag in ("FreeRide", "Freeride"):
            duration = self.seconds(element, self.number(element, "Duration", where), None)
            segment = Segment(SegmentKind.FREE, duration, incline_pct=self.incline(element, "Slope", where))
            return [self.with_notes(segment, element, where)]
        if tag == "SteadyState":
            speed = self.speed(self.number(element, "Power", where), zone)
            duration = self.seconds(element, self.number(element, "Duration", where), speed)
            kind = self.kind_for(speed, zone, SegmentKind.RUN)
            segment = Segment(kind, duration, speed_kmh=speed, incline_pct=self.incline(element, "Slope", where))
            return [self.with_notes(segment, element, where)]
        kind = {"Warmup": SegmentKind.WARMUP, "Cooldown": SegmentKind.COOLDOWN}.get(tag, SegmentKind.RUN)
        power = self.number(element, "Power", where) if element.get("Power") is not None else None
        low = self.number(element, "PowerLow", where, default=power)
        high = self.number(element, "PowerHigh", where, default=low)
        return self.steps(element, where, kind, zone=zone, low=low, high=high)

    def kind_for(self, speed: float, zone: PaceZone, hard: SegmentKind) -> SegmentKind:
        if speed < WALK_BELOW_KMH:
            return SegmentKind.WALK
        if speed < RECOVER_BELOW_SHARE * self.reference.speed_kmh(PaceZone.FIVE_K):
            return SegmentKind.RECOVER
        return hard

    def steps(
        self, element: ET.Element, where: str, kind: SegmentKind, *, zone: PaceZone, low: float, high: float
    ) -> list[SessionItem]:
        """A block whose intensity changes from ``low`` to ``high``: even steps of at least a minute."""
        mean_speed = self.speed((low + high) / 2, zone)
        duration = self.seconds(element, self.number(element, "Duration", where), mean_speed)
        count = 1 if math.isclose(low, high) else max(1, min(RAMP_STEPS, int(duration // 60)))
        incline = self.incline(element, "Slope", where)
        edges = [round(duration * i / count) for i in range(count + 1)]
        segments = []
        for i in range(count):
            share = low + (high - low) * (i + 0.5) / count
            speed = self.speed(share, zone)
            step_kind = self.kind_for(speed, zone, kind) if kind is SegmentKind.RUN else kind
            segments.append(Segment(step_kind, float(edges[i + 1] - edges[i]), speed_kmh=speed, incline_pct=incline))
        return list(_spread_notes(segments, self.notes(element, where, mean_speed)))

    def intervals(self, element: ET.Element, where: str, zone: PaceZone) -> list[SessionItem]:
        repeat = self.number(element, "Repeat", where, default=1.0)
        if not repeat.is_integer() or not 1 <= repeat <= MAX_REPEAT:
            raise self.fail(f"{where}: Repeat must be a whole number from 1 to {MAX_REPEAT}, got {repeat:g}")
        on_speed = self.speed(self.number(element, "OnPower", where), zone)
        off_speed = self.speed(self.number(element, "OffPower", where, default=0.0), zone)
        on = Segment(
            self.kind_for(on_speed, zone, SegmentKind.RUN),
            self.seconds(element, self.number(element, "OnDuration", where), on_speed),
            speed_kmh=on_speed,
            incline_pct=self.incline(element, "OnSlope", where),
        )
        body = [on]
        off_amount = self.number(element, "OffDuration", where, default=0.0)
        if off_amount > 0:
            off_kind = SegmentKind.WALK if off_speed < WALK_BELOW_KMH else SegmentKind.RECOVER
            off_s = self.seconds(element, off_amount, off_speed)
            body.append(
                Segment(
                    off_kind, off_s, speed_kmh=off_speed or None, incline_pct=self.incline(element, "OffSlope", where)
                )
            )
        times = int(repeat)
        notes = self.notes(element, where, on_speed)
        flat = _spread_notes(body * times, notes)
        period = len(body)
        first = flat[:period]
        # Notes said the same in every repetition stay one block; otherwise each lands once, where it was put.
        if all(flat[i * period : (i + 1) * period] == first for i in range(times)):
            return [Repeat(times, tuple(first))]
        return list(flat)

    def with_notes(self, segment: Segment, element: ET.Element, where: str) -> Segment:
        return _spread_notes([segment], self.notes(element, where, segment.speed_kmh))[0]

    def notes(self, element: ET.Element, where: str, speed: float | None) -> list[tuple[float, str]]:
        return [self.text_event(child, where, speed) for child in element if child.tag in _TEXT_EVENTS]

    def text_event(self, element: ET.Element, where: str, speed: float | None) -> tuple[float, str]:
        message = " ".join((element.get("message") or element.get("Message") or "").split())[:MAX_NOTE_CHARS]
        if not message:
            raise self.fail(f"{where}: a textevent has no message")
        for name in ("timeoffset", "TimeOffset"):
            if element.get(name) is not None:
                return self.number(element, name, where), message
        if element.get("distoffset") is not None:
            metres = self.number(element, "distoffset", where)
            pace_speed = speed or self.reference.speed_kmh(PaceZone.FIVE_K)
            return round(metres / (pace_speed / 3.6)), message
        return 0.0, message


def _spread_notes(segments: list[Segment], notes: list[tuple[float, str]]) -> list[Segment]:
    """Give each (offset from the first segment's start, text) to the segment it falls in."""
    result = list(segments)
    for offset, text in sorted(notes):
        start = 0.0
        for index, segment in enumerate(result):
            if offset < start + segment.duration_s or index == len(result) - 1:
                at = min(max(offset - start, 0.0), segment.duration_s - 1)
                result[index] = replace(segment, notes=(*segment.notes, SpokenNote(float(round(at)), text)))
                break
            start += segment.duration_s
    return result


def _place_loose_notes(items: list[SessionItem], notes: list[tuple[float, str]]) -> list[SessionItem]:
    if not notes:
        return items
    segments, _ = expand_items(items)
    return list(_spread_notes(list(segments), notes))
