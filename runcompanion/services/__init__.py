"""Services: what widgets and the command line call. They join core logic with storage and never import Qt.

Methods touch the disk or the speech engine, so the GUI calls the slow ones through ``ui.common.tasks.TaskRunner``.
"""
