"""Widgets, styles and Qt helpers every screen shares: the theme, the task runner, start-up lifecycle."""
