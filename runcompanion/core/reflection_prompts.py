"""The prompts above the free text of a reflection: short, kind questions that change from run to run.

Their themes come from the seed articles (``shared/seeds/``): thoughts that come and go while running, pride in
showing up, attending to the body and breath, company and community, noticing the surroundings, a sense of
progress, ideas that arrive in motion, and the calm after a run. The words are our own. None of them asks how
far or how fast, and none of them judges. Pure; any thread.
"""

from __future__ import annotations

from typing import Final

PROMPTS: Final[tuple[str, ...]] = (
    "What thoughts came and went while you ran?",
    "What are you proud of from this run?",
    "How did your body feel, from your feet upwards?",
    "Who did you run with today, or who was on your mind?",
    "What did you notice around you?",
    "What feels like progress, however small?",
    "You showed up for yourself today. What helped you do it?",
    "How did your breathing find its rhythm?",
    "What felt heavy before the run, and how does it feel now?",
    "Did an idea or an answer turn up while you moved?",
    "Was there a moment when your mind felt clear or calm?",
    "What would you tell a friend about this run?",
    "What kept you going when it got harder?",
    "What is one thing your body did well today?",
    "What did you hear, see or smell along the way?",
    "How would you like to carry this feeling into the rest of your day?",
    "What surprised you about this run?",
    "What would make your next run feel kind to you?",
)
"""In the order they rotate. A reflection stores the prompt it was written under, so changing this list never
changes what a saved reflection shows."""


def prompt_for(n: int) -> str:
    """The prompt for the ``n``-th reflection (any integer; the app passes the run's id), rotating through
    ``PROMPTS`` so that consecutive numbers get consecutive prompts. The same ``n`` always gives the same one."""
    return PROMPTS[n % len(PROMPTS)]
