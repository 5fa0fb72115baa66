"""Pure Python heart of the app: plans, timing, cues, programs. Never imports Qt or storage."""
