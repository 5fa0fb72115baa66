"""PySide6 widgets and the thin Qt adapters around core objects."""
