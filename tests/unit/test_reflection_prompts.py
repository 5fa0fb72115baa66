"""Reflection prompts: enough of them, kind and short, and a rotation that is the same every time."""

from __future__ import annotations

import re

from runcompanion.core.reflection_prompts import PROMPTS, prompt_for

# Words that would measure or judge the runner rather than invite them to notice.
_JUDGING = re.compile(r"\b(should|must|failed?|lazy|slow|only|why didn't|not enough|better than)\b", re.IGNORECASE)


def test_there_are_at_least_sixteen_distinct_prompts() -> None:
    assert len(PROMPTS) >= 16
    assert len(set(PROMPTS)) == len(PROMPTS)


def test_every_prompt_is_one_short_question_without_judgement() -> None:
    for prompt in PROMPTS:
        assert prompt.endswith("?"), prompt
        assert len(prompt) <= 80, prompt
        assert prompt == prompt.strip()
        assert "\n" not in prompt
        assert not _JUDGING.search(prompt), prompt


def test_the_prompts_cover_the_themes_of_the_seed_articles() -> None:
    text = " ".join(PROMPTS).lower()
    for theme in ("thoughts", "proud", "body", "who did you run with", "around you", "progress", "showed up"):
        assert theme in text, theme


def test_consecutive_numbers_rotate_through_every_prompt_in_order() -> None:
    assert [prompt_for(n) for n in range(len(PROMPTS))] == list(PROMPTS)
    assert prompt_for(len(PROMPTS)) == PROMPTS[0]
    assert prompt_for(len(PROMPTS) + 3) == PROMPTS[3]


def test_the_same_number_always_gives_the_same_prompt() -> None:
    assert prompt_for(12345) == prompt_for(12345)
    assert prompt_for(-1) == PROMPTS[-1]
    assert prompt_for(7) != prompt_for(8)
