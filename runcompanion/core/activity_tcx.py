"""A run as a TCX activity (Garmin's TrainingCenterDatabase v2): ``Sport="Running"``, one lap per segment.

Each lap has its time (pauses not counted), its distance, its intensity (Active, or Resting for walks and
recoveries), a track with a point every few seconds (time, distance and, from a strap's samples, heart rate; no
position, as on a treadmill) and
notes with its planned target. After a pause the lap's points continue in a new ``Track``, so the gap is a
pause, not slow running. The reflection's note is the activity's ``Notes``. Elements follow the schema's order.

Written with the standard library's ElementTree, which escapes every text. Pure; any thread.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from runcompanion.core.activity import Activity, SampleIndex, Span, running_spans
from runcompanion.core.session_plan import SegmentKind

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{TCX_NS} http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd"
POINT_EVERY_S = 5.0
_RESTING = (SegmentKind.WALK, SegmentKind.RECOVER)


def dump_tcx_activity(activity: Activity) -> bytes:
    """The run as a TCX file (UTF-8 XML with a declaration). The activity must have at least one lap."""
    if not activity.laps:
        raise ValueError("an activity needs at least one lap")
    ET.register_namespace("", TCX_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(_q("TrainingCenterDatabase"), {f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION})
    element = ET.SubElement(ET.SubElement(root, _q("Activities")), _q("Activity"), Sport="Running")
    start = activity.started_at.astimezone(dt.UTC)
    ET.SubElement(element, _q("Id")).text = _time(start, 0.0)
    spans = running_spans(activity)
    samples = SampleIndex(activity.samples)
    running_before = [0.0]  # each span's running time at its start: the samples' clock
    for span in spans:
        running_before.append(running_before[-1] + span.end_s - span.start_s)
    for number, lap in enumerate(activity.laps):
        own = [span for span in spans if span.lap == number]
        lap_start = own[0].start_s if own else 0.0
        node = ET.SubElement(element, _q("Lap"), StartTime=_time(start, lap_start))
        ET.SubElement(node, _q("TotalTimeSeconds")).text = f"{lap.actual_s:.3f}"
        ET.SubElement(node, _q("DistanceMeters")).text = f"{lap.distance_m:.2f}"
        if lap.actual_s > 0 and lap.distance_m > 0:
            ET.SubElement(node, _q("MaximumSpeed")).text = f"{lap.distance_m / lap.actual_s:.3f}"
        ET.SubElement(node, _q("Calories")).text = "0"
        ET.SubElement(node, _q("Intensity")).text = "Resting" if lap.kind in _RESTING else "Active"
        ET.SubElement(node, _q("TriggerMethod")).text = "Manual"
        for span in own:
            _track(ET.SubElement(node, _q("Track")), start, span, samples, running_before[spans.index(span)])
        ET.SubElement(node, _q("Notes")).text = f"{lap.title}: {lap.planned_words}"
    if activity.note:
        ET.SubElement(element, _q("Notes")).text = activity.note
    ET.indent(root, space="  ")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def _track(track: ET.Element, start: dt.datetime, span: Span, samples: SampleIndex, running_s: float) -> None:
    t = span.start_s
    while True:
        share = (t - span.start_s) / (span.end_s - span.start_s) if span.end_s > span.start_s else 1.0
        point = ET.SubElement(track, _q("Trackpoint"))
        ET.SubElement(point, _q("Time")).text = _time(start, t)
        ET.SubElement(point, _q("DistanceMeters")).text = f"{span.start_m + (span.end_m - span.start_m) * share:.2f}"
        sample = samples.at(running_s + t - span.start_s)
        if sample is not None and sample.heart_rate is not None:
            ET.SubElement(ET.SubElement(point, _q("HeartRateBpm")), _q("Value")).text = str(sample.heart_rate)
        if t >= span.end_s:
            return
        t = min(t + POINT_EVERY_S, span.end_s)


def _q(name: str) -> str:
    return f"{{{TCX_NS}}}{name}"


def _time(start: dt.datetime, seconds: float) -> str:
    moment = start + dt.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
