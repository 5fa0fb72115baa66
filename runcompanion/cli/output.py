"""What every command shares about its output: the exit statuses and JSON on stdout."""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USER = 2


def print_json(data: object) -> None:
    import json  # here: opening the app never prints JSON

    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
