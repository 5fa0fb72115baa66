"""Errors a person can fix. The command line turns them into one line on stderr and exit status 2."""


class UserError(Exception):
    """Something the user can put right: a bad file, an unknown id, an unwritable folder.

    The message is a complete sentence meant for a person, naming what was wrong and, where it helps, what to do.
    """
