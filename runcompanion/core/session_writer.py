"""Writing sessions: the TOML people share (``dump_session_toml``) and the JSON-able form the app keeps.

The reading side and its validator are in core/session_files.py; each writer here gives back exactly what that
reader accepts, so a written session reads back as an equal plan. All functions are pure.
"""

from __future__ import annotations

from runcompanion.core.session_plan import Repeat, Segment, SessionPlan, fold_items
from runcompanion.core.spoken_texts import spoken_to_dict
from runcompanion.core.toml_text import toml_duration, toml_float, toml_str


def dump_session_toml(plan: SessionPlan) -> str:
    """The session as TOML in the format ``parse_session_toml`` reads; parsing it gives back an equal plan.

    Whole-second durations are written as ``"m:ss"`` (``"h:mm:ss"`` from an hour up), others as seconds;
    repeat blocks are written as blocks. The plan should be valid (``validate_session`` checks one).
    """
    lines = [f"id = {toml_str(plan.id)}", f"name = {toml_str(plan.name)}"]
    if plan.description:
        lines.append(f"description = {toml_str(plan.description)}")
    if plan.tags:
        lines.append(f"tags = [{', '.join(toml_str(t) for t in plan.tags)}]")
    for item in fold_items(plan):
        lines += ["", "[[segments]]"]
        if isinstance(item, Repeat):
            lines.append(f"repeat = {item.times}")
            lines.append("segments = [")
            lines += [f"    {{ {', '.join(_toml_fields(seg))} }}," for seg in item.segments]
            lines.append("]")
        else:
            lines += _toml_fields(item)
    spoken = spoken_to_dict(plan.briefing, plan.themes)
    if spoken:
        lines += ["", "[spoken]"]
        if plan.briefing:
            lines.append(f"briefing = {toml_str(plan.briefing)}")
        if any(plan.themes):
            lines.append(f"themes = [{', '.join(toml_str(t) for t in plan.themes)}]")
    return "\n".join(lines) + "\n"


def session_to_dict(plan: SessionPlan) -> dict[str, object]:
    """The canonical JSON-able form of a session, for the database and the JSON backup.

    Durations are float seconds under ``duration_s``; optional targets that are not set are left out; repeat
    blocks are ``{"repeat": N, "segments": [...]}`` items. The ``builtin`` flag is not part of it: stored and
    backed-up sessions are the runner's own.
    """
    items: list[dict[str, object]] = []
    for item in fold_items(plan):
        if isinstance(item, Repeat):
            items.append({"repeat": item.times, "segments": [_segment_dict(s) for s in item.segments]})
        else:
            items.append(_segment_dict(item))
    data: dict[str, object] = {
        "id": plan.id,
        "name": plan.name,
        "description": plan.description,
        "tags": list(plan.tags),
        "segments": items,
    }
    spoken = spoken_to_dict(plan.briefing, plan.themes)
    if spoken:
        data["spoken"] = spoken  # the coach's words (core/spoken_texts.py)
    return data


def _toml_fields(seg: Segment) -> list[str]:
    fields = [f"kind = {toml_str(seg.kind.value)}", f"duration = {toml_duration(seg.duration_s)}"]
    if seg.label:
        fields.append(f"label = {toml_str(seg.label)}")
    if seg.effort is not None:
        fields.append(f"effort = {int(seg.effort)}")
    if seg.speed_kmh is not None:
        fields.append(f"speed_kmh = {toml_float(seg.speed_kmh)}")
    if seg.incline_pct is not None:
        fields.append(f"incline_pct = {toml_float(seg.incline_pct)}")
    if seg.notes:
        notes = ", ".join(f"{{ at = {toml_duration(n.at_s)}, text = {toml_str(n.text)} }}" for n in seg.notes)
        fields.append(f"notes = [{notes}]")
    return fields


def _segment_dict(seg: Segment) -> dict[str, object]:
    item: dict[str, object] = {"kind": seg.kind.value, "duration_s": float(seg.duration_s)}
    if seg.label:
        item["label"] = seg.label
    if seg.effort is not None:
        item["effort"] = int(seg.effort)
    if seg.speed_kmh is not None:
        item["speed_kmh"] = float(seg.speed_kmh)
    if seg.incline_pct is not None:
        item["incline_pct"] = float(seg.incline_pct)
    if seg.notes:
        item["notes"] = [{"at_s": float(n.at_s), "text": n.text} for n in seg.notes]
    return item
