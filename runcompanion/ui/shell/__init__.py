"""The application shell: the QApplication, the main window and its sections, the Today page, start-up."""
