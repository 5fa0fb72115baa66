"""The Journal section: the reflection dialog, the journal page, its charts and its controller."""
