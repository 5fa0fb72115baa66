"""A reflection of 100,000 characters (the limit) goes in, comes back whole, is found and survives a backup;
one character more is refused with nothing saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from runcompanion.core.errors import UserError
from runcompanion.services.journal_service import JournalService
from runcompanion.services.journal_transfer import JournalTransfer
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import MAX_REFLECTION_CHARS, ManualRun, ReflectionInput
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.run_repository import RunRepository

NOW = dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)
PARAGRAPH = "Ran by the canal; the herons were out. Ça va mieux 🙂\n\n"
TEXT = (PARAGRAPH * (MAX_REFLECTION_CHARS // len(PARAGRAPH) + 1))[: MAX_REFLECTION_CHARS - len(" kingfisher")]
TEXT += " kingfisher"


class Folder:
    def __init__(self, path: Path) -> None:
        self.database = Database.open(path)
        reflections = ReflectionRepository(self.database)
        queries = JournalQueries(self.database)
        self.journal = JournalService(reflections, queries, zone=dt.UTC, now=lambda: NOW)
        self.transfer = JournalTransfer(queries, reflections, zone=dt.UTC, now=lambda: NOW)
        self.runs = RunRepository(self.database)


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Folder]:
    opened = Folder(tmp_path / "runcompanion.sqlite3")
    yield opened
    opened.database.close()


def test_the_text_is_exactly_at_the_limit() -> None:
    assert len(TEXT) == MAX_REFLECTION_CHARS
    assert TEXT.endswith(" kingfisher")


def test_a_reflection_of_100000_characters_comes_back_whole(folder: Folder) -> None:
    run = folder.runs.start("easy-30", "Easy 30", [], 1800.0, seed=1, started_at=NOW)
    folder.runs.finish(run.id, "finished", 1800.0, 3, 3, [], ended_at=NOW + dt.timedelta(minutes=30))

    folder.journal.save_draft(run.id, ReflectionInput(text=TEXT[:50_000]))
    folder.journal.complete(run.id, ReflectionInput(text=TEXT, feeling_after=3))

    entry = folder.journal.detail(run.id)
    assert entry.reflection is not None
    assert entry.reflection.text == TEXT
    assert not entry.reflection.is_draft
    assert [e.run_id for e in folder.journal.search("kingfisher").entries] == [run.id]  # the very last word


def test_a_long_reflection_survives_export_and_import(folder: Folder, tmp_path: Path) -> None:
    entry = folder.journal.log_manual_run(
        ManualRun(started_at=NOW - dt.timedelta(hours=1), elapsed_s=1800.0), ReflectionInput(text=TEXT)
    )
    out = tmp_path / "journal.json"
    folder.transfer.export("json", out)
    other = Folder(tmp_path / "other.sqlite3")
    try:
        report = other.transfer.import_file(out)
        (imported,) = other.journal.entries().entries
        assert report.reflections_added == 1
        assert imported.reflection is not None
        assert imported.reflection.text == TEXT
    finally:
        other.database.close()
    assert entry.reflection is not None


def test_one_character_more_is_refused_and_the_draft_stays(folder: Folder) -> None:
    run = folder.runs.start("easy-30", "Easy 30", [], 1800.0, seed=1, started_at=NOW)
    folder.journal.save_draft(run.id, ReflectionInput(text="the start of a thought"))

    with pytest.raises(UserError) as caught:
        folder.journal.complete(run.id, ReflectionInput(text=TEXT + "!"))

    assert "100,000" in str(caught.value) or "100000" in str(caught.value)
    assert "\n" not in str(caught.value)
    entry = folder.journal.detail(run.id)
    assert entry.reflection is not None
    assert entry.reflection.text == "the start of a thought"
    assert entry.reflection.is_draft
