"""The Sessions section: built-in and own sessions."""
