"""`journal import` at the calendar's edges and with an id that belongs to a built-in session, for real."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.battery import Cli, assert_one_line_error, table_contents

pytestmark = pytest.mark.timeout(180)


def _archive(started_at: str = "2024-05-06T07:30:00+00:00", own_id: str | None = None) -> dict[str, Any]:
    archive: dict[str, Any] = {
        "format": "runcompanion-journal",
        "version": 1,
        "runs": [
            {
                "started_at": started_at,
                "session_id": own_id or "easy-30",
                "source": "app",
                "session_name": "Imported",
                "planned_s": 600,
                "status": "finished",
                "elapsed_s": 600,
            }
        ],
    }
    if own_id is not None:
        archive["own_sessions"] = [
            {
                "id": own_id,
                "name": "Not the built-in one",
                "definition": {
                    "id": own_id,
                    "name": "Not the built-in one",
                    "segments": [{"kind": "run", "duration_s": 600, "effort": 5}],
                },
                "created_at": "2024-05-01T10:00:00+00:00",
                "updated_at": "2024-05-01T10:00:00+00:00",
            }
        ]
    return archive


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli.at(tmp_path_factory.mktemp("edges") / "home")
    cli.ok("history")
    return cli


EDGES = {
    "the-issue's-example": "9999-12-31T23:30:00-05:00",
    "year-9999-pushed-past-by-its-offset": "9999-12-31T23:59:59-00:01",
    "year-1-pushed-before-by-its-offset": "0001-01-01T00:00:00+00:01",
    "year-1": "0001-01-01T00:00:00+00:00",
    "year-9999": "9999-12-31T00:00:00+00:00",
}


@pytest.mark.parametrize("started_at", EDGES.values(), ids=EDGES.keys())
def test_a_date_at_the_calendar_edge_is_refused_in_one_line(cli: Cli, tmp_path: Path, started_at: str) -> None:
    file = tmp_path / "edge.json"
    file.write_text(json.dumps(_archive(started_at)), encoding="utf-8")
    before = table_contents(cli.database)
    result = cli.run("journal", "import", str(file))
    assert_one_line_error(result, str(file), "runs[0].started_at", "between the years")
    assert table_contents(cli.database) == before


def test_a_date_inside_the_range_is_imported_exactly(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "ok.json"
    file.write_text(json.dumps(_archive("2199-12-31T12:00:00-05:00")), encoding="utf-8")
    cli.ok("journal", "import", str(file))
    runs = json.loads(cli.ok("history", "--json"))
    assert "2199-12-31T17:00:00+00:00" in [run["started_at"] for run in runs]


def test_an_own_session_with_a_built_in_id_is_refused_and_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "collide.json"
    file.write_text(json.dumps(_archive(own_id="first-walk-run")), encoding="utf-8")
    before = table_contents(cli.database)
    result = cli.run("journal", "import", str(file))
    assert_one_line_error(result, str(file), '"first-walk-run"', "built-in", "nothing was imported")
    assert table_contents(cli.database) == before
    ids = [session["id"] for session in json.loads(cli.ok("sessions", "--json"))]
    assert ids.count("first-walk-run") == 1
    assert json.loads(cli.ok("sessions", "--json"))[ids.index("first-walk-run")]["builtin"] is True
