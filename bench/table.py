"""One row of the benchmark table, and how the table is printed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    name: str
    value: str
    goal: str
    met: bool | None  # None: a reference figure with no goal of its own


def render(rows: list[Row]) -> str:
    lines = ["| measure | result | goal | met |", "| --- | --- | --- | --- |"]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "NO")
        lines.append(f"| {r.name} | {r.value} | {r.goal} | {met} |")
    return "\n".join(lines)
