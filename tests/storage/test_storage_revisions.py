"""The database reads its migrations' revisions without loading Alembic; that reading must agree with Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.storage import database as database_module
from runcompanion.storage.database import Database, alembic_config


def test_the_light_reading_of_revisions_agrees_with_alembic() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    known, head = database_module._revisions()
    assert known == {r.revision for r in script.walk_revisions()} == Database.known_revisions()
    assert head == script.get_current_head() == Database.head_revision()


def test_opening_a_database_at_head_does_not_load_alembic(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Database.open(path).close()  # created and migrated (this process loads Alembic)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from runcompanion.storage.database import Database\n"
        f"Database.open(Path({str(path)!r})).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "False"


def test_the_services_built_at_every_start_load_neither_alembic_nor_icalendar(tmp_path: Path) -> None:
    """Each kept about 16 and 6 MB resident in the app: Alembic only migrates, icalendar only exports."""
    paths = resolve_paths(str(tmp_path))
    build_services(paths).close()  # the first start creates and migrates the database
    code = (
        "import sys\n"
        "from runcompanion.services.composition import build_services\n"
        "from runcompanion.paths import resolve_paths\n"
        f"services = build_services(resolve_paths({str(tmp_path)!r}))\n"
        "services.runs.recover_interrupted()\n"
        "services.backups.daily_if_due()\n"
        "assert services.backups.list()[0].run_count == 0\n"  # reading a backup checks its schema revision
        "services.close()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'icalendar'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "[]"
