"""The database reads its migrations' revisions without loading Alembic; that reading must agree with Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from runcompanion.storage import database as database_module
from runcompanion.storage.database import Database, alembic_config


def test_the_light_reading_of_revisions_agrees_with_alembic() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    known, head = database_module._revisions()
    assert known == {r.revision for r in script.walk_revisions()}
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
