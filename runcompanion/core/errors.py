"""Errors a person can fix. The command line turns them into one line on stderr and exit status 2."""


class UserError(Exception):
    """Something the user can put right: a bad file, an unknown id, an unwritable folder.

    The message is a complete sentence meant for a person, naming what was wrong and, where it helps, what to do.
    """


def describe_os_error(error: OSError) -> str:
    """The real cause of a failed file operation, in words a person can act on (no full stop at the end).

    The causes people meet most get words that say what happened, with the system's own words after them in
    brackets (they are what a search finds); the rest keep the system's words.
    """
    import errno  # here: most runs never fail a file operation

    system = error.strerror or str(error)
    code = error.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        return f"the disk is full ({system}); free some space and try again"
    if code == errno.ENAMETOOLONG:
        return f"the path is too long for the file system ({system}); choose a shorter folder or file name"
    if code == errno.EROFS:
        return f"the disk is read-only ({system})"
    return system
