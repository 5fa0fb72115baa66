"""RunCompanion: a desktop companion for guided runs."""

__version__ = "0.1.0"
