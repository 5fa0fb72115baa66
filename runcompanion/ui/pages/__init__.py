"""The sections of the main window: Today, Plan, Sessions, Journal, Settings."""
