"""The short spoken texts a session or program file may carry for the coach: a briefing and segment themes.

A session file gains an optional table (docs/programs.md shows it for programs, docs/session-files for
sessions)::

    [spoken]
    briefing = "Thirty unhurried minutes: breath, then steps, then whatever is here."
    themes = ["arrive", "breath", "steps", "open", "reflect"]   # one per segment; "" for none

A program file gives each segment its theme in the segment itself (``theme = "breath"``, docs/programs.md).

The briefing is said at the start of every run of the session, after the first instruction; a theme is
introduced when its segment starts (a segment that goes on with the theme before it hears a short return to
it instead), and the segment's mindfulness cues then follow it. Pure; any thread.
"""

from __future__ import annotations

from collections.abc import Mapping

from runcompanion.core.errors import UserError

MAX_BRIEFING_CHARS = 300
"""A briefing is spoken before the runner has settled in: a sentence or two."""

THEMES: Mapping[str, str] = {
    "arrive": "Arrive. Let the day wait outside for now, and just walk.",
    "breath": "For this part, rest your attention on your breath: in, and out, without changing it.",
    "steps": "Now move your attention to your steps: the sound, the rhythm, each foot landing.",
    "body": "Now let your attention travel slowly through your body, from your face and jaw down to your feet.",
    "open": "Now open your attention to whatever is here: sounds, sensations, thoughts, all welcome.",
    "reflect": "As you slow down, notice how you feel now, compared with when you began.",
}
"""The mindful themes a segment may have, and how the coach introduces each one."""

THEME_RETURNS: Mapping[str, tuple[str, ...]] = {
    "breath": (
        "Stay with your breath, in and out.",
        "Keep your attention resting on the breath.",
        "Back to the breath, whenever your mind has wandered.",
    ),
    "steps": (
        "Stay with your steps: their sound and their rhythm.",
        "Keep listening to your steps, one after another.",
        "Back to your feet and their rhythm.",
    ),
    "body": (
        "Carry on through your body, slowly, from wherever you left off.",
        "Keep moving your attention gently through your body.",
        "Back to the body scan, one part at a time.",
    ),
    "open": ("Stay open to whatever is here.", "Keep your attention wide: sounds, air, light."),
}
"""What the coach says when a segment goes on with the theme of the themed segment before it (a walk between
two jogs on the breath): the practice is followed through, not introduced again, in words that vary."""

THEME_CUE_TAG: Mapping[str, str] = {
    "breath": "theme-breath",
    "steps": "theme-steps",
    "body": "theme-body",
    "open": "theme-open",
}
"""The cue tag a themed segment's mindfulness cues must carry; themes not listed take no library cues."""


def theme_words(theme: str, previous: str, returns: int = 0) -> str:
    """What the coach says as a segment with ``theme`` starts, after a themed segment with ``previous``;
    ``returns`` is how many returns to this theme the run has said already."""
    if theme == previous and theme in THEME_RETURNS:
        options = THEME_RETURNS[theme]
        return options[returns % len(options)]
    return THEMES.get(theme, "")


def parse_spoken(value: object, source: str, segment_count: int) -> tuple[str, tuple[str, ...]]:
    """The ``[spoken]`` table of a file: ``(briefing, themes)``. Raises ``UserError`` with one line."""
    if value is None:
        return "", ()
    if not isinstance(value, Mapping):
        raise UserError(f'{source}: spoken must be a table with "briefing" and "themes"')
    unknown = sorted(str(key) for key in value if key not in ("briefing", "themes"))
    if unknown:
        raise UserError(f'{source}: spoken: unknown field "{unknown[0]}" (allowed: briefing, themes)')
    briefing = value.get("briefing", "")
    if not isinstance(briefing, str):
        raise UserError(f"{source}: spoken: briefing must be text")
    briefing = " ".join(briefing.split())
    if len(briefing) > MAX_BRIEFING_CHARS:
        raise UserError(
            f"{source}: spoken: briefing is {len(briefing)} characters; it is spoken, keep it to {MAX_BRIEFING_CHARS}"
        )
    raw_themes = value.get("themes", [])
    names = ", ".join(THEMES)
    if not isinstance(raw_themes, list) or not all(isinstance(t, str) for t in raw_themes):
        raise UserError(f'{source}: spoken: themes must be a list of theme names ({names}) or ""')
    if len(raw_themes) > segment_count:
        raise UserError(
            f"{source}: spoken: {len(raw_themes)} themes for {segment_count} segments; give at most one per segment"
        )
    for theme in raw_themes:
        if theme and theme not in THEMES:
            raise UserError(f'{source}: spoken: unknown theme "{theme}" (use {names}, or "" for none)')
    return briefing, tuple(raw_themes)


def spoken_to_dict(briefing: str, themes: tuple[str, ...]) -> dict[str, object]:
    """The ``[spoken]`` table as data, empty when there is nothing to say."""
    data: dict[str, object] = {}
    if briefing:
        data["briefing"] = briefing
    if any(themes):
        data["themes"] = list(themes)
    return data
