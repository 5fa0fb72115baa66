"""Every `runcompanion COMMAND ACTION` that a message, the README or docs/cli.md tells people to type exists.

An error once said "cancel that enrolment first" when no command could cancel one. This reads every string in
the package (with the AST, so f-strings count) and the documents people read, and walks each command they name
through the real argument parser.
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

from runcompanion.cli.parser import build_parser

REPO = Path(__file__).resolve().parents[2]
_MENTION = re.compile(r"\bruncompanion((?: (?:--?[a-z][a-z-]*|[a-z][a-z0-9-]*))+)")
_GLOBAL_OPTIONS = {"--data-dir", "--version", "--help", "-h"}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _action_required(parser: argparse.ArgumentParser) -> bool:
    return any(isinstance(a, argparse._SubParsersAction) and a.required for a in parser._actions)


def _problem(words: list[str]) -> str | None:
    parser = build_parser()
    while words and words[0] in _GLOBAL_OPTIONS:
        option = words.pop(0)
        if option == "--data-dir" and words:
            words.pop(0)
    depth = 0
    while words:
        word = words.pop(0)
        choices = _subcommands(parser)
        if word.startswith("-") or not choices:
            return None  # options and arguments are the parser's business; the command path is what matters
        if word not in choices:
            if depth == 0:
                return f"no command {word!r}"
            if not _action_required(parser):
                return None  # `voices` alone is a command: "(runcompanion voices lists them)" is prose after it
            return f"no action {word!r}; there are {sorted(choices)}"
        parser = choices[word]
        depth += 1
    return None


def _package_strings() -> list[tuple[str, str]]:
    found = []
    for path in sorted((REPO / "runcompanion").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Docstrings speak to developers (and may name a command being built); messages speak to people.
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((str(path.relative_to(REPO)), node.value))
            elif isinstance(node, ast.JoinedStr):
                text = "".join(str(part.value) if isinstance(part, ast.Constant) else "X" for part in node.values)
                found.append((str(path.relative_to(REPO)), text))
    return found


def _document_lines() -> list[tuple[str, str]]:
    found = []
    for name in ("README.md", "docs/cli.md", "docs/pypi-description.md", "docs/install.md", "docs/data-safety.md"):
        path = REPO / name
        if path.exists():
            found += [(name, line) for line in path.read_text(encoding="utf-8").splitlines()]
    return found


def test_every_command_a_message_or_a_document_names_exists() -> None:
    wrong = []
    checked = 0
    for where, text in _package_strings() + _document_lines():
        for mention in _MENTION.finditer(text):
            checked += 1
            problem = _problem(mention.group(1).split())
            if problem:
                wrong.append(f"{where}: 'runcompanion{mention.group(1)}': {problem}")
    assert checked > 50, "the search should find the many commands the messages and documents name"
    assert wrong == []


def test_the_check_catches_a_command_that_does_not_exist() -> None:
    assert _problem(["plan", "cancel", "3"]) is None
    assert _problem(["--data-dir", "DIR", "desktop", "install"]) is None
    assert _problem(["plan", "abandon", "3"]) is not None
    assert _problem(["enrolment", "cancel"]) is not None
