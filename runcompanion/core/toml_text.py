"""Reading and writing the TOML files people share (sessions, programs): the bytes-to-text check, one-line
messages about bad values, and TOML literals for the writers. Shared so every file kind refuses and writes
alike.

Pure functions; any thread.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time

from runcompanion.core.errors import UserError
from runcompanion.core.file_values import is_list

_TOML_POSITION_RE = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.DOTALL)


def decode_text(data: str | bytes, source: str, *, max_bytes: int, what: str) -> str:
    """UTF-8 text of a file of at most ``max_bytes``; ``what`` names the kind of file in the size message."""
    if isinstance(data, str):
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError:
            raise UserError(f"{source}: the text contains characters that are not valid Unicode") from None
    else:
        raw = data
    if len(raw) > max_bytes:
        raise UserError(f"{source}: the file is {len(raw) // 1024} KiB; {what} can be at most {max_bytes // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UserError(f"{source}: line {line}: the file is not UTF-8 text (byte {exc.start + 1})") from None
    # Some Windows editors start UTF-8 files with a byte-order mark, which TOML does not allow.
    return text.removeprefix("\ufeff")


def load_toml(text: str, source: str, *, what: str) -> dict[str, object]:
    """Parsed TOML, or ``UserError`` with the line and column; never another exception."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(toml_error_line(source, exc)) from None
    except RecursionError:
        raise UserError(f"{source}: the file is nested too deeply to be {what}") from None
    except ValueError as exc:
        # tomllib lets a few ValueErrors through, notably an integer with thousands of digits.
        reason = "a number has far too many digits" if "digits" in str(exc) else "a value could not be read"
        raise UserError(f"{source}: not a valid {what.removeprefix('a ')} file: {reason}") from None


def toml_error_line(source: str, exc: tomllib.TOMLDecodeError) -> str:
    message = " ".join(str(exc).split())
    if m := _TOML_POSITION_RE.match(message):
        return f"{source}: line {m['line']}, column {m['col']}: {m['msg']}"
    return f"{source}: {message}"


def quote(key: object) -> str:
    """A field name for a message, quoted and cut short."""
    return json.dumps(str(key)[:40], ensure_ascii=False)


def show(value: object) -> str:
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


def toml_str(text: str) -> str:
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


def toml_float(value: float) -> str:
    # repr round-trips exactly and, in the ranges the validators allow, never uses an exponent.
    return repr(float(value))


def clock_text(seconds: float) -> str:
    """``"m:ss"`` below an hour, ``"h:mm:ss"`` from an hour up; fractions are rounded to the second."""
    whole = round(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def toml_duration(seconds: float) -> str:
    """Whole seconds as a ``"m:ss"`` string, anything else as a number of seconds."""
    if float(seconds).is_integer():
        return toml_str(clock_text(seconds))
    return toml_float(seconds)
