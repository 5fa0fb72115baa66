"""Reading a program from its TOML file (the format: docs/programs.md; the model: core/program_model.py).

Every expanded run goes through the session validator of ``session_files`` (``session_from_dict``), so a
program session obeys exactly the rules of any other session. Pure; any thread.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence

from runcompanion.core.errors import UserError
from runcompanion.core.file_values import is_int, is_list, is_number, parse_clock_text
from runcompanion.core.program_model import (
    Milestone,
    Program,
    ProgramWeek,
    program_session_id,
    program_session_name,
)
from runcompanion.core.session_files import session_from_dict
from runcompanion.core.session_plan import SegmentKind, SessionPlan
from runcompanion.core.session_rules import SLUG_RE
from runcompanion.core.spoken_texts import MAX_BRIEFING_CHARS, THEMES
from runcompanion.core.toml_text import decode_text
from runcompanion.core.toml_text import quote as _quote
from runcompanion.core.toml_text import show as _show
from runcompanion.core.toml_text import toml_error_line as _toml_error_line

MAX_PROGRAM_FILE_BYTES = 256 * 1024
MAX_PROGRAM_ID_CHARS = 36  # leaves room for "-w52-r7" within the 48-character session id rule
MAX_PROGRAM_NAME_CHARS = 50  # leaves room for " · Week 52 · Run 7" within the 80-character session name rule
MAX_WEEKS = 52
MAX_RUNS_PER_WEEK = 7  # one run a day at most: each run of a week goes on its own chosen day
MAX_REPEAT = 50
MAX_BLOCK_DEPTH = 3
MAX_DESCRIPTION_CHARS = 990  # week and run descriptions join into a session description (at most 2000)
MIN_SEGMENT_S = 1.0
MAX_SEGMENT_S = 4 * 3600.0

_TOP_FIELDS = ("id", "name", "description", "tags", "defaults", "before", "after", "weeks")
_WEEK_FIELDS = ("description", "spoken", "runs")
_RUN_FIELDS = ("times", "description", "spoken", "milestone", "celebrate", "tags", "before", "after", "segments")
_SEGMENT_FIELDS = ("kind", "duration", "label", "effort", "speed_kmh", "incline_pct", "theme")
_DEFAULT_FIELDS = ("label", "effort", "speed_kmh", "incline_pct", "theme")
_BLOCK_FIELDS = ("repeat", "segments")
_KIND_VALUES = tuple(k.value for k in SegmentKind)

_Item = tuple[dict[str, object], str]
"""An expanded segment (session dict form) and where it is written in the file ("week 1, runs item 1: ...")."""


# ----------------------------------------------------------------------------------------------- parsing


def parse_program_toml(data: str | bytes, source: str) -> Program:
    """Read a program from TOML text; ``source`` (the file name) starts every message.

    Raises ``UserError`` (one line: file, where, what is wrong) for anything that is not a valid program,
    and never any other exception.
    """
    text = _decode(data, source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(_toml_error_line(source, exc)) from None
    except RecursionError:
        raise UserError(f"{source}: the file is nested too deeply to be a program") from None
    except ValueError:
        raise UserError(f"{source}: not a valid program file: a value could not be read") from None
    return _Parser(source).program(raw)


class _Parser:
    """Checks the program's own structure; each expanded session is then checked by the session validator."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> UserError:
        return UserError(f"{self.source}: {where}: {message}" if where else f"{self.source}: {message}")

    def program(self, raw: Mapping[str, object]) -> Program:
        self.fields(raw, "", _TOP_FIELDS, required=("id", "name", "weeks"))
        program_id = self.program_id(raw["id"])
        name = self.text(raw["name"], "name", MAX_PROGRAM_NAME_CHARS, single_line=True)
        if not name:
            raise self.fail("name", "must not be empty")
        description = self.text(raw.get("description", ""), "description", 2000, single_line=False)
        tags = self.tags(raw.get("tags", []), "tags")
        defaults = self.defaults(raw.get("defaults", {}))
        before = self.items(raw.get("before", []), "before", allow_empty=True)
        after = self.items(raw.get("after", []), "after", allow_empty=True)

        raw_weeks = raw["weeks"]
        if not is_list(raw_weeks) or not raw_weeks:
            raise self.fail("weeks", f"must be a list of [[weeks]] tables, got {_show(raw_weeks)}")
        if len(raw_weeks) > MAX_WEEKS:
            raise self.fail("weeks", f"a program can have at most {MAX_WEEKS} weeks, got {len(raw_weeks)}")

        weeks: list[ProgramWeek] = []
        milestones: dict[str, Milestone] = {}
        for number, raw_week in enumerate(raw_weeks, start=1):
            where = f"week {number}"
            week = self.table(raw_week, where)
            self.fields(week, where, _WEEK_FIELDS, required=("runs",))
            week_text = self.text(week.get("description", ""), f"{where}: description", MAX_DESCRIPTION_CHARS)
            week_spoken = self.spoken(week.get("spoken", ""), f"{where}: spoken")
            raw_runs = week["runs"]
            if not is_list(raw_runs) or not raw_runs:
                raise self.fail(f"{where}: runs", f"must be a list of [[weeks.runs]] tables, got {_show(raw_runs)}")
            runs: list[SessionPlan] = []
            for index, raw_run in enumerate(raw_runs, start=1):
                first = len(runs) + 1
                run_where = f"{where}, runs item {index}"
                run = self.table(raw_run, run_where)
                self.fields(run, run_where, _RUN_FIELDS, required=("segments",))
                times = run.get("times", 1)
                if not is_int(times) or not 1 <= times <= MAX_RUNS_PER_WEEK:
                    raise self.fail(
                        f"{run_where}: times",
                        f"must be a whole number from 1 to {MAX_RUNS_PER_WEEK}, got {_show(times)}",
                    )
                if first - 1 + times > MAX_RUNS_PER_WEEK:
                    raise self.fail(where, f"a week can have at most {MAX_RUNS_PER_WEEK} runs (one a day)")
                run_text = self.text(run.get("description", ""), f"{run_where}: description", MAX_DESCRIPTION_CHARS)
                run_tags = self.tags(run.get("tags", []), f"{run_where}: tags")
                run_before = (
                    self.items(run["before"], f"{run_where}: before", allow_empty=True) if "before" in run else before
                )
                run_after = (
                    self.items(run["after"], f"{run_where}: after", allow_empty=True) if "after" in run else after
                )
                main = self.items(run["segments"], f"{run_where}: segments", allow_empty=False)
                briefing = self.spoken(run.get("spoken", ""), f"{run_where}: spoken") or week_spoken
                milestone = self.milestone(run, run_where)
                segments = [*run_before, *main, *run_after]
                for run_number in range(first, first + times):
                    runs.append(
                        self.session(
                            program_id,
                            name,
                            number,
                            run_number,
                            description="\n\n".join(t for t in (week_text, run_text) if t),
                            tags=[*tags, *(t for t in run_tags if t not in tags)],
                            segments=[(_with_defaults(seg, defaults), origin) for seg, origin in segments],
                            briefing=briefing,
                        )
                    )
                    if milestone is not None:
                        milestones[program_session_id(program_id, number, run_number)] = milestone
            weeks.append(ProgramWeek(number=number, description=week_text, runs=tuple(runs)))
        return Program(
            id=program_id,
            name=name,
            description=description,
            tags=tuple(tags),
            weeks=tuple(weeks),
            milestones=milestones,
        )

    def session(
        self,
        program_id: str,
        program_name: str,
        week: int,
        run: int,
        *,
        description: str,
        tags: list[str],
        segments: list[_Item],
        briefing: str,
    ) -> SessionPlan:
        # A segment's theme goes to the session's spoken themes, one per segment, as a session file gives them.
        themes = [str(seg.get("theme", "")) for seg, _ in segments]
        data: dict[str, object] = {
            "id": program_session_id(program_id, week, run),
            "name": program_session_name(program_name, week, run),
            "description": description,
            "tags": tags,
            "segments": [{k: v for k, v in seg.items() if k != "theme"} for seg, _ in segments],
        }
        spoken: dict[str, object] = {"briefing": briefing} if briefing else {}
        if any(themes):
            spoken["themes"] = themes
        if spoken:
            data["spoken"] = spoken
        source = f"{self.source}: week {week}, run {run}"
        try:
            return session_from_dict(data, source, builtin=True)
        except UserError as exc:
            raise UserError(_point_at_item(str(exc), source, self.source, [o for _, o in segments])) from None

    # -------------------------------------------------------------------------------------------- parts

    def spoken(self, value: object, where: str) -> str:
        """A short text the coach speaks: one paragraph, folded to single spaces."""
        return " ".join(self.text(value, where, MAX_BRIEFING_CHARS).split())

    def milestone(self, run: Mapping[str, object], where: str) -> Milestone | None:
        name = self.spoken(run.get("milestone", ""), f"{where}: milestone")
        celebration = self.spoken(run.get("celebrate", ""), f"{where}: celebrate")
        if celebration and not name:
            raise self.fail(where, 'a "celebrate" text needs a "milestone" naming the run')
        if name and is_int(run.get("times", 1)) and run.get("times", 1) != 1:
            raise self.fail(where, 'a "milestone" names one run, so its runs item needs "times = 1"')
        return Milestone(name, celebration) if name else None

    def program_id(self, value: object) -> str:
        if not isinstance(value, str) or not SLUG_RE.fullmatch(value) or len(value) > MAX_PROGRAM_ID_CHARS:
            raise self.fail(
                "id",
                f"must be lower-case letters, digits and hyphens (at most {MAX_PROGRAM_ID_CHARS}, starting with a "
                f"letter or digit), got {_show(value)}",
            )
        return value

    def defaults(self, value: object) -> dict[str, dict[str, object]]:
        table = self.table(value, "defaults")
        result: dict[str, dict[str, object]] = {}
        for kind, raw in table.items():
            if kind not in _KIND_VALUES:
                raise self.fail("defaults", f"{_quote(kind)} is not a segment kind (kinds: {', '.join(_KIND_VALUES)})")
            where = f"defaults.{kind}"
            fields = self.table(raw, where)
            self.fields(fields, where, _DEFAULT_FIELDS, required=())
            # Checked once here by the session rules, so a bad default is reported where it is written.
            if "theme" in fields:
                self.theme(fields["theme"], f"{where}: theme")
            probe = {"kind": kind, "duration_s": 60.0, **{k: v for k, v in fields.items() if k != "theme"}}
            session_from_dict({"id": "defaults", "name": "defaults", "segments": [probe]}, f"{self.source}: {where}")
            result[kind] = dict(fields)
        return result

    def items(self, value: object, where: str, *, allow_empty: bool, depth: int = 0) -> list[_Item]:
        """Segment items, expanded: repeat blocks unrolled, durations in seconds, labels numbered; each with
        where it is written in the file."""
        if not is_list(value):
            raise self.fail(where, f"must be a list of segments, got {_show(value)}")
        if not value and not allow_empty:
            raise self.fail(where, "needs at least one segment")
        expanded: list[_Item] = []
        for index, raw in enumerate(value, start=1):
            item_where = f"{where} item {index}" if depth == 0 else f"{where}.{index}"
            item = self.table(raw, item_where)
            if "repeat" in item:
                expanded.extend(self.block(item, item_where, depth))
            else:
                expanded.append((self.segment(item, item_where), item_where))
        return expanded

    def block(self, item: Mapping[str, object], where: str, depth: int) -> list[_Item]:
        self.fields(item, where, _BLOCK_FIELDS, required=("repeat", "segments"), what="a repeat block")
        if depth + 1 > MAX_BLOCK_DEPTH:
            raise self.fail(where, f"repeat blocks can be nested at most {MAX_BLOCK_DEPTH} deep")
        times = item["repeat"]
        if not is_int(times) or not 1 <= times <= MAX_REPEAT:
            raise self.fail(f"{where}: repeat", f"must be a whole number from 1 to {MAX_REPEAT}, got {_show(times)}")
        inner = self.items(item["segments"], where, allow_empty=False, depth=depth + 1)
        out: list[_Item] = []
        for i in range(1, times + 1):
            for seg, origin in inner:
                copy = dict(seg)
                label = copy.get("label")
                if isinstance(label, str) and "{" in label:
                    copy["label"] = label.replace("{i}", str(i)).replace("{n}", str(times))
                out.append((copy, origin))
        return out

    def segment(self, item: Mapping[str, object], where: str) -> dict[str, object]:
        self.fields(item, where, _SEGMENT_FIELDS, required=("kind", "duration"), what="a segment")
        if "theme" in item:
            self.theme(item["theme"], f"{where}: theme")
        seg = {key: value for key, value in item.items() if key != "duration"}
        seg["duration_s"] = self.duration(item["duration"], f"{where}: duration")
        return seg

    def duration(self, value: object, where: str) -> float:
        seconds: float | None
        if isinstance(value, str):
            seconds = parse_clock_text(value)
        elif is_number(value):
            seconds = float(value)
        else:
            seconds = None
        if seconds is None:
            raise self.fail(where, f'must be "m:ss", "h:mm:ss" or a number of seconds, got {_show(value)}')
        if not MIN_SEGMENT_S <= seconds <= MAX_SEGMENT_S:
            raise self.fail(where, f"must be between 1 second and 4 hours, got {_show(value)}")
        return seconds

    def theme(self, value: object, where: str) -> str:
        """A mindful theme the coach introduces as the segment starts (core/spoken_texts.py), or "" for none."""
        if not isinstance(value, str) or (value and value not in THEMES):
            raise self.fail(where, f'must be one of {", ".join(THEMES)}, or "" for none, got {_show(value)}')
        return value

    def tags(self, value: object, where: str) -> list[str]:
        if not is_list(value):
            raise self.fail(where, f'must be a list of words like "beginner", got {_show(value)}')
        tags: list[str] = []
        for i, tag in enumerate(value, start=1):
            if not isinstance(tag, str) or not SLUG_RE.fullmatch(tag):
                raise self.fail(f"{where} {i}", f"must be lower-case letters, digits and hyphens, got {_show(tag)}")
            if tag not in tags:
                tags.append(tag)
        return tags

    def text(self, value: object, where: str, max_chars: int, *, single_line: bool = False) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"must be text, got {_show(value)}")
        text = value.strip()
        if len(text) > max_chars:
            raise self.fail(where, f"must be at most {max_chars} characters, got {len(text)}")
        if single_line and any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
            raise self.fail(where, "must be one line without control characters")
        return text

    def table(self, value: object, where: str) -> Mapping[str, object]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"must be a table, got {_show(value)}")
        return value

    def fields(
        self,
        table: Mapping[str, object],
        where: str,
        allowed: Sequence[str],
        *,
        required: Sequence[str],
        what: str = "",
    ) -> None:
        for key in table:
            if key not in allowed:
                kind = f" in {what}" if what else ""
                raise self.fail(where, f"unknown field {_quote(key)}{kind} (allowed: {', '.join(allowed)})")
        for key in required:
            if key not in table:
                raise self.fail(where, f"missing required field {_quote(key)}")


def _point_at_item(message: str, session_source: str, file_source: str, origins: Sequence[str]) -> str:
    """The validator counts a run's segments after expansion ("segment 7"); say where that segment is written.

    Messages in another shape are returned as they are.
    """
    m = re.match(re.escape(session_source) + r": segment (\d+)(?::| must)", message)
    if m is None or not 1 <= int(m[1]) <= len(origins):
        return message
    rest = message[m.end(1) :].removeprefix(":").lstrip()
    return f"{file_source}: {origins[int(m[1]) - 1]}: {rest}"


def _with_defaults(segment: Mapping[str, object], defaults: Mapping[str, Mapping[str, object]]) -> dict[str, object]:
    kind = segment.get("kind")
    base = defaults.get(kind, {}) if isinstance(kind, str) else {}
    return {**base, **segment}


# ------------------------------------------------------------------------------------------------ helpers


def _decode(data: str | bytes, source: str) -> str:
    return decode_text(data, source, max_bytes=MAX_PROGRAM_FILE_BYTES, what="a program file")
