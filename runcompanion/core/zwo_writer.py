"""Writing a session as a Zwift run workout (.zwo), so Zwift and the web's .zwo editors can open it.

Speeds become fractions of the runner's 5 km pace speed (``pace="1"``), rounded to four decimals, so reading
the file back with the same reference pace gives the speeds again to the nearest 0.1 km/h. Warm-ups and
cool-downs are ``Warmup``/``Cooldown`` with one intensity, free segments ``FreeRide``, others ``SteadyState``;
a repeat block of one or two segments is an ``IntervalsT`` (one segment: ``OffDuration="0"``); longer blocks are
written out in full. Inclines go in ``Slope`` (``OnSlope``/``OffSlope`` in intervals), spoken notes in
``textevent`` elements at their offsets. Labels and effort targets have no place in the format and are left out.

The XML is built with the standard library's ElementTree, which escapes every text and attribute.

Pure; any thread.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from runcompanion.core.reference_pace import PaceZone, ReferencePace
from runcompanion.core.session_plan import Repeat, Segment, SegmentKind, SessionPlan, fold_items

# Intensities for segments without a speed, as shares of 5 km speed: what such a segment usually is.
_DEFAULT_SHARE = {
    SegmentKind.WARMUP: 0.6,
    SegmentKind.RUN: 0.85,
    SegmentKind.WALK: 0.45,
    SegmentKind.RECOVER: 0.6,
    SegmentKind.COOLDOWN: 0.55,
    SegmentKind.FREE: 0.7,
}


def dump_zwo(plan: SessionPlan, reference: ReferencePace) -> bytes:
    """The session as a .zwo file (UTF-8 XML with a declaration)."""
    root = ET.Element("workout_file")
    ET.SubElement(root, "name").text = plan.name
    ET.SubElement(root, "description").text = plan.description
    ET.SubElement(root, "sportType").text = "run"
    tags = ET.SubElement(root, "tags")
    for tag in plan.tags:
        ET.SubElement(tags, "tag", name=tag)
    workout = ET.SubElement(root, "workout")
    five_k = reference.speed_kmh(PaceZone.FIVE_K)
    for item in fold_items(plan):
        if isinstance(item, Repeat) and len(item.segments) <= 2:
            _intervals(workout, item, five_k)
        elif isinstance(item, Repeat):
            for _ in range(item.times):
                for segment in item.segments:
                    _single(workout, segment, five_k)
        else:
            _single(workout, item, five_k)
    ET.indent(root, space="    ")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def _share(segment: Segment, five_k_kmh: float) -> str:
    share = segment.speed_kmh / five_k_kmh if segment.speed_kmh is not None else _DEFAULT_SHARE[segment.kind]
    return f"{share:.4f}"


def _seconds(value: float) -> str:
    return f"{value:g}"


def _single(parent: ET.Element, segment: Segment, five_k_kmh: float) -> None:
    duration = _seconds(segment.duration_s)
    if segment.kind is SegmentKind.FREE and segment.speed_kmh is None:
        element = ET.SubElement(parent, "FreeRide", Duration=duration, FlatRoad="1")
    elif segment.kind in (SegmentKind.WARMUP, SegmentKind.COOLDOWN):
        tag = "Warmup" if segment.kind is SegmentKind.WARMUP else "Cooldown"
        share = _share(segment, five_k_kmh)
        element = ET.SubElement(parent, tag, Duration=duration, PowerLow=share, PowerHigh=share, pace="1")
    else:
        element = ET.SubElement(parent, "SteadyState", Duration=duration, Power=_share(segment, five_k_kmh), pace="1")
    if segment.incline_pct is not None:
        element.set("Slope", f"{segment.incline_pct:g}")
    for note in segment.notes:
        ET.SubElement(element, "textevent", timeoffset=_seconds(note.at_s), message=note.text)


def _intervals(parent: ET.Element, block: Repeat, five_k_kmh: float) -> None:
    on = block.segments[0]
    off = block.segments[1] if len(block.segments) == 2 else None
    element = ET.SubElement(
        parent,
        "IntervalsT",
        Repeat=str(block.times),
        OnDuration=_seconds(on.duration_s),
        OffDuration=_seconds(off.duration_s) if off else "0",
        OnPower=_share(on, five_k_kmh),
        OffPower=_share(off, five_k_kmh) if off else "0",
        pace="1",
    )
    if on.incline_pct is not None:
        element.set("OnSlope", f"{on.incline_pct:g}")
    if off is not None and off.incline_pct is not None:
        element.set("OffSlope", f"{off.incline_pct:g}")
    period = on.duration_s + (off.duration_s if off else 0.0)
    # A textevent is said once, so a note of the block's body is written into every repetition.
    for rep in range(block.times):
        for note in on.notes:
            ET.SubElement(element, "textevent", timeoffset=_seconds(rep * period + note.at_s), message=note.text)
        for note in off.notes if off else ():
            offset = rep * period + on.duration_s + note.at_s
            ET.SubElement(element, "textevent", timeoffset=_seconds(offset), message=note.text)
